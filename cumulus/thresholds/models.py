"""A Continuum of Need decision: what Cumulus suggested (and why) and what the practitioner
decided (and why). Both are kept so audits can see where practice departs from the threshold
document."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core import clock


class ThresholdDecision(models.Model):
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="threshold_decisions"
    )
    continuum_id = models.CharField(max_length=80)
    continuum_version = models.PositiveIntegerField()
    continuum_sha256 = models.CharField(max_length=64)
    suggested_level = models.PositiveSmallIntegerField()
    suggested_indicators = models.JSONField(
        default=list, help_text="The indicators that led to the suggestion, with their evidence."
    )
    facts = models.JSONField(default=dict, help_text="What the suggestion was computed from.")
    decided_level = models.PositiveSmallIntegerField()
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"level {self.decided_level} (suggested {self.suggested_level}) for {self.child_id}"

    @property
    def departs_from_suggestion(self) -> bool:
        return self.decided_level != self.suggested_level
