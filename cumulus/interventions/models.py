"""The catalogue of local interventions, their capacity, and plans' referrals to them.

An ``Intervention`` is a service or programme the partnership offers, with its eligibility (age
range, the levels of need it serves as plan types, the neglect types it addresses); capacity is
per locality. An ``InterventionReferral`` is one plan's referral: referred, started, ended with a
completion (completed, dropped out, declined), and a before/after score on a named measure, kept
generic so the instrument engine can supply it later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.codelists.models import Code, Scheme
from cumulus.core.models import TimeStampedModel


class Intervention(TimeStampedModel):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    min_age = models.PositiveSmallIntegerField()
    max_age = models.PositiveSmallIntegerField()
    levels = models.JSONField(default=list, help_text="Plan types it takes referrals for.")
    neglect_types = models.ManyToManyField(
        Code, blank=True, related_name="+", limit_choices_to={"scheme": Scheme.NEGLECT_TYPE}
    )
    is_active = models.BooleanField(default=True)
    catalogue_version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="interventions_age_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InterventionCapacity(models.Model):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="capacities"
    )
    locality = models.CharField(max_length=20)
    places = models.PositiveIntegerField()

    class Meta:
        ordering = ["intervention", "locality"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "locality"], name="interventions_capacity_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} in {self.locality}: {self.places}"


class Completion(models.TextChoices):
    COMPLETED = "completed", "Completed"
    DROPPED_OUT = "dropped_out", "Dropped out"
    DECLINED = "declined", "Declined"


class InterventionReferral(TimeStampedModel):
    plan = models.ForeignKey("casework.Plan", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="referrals"
    )
    locality = models.CharField(max_length=20, blank=True)
    referred_on = models.DateField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    completion = models.CharField(max_length=20, choices=Completion.choices, blank=True)
    measure = models.CharField(
        "measure of change", max_length=120, blank=True, help_text="e.g. an instrument's name."
    )
    score_before = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    score_after = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=models.F("referred_on")),
                name="interventions_starts_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, completion="")
                | Q(ended_on__isnull=False) & ~Q(completion=""),
                name="interventions_end_has_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to intervention {self.intervention_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def change(self) -> float | None:
        if self.score_before is None or self.score_after is None:
            return None
        return float(self.score_after - self.score_before)
