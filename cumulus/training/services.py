"""Writes: courses, sessions, bookings (refused when full), cancellations, attendance,
confidence evaluations and briefings. Each is one transaction; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.training import policies
from cumulus.training.models import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    Booking,
    Briefing,
    BriefingRead,
    Course,
    TrainingSession,
)


class TrainingNotAllowedError(CumulusError):
    """The user's role may not do this."""


class CourseExistsError(CumulusError):
    """A course with that code already exists."""


class SessionFullError(CumulusError):
    """Every place on the session is taken."""


class AlreadyBookedError(CumulusError):
    """The practitioner already holds a place on the session."""


class BookingClosedError(CumulusError):
    """The session is in the past, or the booking was cancelled."""


class NotBookedError(CumulusError):
    """Attendance or an evaluation for someone without a live booking."""


class ConfidenceRangeError(CumulusError):
    """A confidence rating outside 1 to 5."""


class BriefingAudienceError(CumulusError):
    """A briefing must go to at least one agency."""


def _manage(actor: User) -> None:
    if not policies.can_manage_training(actor):
        raise TrainingNotAllowedError("Only the partnership business unit manages training.")


@transaction.atomic
def course_create(*, actor: User, code: str, title: str, description: str = "") -> Course:
    _manage(actor)
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise CumulusError("A course needs a code and a title.")
    if Course.objects.filter(code=code).exists():
        raise CourseExistsError(f"There is already a course with the code {code!r}.")
    return Course.objects.create(code=code, title=title, description=description.strip())


@transaction.atomic
def session_create(
    *, actor: User, course: Course, held_on: dt.date, places: int, venue: str = ""
) -> TrainingSession:
    _manage(actor)
    if places < 1:
        raise CumulusError("A session needs at least one place.")
    if not course.is_active:
        raise CumulusError(f"The course {course.title} is no longer offered.")
    return TrainingSession.objects.create(
        course=course, held_on=held_on, places=places, venue=venue.strip(), created_by=actor
    )


def live_bookings(session: TrainingSession) -> int:
    return Booking.objects.filter(session=session, cancelled_at__isnull=True).count()


@transaction.atomic
def booking_create(*, actor: User, session_id: int, practitioner: User | None = None) -> Booking:
    """Book ``practitioner`` (default: the actor) a place. The business unit may book for
    others; practitioners book for themselves. The session row is locked so two bookings for
    the last place cannot both succeed."""
    who = practitioner or actor
    if who.pk != actor.pk:
        _manage(actor)
    if not policies.can_book_training(who):
        raise TrainingNotAllowedError("This account does not take places on training.")
    session = TrainingSession.objects.select_for_update().get(pk=session_id)
    if session.held_on < clock.today():
        raise BookingClosedError("This session has already taken place.")
    if Booking.objects.filter(
        session=session, practitioner=who, cancelled_at__isnull=True
    ).exists():
        raise AlreadyBookedError(f"{who.display_name} already has a place on this session.")
    if live_bookings(session) >= session.places:
        raise SessionFullError(
            f"The session on {session.held_on:%d %B %Y} is full ({session.places} places)."
        )
    return Booking.objects.create(session=session, practitioner=who, agency_id=who.agency_id)


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    """Cancel a place (the practitioner's own, or any for the business unit); frees it."""
    if booking.practitioner_id != actor.pk:
        _manage(actor)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.cancelled_at is not None:
        raise BookingClosedError("This booking is already cancelled.")
    if booking.attended is not None:
        raise BookingClosedError("Attendance is already recorded for this booking.")
    booking.cancelled_at = clock.now()
    booking.save()
    return booking


@transaction.atomic
def attendance_record(
    *, actor: User, session: TrainingSession, attended_booking_ids: Iterable[int]
) -> int:
    """Mark who came: listed live bookings attended, the other live bookings did not. An id
    that is not a live booking on this session is refused and nothing is saved."""
    _manage(actor)
    live = {
        b.pk: b
        for b in Booking.objects.select_for_update().filter(
            session=session, cancelled_at__isnull=True
        )
    }
    came = set(attended_booking_ids)
    strangers = came - set(live)
    if strangers:
        raise NotBookedError(
            "Attendance can only be recorded for people booked on this session "
            f"(booking {min(strangers)} is not)."
        )
    for pk, booking in live.items():
        booking.attended = pk in came
        booking.save()
    return len(came)


def _confidence(value: int | None, label: str) -> int | None:
    if value is None:
        return None
    if not CONFIDENCE_MIN <= value <= CONFIDENCE_MAX:
        raise ConfidenceRangeError(
            f"Confidence {label} must be from {CONFIDENCE_MIN} to {CONFIDENCE_MAX}."
        )
    return value


@transaction.atomic
def evaluation_record(
    *, actor: User, booking: Booking, before: int, after: int, comment: str = ""
) -> Booking:
    """The attendee's own rating of their confidence before and after the course (1-5)."""
    if booking.practitioner_id != actor.pk:
        raise TrainingNotAllowedError("Only the attendee rates their own confidence.")
    if booking.cancelled_at is not None or not booking.attended:
        raise NotBookedError("Only people who attended can evaluate the session.")
    booking.confidence_before = _confidence(before, "before the course")
    booking.confidence_after = _confidence(after, "after the course")
    booking.evaluation_comment = comment.strip()
    booking.save()
    return booking


@transaction.atomic
def briefing_publish(
    *,
    actor: User,
    title: str,
    summary: str,
    agencies: Iterable[Agency],
    published_on: dt.date | None = None,
) -> Briefing:
    _manage(actor)
    chosen = list(agencies)
    if not chosen:
        raise BriefingAudienceError("Choose at least one agency to send the briefing to.")
    if not title.strip() or not summary.strip():
        raise CumulusError("A briefing needs a title and its text.")
    briefing = Briefing.objects.create(
        title=title.strip(),
        summary=summary.strip(),
        published_on=published_on or clock.today(),
        published_by=actor,
    )
    briefing.agencies.set(chosen)
    return briefing


@transaction.atomic
def briefing_mark_read(*, actor: User, briefing: Briefing) -> BriefingRead:
    agency_ids = set(briefing.agencies.values_list("id", flat=True))
    if not policies.can_read_briefing(actor, agency_ids):
        raise TrainingNotAllowedError("This briefing was not sent to your agency.")
    read, _ = BriefingRead.objects.get_or_create(
        briefing=briefing, reader=actor, defaults={"agency_id": actor.agency_id}
    )
    return read
