"""The strategy's action plan: items under the template's objectives, each linked to an aim.

An ``ActionItem`` is one activity with a lead agency and person, a due date and a RAG status;
every change is an ``ActionItemUpdate`` (history is kept, never edited), and a RAG change
carries the evidence for it. Each agency's own plan is its items, grouped by objective.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core.models import TimeStampedModel


class Rag(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"


class ActionItem(TimeStampedModel):
    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.PROTECT, related_name="action_items"
    )
    aim = models.ForeignKey("strategy.StrategyAim", on_delete=models.PROTECT, related_name="+")
    objective = models.CharField(
        max_length=20, help_text="Key of an objective in the strategy's action plan template"
    )
    activity = models.TextField()
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="action_items"
    )
    lead_person = models.CharField(max_length=200)
    due_on = models.DateField()
    rag = models.CharField(max_length=10, choices=Rag.choices, default=Rag.AMBER)
    rag_evidence = models.TextField(blank=True, help_text="The evidence for the current RAG")
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["strategy", "status", "due_on"])]

    def __str__(self) -> str:
        return self.activity[:80]

    @property
    def objective_title(self) -> str:
        return self.strategy.objective_title(self.objective)


class ActionItemUpdate(models.Model):
    item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="updates")
    recorded_at = models.DateTimeField()
    recorded_on = models.DateField(help_text="The date the update is about")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    rag_before = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag_after = models.CharField(max_length=10, choices=Rag.choices)
    evidence = models.TextField(blank=True)
    note = models.TextField(blank=True)
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_rag_after_display()} on {self.recorded_on}"

    @property
    def rag_changed(self) -> bool:
        return bool(self.rag_before) and self.rag_before != self.rag_after
