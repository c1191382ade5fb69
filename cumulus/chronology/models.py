"""The multi-agency chronology: every significant thing any agency recorded about a child.

Event types come from a versioned code list (``chronology_event_type``), so an agency feed
or a new partnership can add types without code. ``source_system``/``source_reference`` say
which record an event came from, so nothing is ever untraceable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

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


class AttendanceWeek(models.Model):
    """A child's attendance at one school or childcare setting in one week.

    One row per child per school (or childcare) week, with the half-day sessions possible and
    attended, because one row per half-day session would be billions of rows at scale. Absence
    spells, persistent absence and low childcare attendance are derived from these weeks.
    """

    # No separate index on the child: the unique constraint and the index below lead with it.
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="attendance_weeks", db_index=False
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(help_text="The Monday the week starts on.")
    sessions_possible = models.PositiveSmallIntegerField()
    sessions_attended = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "agency", "week_start"], name="chronology_attendance_unique"
            ),
            models.CheckConstraint(
                condition=Q(sessions_attended__lte=models.F("sessions_possible")),
                name="chronology_attendance_attended_le_possible",
            ),
        ]
        indexes = [models.Index(fields=["child", "week_start"], name="chronology_attendance_child")]
        ordering = ["child", "week_start"]

    def __str__(self) -> str:
        return (
            f"child {self.child_id} week of {self.week_start}: "
            f"{self.sessions_attended}/{self.sessions_possible} sessions"
        )
