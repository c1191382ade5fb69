"""The family's own sign-in: a parent, carer or young person (12+) with a plan.

A ``FamilyAccount`` is the "family member" role: it links a sign-in to one person, and every
family page is computed from that person's own children (or, for a young person, their own
plans). It has no agency and no involvements, so every practitioner page answers 404 to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core import clock


class FamilyRole(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"


class FamilyAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_account"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    family_role = models.CharField(max_length=20, choices=FamilyRole.choices)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"family account of person {self.person_id}"


class Feeling(models.TextChoices):
    BETTER = "better", "Things are getting better"
    SAME = "same", "Things are about the same"
    WORSE = "worse", "Things are getting worse"


class FamilyFeedback(models.Model):
    """What the family says about how their plan is going, shown to the lead practitioner."""

    account = models.ForeignKey(FamilyAccount, on_delete=models.PROTECT, related_name="feedback")
    plan = models.ForeignKey("casework.Plan", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=clock.now)
    feeling = models.CharField(max_length=10, choices=Feeling.choices)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_feeling_display()} ({self.written_at:%Y-%m-%d})"
