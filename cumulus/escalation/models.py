"""Escalations of professional disagreement and the outcome of each stage.

An ``Escalation`` is one practitioner's disagreement with one decision about a child (a front
door decision on a contact, or a decision about a plan). It moves through the stages of the
partnership's procedure (``procedure.py``); each stage is an ``EscalationStage`` row with its
due date and, once reached, its outcome. Rows are never deleted: a withdrawn escalation stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core.models import TimeStampedModel


class DecisionKind(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door decision"
    PLAN = "plan", "Decision about a plan"
    OTHER = "other", "Another decision"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class StageOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated to the next stage"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Escalation(TimeStampedModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    decision_kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    contact = models.ForeignKey(
        "casework.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        "casework.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_summary = models.TextField("the decision disagreed with")
    disagreement = models.TextField("why the practitioner disagrees")
    desired_outcome = models.TextField("what the practitioner thinks should happen", blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    other_party = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the decision, where known: told at every stage.",
    )
    procedure_version = models.CharField(max_length=40, blank=True)
    current_stage = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | ~Q(status="open") & Q(closed_at__isnull=False),
                name="escalation_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(decision_kind="front_door") | Q(contact__isnull=False),
                name="escalation_front_door_has_contact",
            ),
            models.CheckConstraint(
                condition=~Q(decision_kind="plan") | Q(plan__isnull=False),
                name="escalation_plan_has_plan",
            ),
        ]
        indexes = [models.Index(fields=["status", "child"], name="escalation_open_child")]

    def __str__(self) -> str:
        return f"Escalation {self.pk} at stage {self.current_stage} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == EscalationStatus.OPEN


class EscalationStage(models.Model):
    """One stage of one escalation: when it started, when it is due, and what came of it."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    started_on = models.DateField()
    due_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=StageOutcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["escalation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "number"], name="escalation_stage_once"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("started_on")), name="escalation_stage_due_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number} of escalation {self.escalation_id}"
