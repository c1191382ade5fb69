"""The multi-agency chronology: every significant thing any agency recorded about a child.

Event types come from a versioned code list (``chronology_event_type``), so an agency feed
or a new partnership can add types without code. ``source_system``/``source_reference`` say
which record an event came from, so nothing is ever untraceable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock


class Significance(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ChronologyEvent(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="events")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event_type = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme": Scheme.CHRONOLOGY_EVENT_TYPE},
    )
    significance = models.CharField(
        max_length=6, choices=Significance.choices, default=Significance.LOW
    )
    summary = models.TextField()
    source_system = models.CharField(
        max_length=60, help_text="Where the event came from: 'cumulus', a feed name, an import."
    )
    source_reference = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-occurred_at"], name="chronology_child_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.event_type.code}"
