"""Training reaches the indicator dashboard from the operational records: marking one more
attendee changes the published places-filled figure and the uptake count."""

from __future__ import annotations

import calendar
import re

import pytest

from cumulus.accounts.models import Role
from cumulus.core import clock
from cumulus.indicators.selectors import result_list
from cumulus.indicators.services import results_refresh
from cumulus.testing.factories import AgencyFactory, UserFactory
from cumulus.training import services
from cumulus.training.models import Course

pytestmark = pytest.mark.django_db

INDICATORS = ["training_places_filled", "neglect_training_uptake"]


def _month_end():
    today = clock.today()
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def _dashboard_value(client, indicator: str) -> str:
    page = client.get("/indicators/").content.decode()
    row = re.search(rf"/indicators/{indicator}/.*?</tr>", page, re.S)
    assert row, f"{indicator} is not on the dashboard"
    cells = re.findall(r'govuk-table__cell--numeric">([^<]*)<', row.group(0))
    return cells[-1].strip()


def test_attendance_changes_the_dashboard_figure(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    unit = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    session = services.session_create(
        actor=unit,
        course=Course.objects.get(code="neglect_basic"),
        held_on=clock.today(),
        places=10,
    )
    agency = AgencyFactory(agency_type="school")
    bookings = [
        services.booking_create(actor=UserFactory(agency=agency), session_id=session.pk)
        for _ in range(9)
    ]
    services.attendance_record(
        actor=unit, session=session, attended_booking_ids=[b.pk for b in bookings[:8]]
    )
    results_refresh(month_end=_month_end(), months=1, indicators=INDICATORS)
    [before] = result_list(indicator="training_places_filled")
    assert (before["numerator"], before["denominator"]) == (8, 10)
    client.force_login(UserFactory(role=Role.PARTNERSHIP_ANALYST))
    shown_before = _dashboard_value(client, "training_places_filled")

    services.attendance_record(
        actor=unit, session=session, attended_booking_ids=[b.pk for b in bookings]
    )
    results_refresh(month_end=_month_end(), months=1, indicators=INDICATORS)
    [after] = result_list(indicator="training_places_filled")
    assert (after["numerator"], after["denominator"]) == (9, 10)
    assert _dashboard_value(client, "training_places_filled") != shown_before
    [uptake] = result_list(indicator="neglect_training_uptake")
    assert uptake["numerator"] == 9


def test_a_cancelled_booking_is_not_counted(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    unit = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    session = services.session_create(
        actor=unit,
        course=Course.objects.get(code="age_appropriate_communication"),
        held_on=clock.today(),
        places=10,
    )
    bookings = [
        services.booking_create(actor=UserFactory(agency=AgencyFactory()), session_id=session.pk)
        for _ in range(7)
    ]
    services.booking_cancel(actor=bookings[6].practitioner, booking=bookings[6])
    services.attendance_record(
        actor=unit, session=session, attended_booking_ids=[b.pk for b in bookings[:6]]
    )
    results_refresh(month_end=_month_end(), months=1, indicators=["training_places_filled"])
    [row] = result_list(indicator="training_places_filled")
    assert (row["numerator"], row["denominator"]) == (6, 10)
