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
    # The dominant Horwath neglect type the event speaks to, if it is about neglect.
    neglect_type = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"scheme": Scheme.NEGLECT_TYPE},
    )
    # The Cumbria impact chronology: what this event meant for the child, in the
    # practitioner's words. Database defaults let bulk loaders (COPY) leave these out.
    impact_on_child = models.TextField(blank=True, db_default="", default="")
    impact_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    impact_recorded_at = models.DateTimeField(null=True, blank=True)
    # Restricted events (police intelligence, sensitive health) are seen only by the roles in
    # ``restricted_roles``; everyone else who may see the child sees that one exists and whom
    # to ask (``restriction_contact``).
    is_restricted = models.BooleanField(db_default=False, default=False)
    restriction_contact = models.CharField(
        max_length=200, blank=True, db_default="", default="", help_text="Whom to ask."
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-occurred_at"], name="chronology_child_recent"),
            # The analytical extract's watermarks: events recorded (and impacts written) since
            # its last run, without reading every event.
            models.Index(fields=["recorded_at"], name="chronology_recorded"),
            models.Index(fields=["impact_recorded_at"], name="chronology_impact_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.event_type.code}"


class RestrictedEventRole(models.Model):
    """One role that may read a restricted event in full."""

    event = models.ForeignKey(
        ChronologyEvent, on_delete=models.CASCADE, related_name="restricted_roles"
    )
    role = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "role"], name="chronology_restricted_role")
        ]

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.role}"


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
