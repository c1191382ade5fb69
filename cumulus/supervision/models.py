"""Supervision and reflective discussions recorded against a child's case.

A ``SupervisionRecord`` is one discussion (single-agency or multi-agency supervision, a
reflective discussion, a manager's case oversight) with who took part and what was decided;
``SupervisionAction`` rows say who does what by when. Recorded oversight is what the
partnership's oversight standard (``standards.py``) measures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core.models import TimeStampedModel


class SupervisionKind(models.TextChoices):
    SINGLE_AGENCY = "single_agency", "Single-agency supervision"
    MULTI_AGENCY = "multi_agency", "Multi-agency supervision"
    REFLECTIVE = "reflective", "Reflective discussion"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight of the case"


class SupervisionRecord(TimeStampedModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=SupervisionKind.choices)
    held_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    agencies_present = models.ManyToManyField(
        "accounts.Agency", related_name="+", help_text="Every agency that took part."
    )
    attendees = models.TextField("who took part", help_text="Names and roles, one a line.")
    discussion = models.TextField("what was discussed and reflected on")
    decisions = models.TextField("decisions")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["child", "-held_on"], name="supervision_child_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class SupervisionAction(models.Model):
    record = models.ForeignKey(SupervisionRecord, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField()
    owner = models.CharField("who", max_length=200)
    due_on = models.DateField("by when")
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.owner}: {self.action[:40]} by {self.due_on}"
