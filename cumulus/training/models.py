"""The partnership's training offer: courses, sessions with places, bookings and attendance,
confidence before and after, and 7-minute briefings sent to agencies and marked read.

A booking keeps the practitioner's agency at the time of booking, so uptake by agency does not
change when someone later moves agency. Cancelling keeps the row (with ``cancelled_at``) and
frees the place: nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core import clock
from cumulus.core.models import TimeStampedModel

CONFIDENCE_MIN, CONFIDENCE_MAX = 1, 5


class Course(TimeStampedModel):
    code = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Stable code the indicators count, e.g. neglect_basic.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TrainingSession(TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    places = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="training_session_places")
        ]

    def __str__(self) -> str:
        return f"{self.course} on {self.held_on:%d %b %Y}"

    @property
    def places_left(self) -> int:
        booked = getattr(self, "booked", None)
        if booked is None:
            booked = self.bookings.filter(cancelled_at__isnull=True).count()
        return max(0, self.places - int(booked))


class Booking(TimeStampedModel):
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="bookings")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    booked_at = models.DateTimeField(default=clock.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, help_text="Null until attendance is taken.")
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    evaluation_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["session__held_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "practitioner"],
                condition=Q(cancelled_at__isnull=True),
                name="training_one_live_booking",
            ),
            models.CheckConstraint(
                condition=Q(confidence_before__isnull=True)
                | Q(confidence_before__gte=CONFIDENCE_MIN, confidence_before__lte=CONFIDENCE_MAX),
                name="training_confidence_before_range",
            ),
            models.CheckConstraint(
                condition=Q(confidence_after__isnull=True)
                | Q(confidence_after__gte=CONFIDENCE_MIN, confidence_after__lte=CONFIDENCE_MAX),
                name="training_confidence_after_range",
            ),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk} on session {self.session_id}"

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None


class Briefing(TimeStampedModel):
    """A 7-minute briefing: a short learning note sent to agencies for their practitioners."""

    title = models.CharField(max_length=200)
    summary = models.TextField()
    published_on = models.DateField(default=clock.today)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agencies = models.ManyToManyField("accounts.Agency", related_name="briefings")

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class BriefingRead(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    read_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["briefing", "reader"], name="training_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} read briefing {self.briefing_id}"
