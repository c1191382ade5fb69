"""Reads: what a viewer may book or read, and the business unit's figures (uptake by agency
and month, places filled, confidence before and after, briefings read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cumulus.accounts.models import User
from cumulus.core import clock
from cumulus.training import policies
from cumulus.training.models import Booking, Briefing, Course, TrainingSession


def course_list(*, active_only: bool = False) -> QuerySet[Course]:
    qs = Course.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def sessions_with_counts() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related("course").annotate(
        booked=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True)),
        attended_count=Count("bookings", filter=Q(bookings__attended=True)),
    )


def sessions_upcoming(*, on: dt.date | None = None) -> QuerySet[TrainingSession]:
    return sessions_with_counts().filter(held_on__gte=on or clock.today())


def session_get_managed(*, viewer: User, session_id: int) -> TrainingSession:
    """A session's page with its bookings is for the business unit only."""
    if not policies.can_manage_training(viewer):
        raise Http404("No session found")
    try:
        return sessions_with_counts().get(pk=session_id)
    except TrainingSession.DoesNotExist:
        raise Http404("No session found") from None


def bookings_of(*, viewer: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(practitioner=viewer)
        .select_related("session__course")
        .order_by("-session__held_on", "-id")
    )


def booking_get(*, viewer: User, booking_id: int) -> Booking:
    """A booking is seen by its practitioner and by the business unit; others get 404."""
    try:
        booking = Booking.objects.select_related("session__course", "practitioner").get(
            pk=booking_id
        )
    except Booking.DoesNotExist:
        raise Http404("No booking found") from None
    if booking.practitioner_id != viewer.pk and not policies.can_manage_training(viewer):
        raise Http404("No booking found")
    return booking


def briefings_for(*, viewer: User) -> QuerySet[Briefing]:
    if policies.can_manage_training(viewer):
        return Briefing.objects.all()
    if viewer.agency_id is None:
        return Briefing.objects.none()
    return Briefing.objects.filter(agencies=viewer.agency_id).distinct()


def briefing_get(*, viewer: User, briefing_id: int) -> Briefing:
    try:
        briefing = Briefing.objects.get(pk=briefing_id)
    except Briefing.DoesNotExist:
        raise Http404("No briefing found") from None
    if not policies.can_read_briefing(viewer, set(briefing.agencies.values_list("id", flat=True))):
        raise Http404("No briefing found")
    return briefing


def briefings_read_by(*, viewer: User) -> set[int]:
    return set(Briefing.objects.filter(reads__reader=viewer).values_list("id", flat=True))


# ---- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UptakeRow:
    month: dt.date
    agency: str
    attended: int


def _held(start: dt.date, end: dt.date) -> Q:
    return Q(session__held_on__gte=start, session__held_on__lte=end)


def uptake_by_agency(
    *, start: dt.date, end: dt.date, courses: tuple[str, ...] | None = None
) -> list[UptakeRow]:
    """Attended places on sessions held in ``[start, end]``, by month and attendee's agency."""
    qs = Booking.objects.filter(_held(start, end), attended=True, cancelled_at__isnull=True)
    if courses:
        qs = qs.filter(session__course__code__in=courses)
    counts: dict[tuple[dt.date, str], int] = {}
    for held_on, agency in qs.values_list("session__held_on", "agency__name"):
        key = (held_on.replace(day=1), agency or "No agency")
        counts[key] = counts.get(key, 0) + 1
    return [UptakeRow(m, a, n) for (m, a), n in sorted(counts.items())]


@dataclass(frozen=True)
class PlacesFilled:
    sessions: int
    offered: int
    attended: int

    @property
    def percent(self) -> float | None:
        return None if not self.offered else round(100 * self.attended / self.offered, 1)


def places_filled(*, start: dt.date, end: dt.date) -> PlacesFilled:
    sessions = TrainingSession.objects.filter(held_on__gte=start, held_on__lte=end)
    offered = sum(sessions.values_list("places", flat=True))
    attended = Booking.objects.filter(_held(start, end), attended=True).count()
    return PlacesFilled(sessions=sessions.count(), offered=offered, attended=attended)


@dataclass(frozen=True)
class EvaluationRow:
    course: str
    rated: int
    mean_before: float | None
    mean_after: float | None
    improved: int

    @property
    def improved_percent(self) -> float | None:
        return None if not self.rated else round(100 * self.improved / self.rated, 1)


def evaluation_summary(*, start: dt.date, end: dt.date) -> list[EvaluationRow]:
    """Confidence before and after (1-5), per course, for attendees who rated both."""
    rows = Booking.objects.filter(
        _held(start, end),
        attended=True,
        confidence_before__isnull=False,
        confidence_after__isnull=False,
    ).values_list("session__course__title", "confidence_before", "confidence_after")
    by_course: dict[str, list[tuple[int, int]]] = {}
    for title, before, after in rows:
        if before is not None and after is not None:
            by_course.setdefault(title, []).append((before, after))
    out = []
    for title, pairs in sorted(by_course.items()):
        n = len(pairs)
        out.append(
            EvaluationRow(
                course=title,
                rated=n,
                mean_before=round(sum(b for b, _ in pairs) / n, 2),
                mean_after=round(sum(a for _, a in pairs) / n, 2),
                improved=sum(1 for b, a in pairs if a > b),
            )
        )
    return out


@dataclass(frozen=True)
class BriefingRow:
    title: str
    published_on: dt.date
    agencies: int
    reads: int


def briefing_reads(*, start: dt.date, end: dt.date) -> list[BriefingRow]:
    qs = Briefing.objects.filter(published_on__gte=start, published_on__lte=end).annotate(
        n_agencies=Count("agencies", distinct=True), n_reads=Count("reads", distinct=True)
    )
    return [BriefingRow(b.title, b.published_on, b.n_agencies, b.n_reads) for b in qs]


# ---- for the analytical extract -------------------------------------------------------------


def extract_sessions() -> list[dict[str, Any]]:
    """Every session (operational ids): the extract pseudonymises them."""
    return [
        dict(r) for r in TrainingSession.objects.values("id", "course__code", "held_on", "places")
    ]


def extract_bookings() -> list[dict[str, Any]]:
    """Every live booking with its attendee's agency type and confidence ratings."""
    return [
        dict(r)
        for r in Booking.objects.filter(cancelled_at__isnull=True).values(
            "session_id",
            "practitioner_id",
            "agency__agency_type",
            "attended",
            "confidence_before",
            "confidence_after",
        )
    ]
