"""The training section of the governance report reads the quarter's records."""

from __future__ import annotations

import datetime as dt

import pytest

from cumulus.accounts.models import Role
from cumulus.governance.sections import SECTION_PROVIDERS, ReportPeriod, providers
from cumulus.testing.factories import AgencyFactory, UserFactory
from cumulus.training.governance import governance_section
from cumulus.training.models import Booking, Course, TrainingSession
from cumulus.training.services import briefing_mark_read, briefing_publish

pytestmark = pytest.mark.django_db


def test_the_section_is_listed_for_the_report():
    assert "cumulus.training.governance:governance_section" in SECTION_PROVIDERS
    assert governance_section in providers()


def test_the_section_shows_the_quarters_uptake_places_evaluation_and_briefings():
    period = ReportPeriod.quarter("2026Q3")
    course = Course.objects.get(code="neglect_basic")
    police = AgencyFactory(name="Eastmoor Police")
    inside = TrainingSession.objects.create(course=course, held_on=dt.date(2026, 8, 4), places=4)
    outside = TrainingSession.objects.create(course=course, held_on=dt.date(2026, 10, 4), places=4)
    for before, after in ((2, 4), (3, 3)):
        Booking.objects.create(
            session=inside,
            practitioner=UserFactory(agency=police),
            agency=police,
            attended=True,
            confidence_before=before,
            confidence_after=after,
        )
    Booking.objects.create(
        session=outside, practitioner=UserFactory(agency=police), agency=police, attended=True
    )
    unit = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    briefing = briefing_publish(
        actor=unit,
        title="Seven minutes on neglect",
        summary="x",
        agencies=[police],
        published_on=dt.date(2026, 9, 1),
    )
    briefing_mark_read(actor=UserFactory(agency=police), briefing=briefing)

    section = governance_section(period, "bury")
    assert section.key == "training"
    uptake, evaluation, briefings = section.tables
    assert uptake.rows == [["Eastmoor Police", 2, 2]]
    assert uptake.headers == ["Agency", "Aug 2026", "Total"]
    assert evaluation.rows == [[course.title, 2, 2.5, 3.5, 50.0]]
    assert briefings.rows == [["Seven minutes on neglect", "2026-09-01", 1, 1]]
    assert section.summary[0].startswith("2 of 4 training places filled on 1 sessions (50.0%)")
    assert section.charts[0].values == [2.0]


def test_an_empty_quarter_says_so():
    section = governance_section(ReportPeriod.quarter("2020Q1"), "bury")
    assert "No attendee rated" in section.summary[1]
    assert section.tables[0].rows == []
