"""Bookings refused when full, cancellations free a place, attendance only for the booked,
evaluations on a 1-5 scale, briefings only for the agencies they were sent to."""

from __future__ import annotations

import datetime as dt

import pytest

from cumulus.accounts.models import Role
from cumulus.core import clock
from cumulus.testing.factories import AgencyFactory, UserFactory
from cumulus.training import selectors, services
from cumulus.training.models import Booking, Course

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)


def _session(unit, places=2, days=7, code="neglect_basic"):
    course = Course.objects.get(code=code)
    return services.session_create(
        actor=unit, course=course, held_on=clock.today() + dt.timedelta(days=days), places=places
    )


def test_the_five_standard_courses_exist():
    assert set(Course.objects.values_list("code", flat=True)) >= {
        "neglect_basic",
        "neglect_advanced",
        "gcp2",
        "age_appropriate_communication",
        "whole_family_approach",
    }


def test_only_the_business_unit_creates_sessions():
    with pytest.raises(services.TrainingNotAllowedError):
        _session(UserFactory(role=Role.SOCIAL_WORKER))


def test_a_full_session_refuses_a_booking_and_a_cancellation_frees_the_place(unit):
    session = _session(unit, places=2)
    a, b, c = (UserFactory(agency=AgencyFactory()) for _ in range(3))
    first = services.booking_create(actor=a, session_id=session.pk)
    services.booking_create(actor=b, session_id=session.pk)
    with pytest.raises(services.SessionFullError, match="full"):
        services.booking_create(actor=c, session_id=session.pk)
    assert Booking.objects.filter(practitioner=c).count() == 0
    services.booking_cancel(actor=a, booking=first)
    services.booking_create(actor=c, session_id=session.pk)
    assert session.places_left == 0
    assert Booking.objects.filter(session=session, cancelled_at__isnull=True).count() == 2


def test_a_practitioner_cannot_book_twice_or_a_past_session(unit):
    session = _session(unit)
    someone = UserFactory()
    services.booking_create(actor=someone, session_id=session.pk)
    with pytest.raises(services.AlreadyBookedError):
        services.booking_create(actor=someone, session_id=session.pk)
    past = _session(unit, days=-1)
    with pytest.raises(services.BookingClosedError):
        services.booking_create(actor=someone, session_id=past.pk)


def test_the_booking_keeps_the_agency_at_the_time_of_booking(unit):
    session = _session(unit)
    agency = AgencyFactory()
    who = UserFactory(agency=agency)
    booking = services.booking_create(actor=who, session_id=session.pk)
    who.agency = AgencyFactory()
    who.save()
    booking.refresh_from_db()
    assert booking.agency == agency


def test_attendance_is_only_for_the_booked_and_nothing_is_saved_otherwise(unit):
    session = _session(unit, places=3)
    a, b = UserFactory(), UserFactory()
    ba = services.booking_create(actor=a, session_id=session.pk)
    bb = services.booking_create(actor=b, session_id=session.pk)
    other = services.booking_create(actor=UserFactory(), session_id=_session(unit).pk)
    with pytest.raises(services.NotBookedError):
        services.attendance_record(
            actor=unit, session=session, attended_booking_ids=[ba.pk, other.pk]
        )
    ba.refresh_from_db()
    assert ba.attended is None
    services.attendance_record(actor=unit, session=session, attended_booking_ids=[ba.pk])
    ba.refresh_from_db()
    bb.refresh_from_db()
    assert (ba.attended, bb.attended) == (True, False)


def test_a_cancelled_booking_cannot_be_marked_attended(unit):
    session = _session(unit)
    booking = services.booking_create(actor=UserFactory(), session_id=session.pk)
    services.booking_cancel(actor=booking.practitioner, booking=booking)
    with pytest.raises(services.NotBookedError):
        services.attendance_record(actor=unit, session=session, attended_booking_ids=[booking.pk])


def test_evaluation_needs_attendance_and_a_rating_from_1_to_5(unit):
    session = _session(unit)
    who = UserFactory()
    booking = services.booking_create(actor=who, session_id=session.pk)
    with pytest.raises(services.NotBookedError):
        services.evaluation_record(actor=who, booking=booking, before=2, after=4)
    services.attendance_record(actor=unit, session=session, attended_booking_ids=[booking.pk])
    booking.refresh_from_db()
    with pytest.raises(services.ConfidenceRangeError):
        services.evaluation_record(actor=who, booking=booking, before=2, after=6)
    with pytest.raises(services.TrainingNotAllowedError):
        services.evaluation_record(actor=UserFactory(), booking=booking, before=2, after=4)
    services.evaluation_record(actor=who, booking=booking, before=2, after=4)
    rows = selectors.evaluation_summary(start=session.held_on, end=session.held_on)
    assert [(r.rated, r.mean_before, r.mean_after, r.improved) for r in rows] == [(1, 2, 4, 1)]


def test_uptake_counts_attended_places_by_agency_and_month(unit):
    session = _session(unit, places=4)
    police, school = AgencyFactory(name="Police A"), AgencyFactory(name="School B")
    people = [UserFactory(agency=police), UserFactory(agency=police), UserFactory(agency=school)]
    bookings = [services.booking_create(actor=p, session_id=session.pk) for p in people]
    services.attendance_record(
        actor=unit, session=session, attended_booking_ids=[bookings[0].pk, bookings[2].pk]
    )
    rows = selectors.uptake_by_agency(start=session.held_on, end=session.held_on)
    month = session.held_on.replace(day=1)
    assert [(r.month, r.agency, r.attended) for r in rows] == [
        (month, "Police A", 1),
        (month, "School B", 1),
    ]
    filled = selectors.places_filled(start=session.held_on, end=session.held_on)
    assert (filled.offered, filled.attended, filled.percent) == (4, 2, 50.0)


def test_a_briefing_goes_to_chosen_agencies_and_is_marked_read_once(unit):
    sent_to, not_sent = AgencyFactory(), AgencyFactory()
    briefing = services.briefing_publish(
        actor=unit, title="Neglect and the under-ones", summary="Seven points.", agencies=[sent_to]
    )
    reader = UserFactory(agency=sent_to)
    services.briefing_mark_read(actor=reader, briefing=briefing)
    services.briefing_mark_read(actor=reader, briefing=briefing)
    with pytest.raises(services.TrainingNotAllowedError):
        services.briefing_mark_read(actor=UserFactory(agency=not_sent), briefing=briefing)
    [row] = selectors.briefing_reads(start=briefing.published_on, end=briefing.published_on)
    assert (row.agencies, row.reads) == (1, 1)
    with pytest.raises(services.BriefingAudienceError):
        services.briefing_publish(actor=unit, title="x", summary="y", agencies=[])
