"""Multi-agency audit rounds: the criteria of the case population, the seeded sample, the
auditors assigned to each case, their gradings (made with the audit instrument), the agreed
(moderated) grades and the actions that follow.

A round keeps a full copy of the instrument definition it uses, as instrument assessments do,
so a later version of the audit tool never changes a past round's grades.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core import clock
from cumulus.core.models import TimeStampedModel


class RoundStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    SAMPLED = "sampled", "Sample drawn"
    CLOSED = "closed", "Closed"


class AuditRound(TimeStampedModel):
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=80, default="neglect")
    held_on = models.DateField(help_text="The audit day, or its first day.")
    plan_types = models.JSONField(
        default=list, help_text="Plan types whose children make the population."
    )
    lookback_days = models.PositiveIntegerField(default=183)
    population_on = models.DateField(help_text="The population is drawn as of this day.")
    sample_size = models.PositiveIntegerField()
    strata = models.JSONField(default=list, help_text="plan_type, age_band and/or agency.")
    minimum_per_stratum = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField()
    instrument_id = models.CharField(max_length=80)
    instrument_version = models.PositiveIntegerField()
    definition = models.JSONField()
    definition_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNING
    )
    population_size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AuditCase(TimeStampedModel):
    audit_round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=200, blank=True)
    plan_type = models.CharField(max_length=20)
    age_band = models.CharField(max_length=20)
    agency_type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["audit_round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit_round", "child"], name="audits_case_once")
        ]

    def __str__(self) -> str:
        return f"case {self.pk} of round {self.audit_round_id}"


class AuditorAssignment(TimeStampedModel):
    """An auditor asked to grade one case: their lawful reason to see that case's record."""

    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, related_name="assignments")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_assignments"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    responses = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "auditor"], name="audits_assign_once")
        ]

    def __str__(self) -> str:
        return f"auditor {self.auditor_id} on case {self.case_id}"


class ModeratedGrade(TimeStampedModel):
    """The grades agreed at moderation for one case, with what the auditors had said."""

    case = models.OneToOneField(AuditCase, on_delete=models.PROTECT, related_name="moderated")
    responses = models.JSONField(help_text="The agreed answers, by item id.")
    disagreements = models.JSONField(
        default=dict, help_text="Criterion -> the auditors' differing grades, by username."
    )
    note = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"moderated grades for case {self.case_id}"


class AuditAction(TimeStampedModel):
    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]
