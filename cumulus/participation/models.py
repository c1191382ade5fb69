"""The local authority's monthly tracking of 16-17 year olds' education, employment or training.

Councils must know what every young person of 16 and 17 in their area is doing (the duty to
participate, the September guarantee, the monthly NCCIS return to DfE). A
``ParticipationRecord`` says what one young person was doing in one month, who recorded it and
when. Records are never changed: a later record for the same month supersedes an earlier one
(the latest ``recorded_at``, then the highest id, wins), so the history of what was known stays.

The NEET indicator counts ``NEET`` against the known statuses; ``NOT_KNOWN`` (the council has
lost touch, or the status has lapsed) is left out of the denominator and counted apart, as in
DfE's NEET and participation tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core import clock


class ActivityStatus(models.TextChoices):
    EDUCATION = "education", "In full-time education or training"
    APPRENTICESHIP = "apprenticeship", "In an apprenticeship"
    EMPLOYMENT_WITH_TRAINING = "employment_with_training", "In employment with training"
    EMPLOYMENT_WITHOUT_TRAINING = "employment_without_training", "In employment without training"
    NEET = "neet", "Not in education, employment or training (NEET)"
    NOT_KNOWN = "not_known", "Not known"


class ParticipationRecord(models.Model):
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField(help_text="The first day of the month the status is for.")
    status = models.CharField(max_length=30, choices=ActivityStatus.choices)
    # Null for records loaded in bulk (the synthetic partnership), which name their source.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    source_system = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["child", "-month", "-recorded_at", "-pk"]
        indexes = [
            # A child's months, newest record first; and the extract's incremental read.
            models.Index(
                fields=["child", "month", "recorded_at"], name="participation_child_month"
            ),
            models.Index(fields=["recorded_at"], name="participation_recorded_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} in {self.month:%B %Y}"

    @property
    def is_neet(self) -> bool | None:
        """True if NEET, False if known not to be, None if not known."""
        return (
            None if self.status == ActivityStatus.NOT_KNOWN else self.status == ActivityStatus.NEET
        )
