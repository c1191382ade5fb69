"""Events enter the chronology from a code list and come back newest first."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cumulus.chronology.models import Significance
from cumulus.chronology.selectors import chronology_for_child
from cumulus.chronology.services import chronology_event_record
from cumulus.codelists.models import Code
from cumulus.testing.factories import AgencyFactory, ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10))


def test_recorded_event_carries_who_when_and_source():
    child, agency, actor = ChildFactory(), AgencyFactory(), UserFactory()
    event = chronology_event_record(
        actor=actor,
        child=child,
        agency=agency,
        event_type="home.conditions_concern",
        occurred_at=_at(2026, 3, 2),
        summary="No food in the house.",
        significance=Significance.HIGH,
    )
    assert event.recorded_by == actor
    assert event.source_system == "cumulus"
    assert event.recorded_at >= event.occurred_at
    assert event.event_type.label == "Home conditions concern"


def test_unknown_event_type_is_refused():
    with pytest.raises(Code.DoesNotExist):
        chronology_event_record(
            actor=None,
            child=ChildFactory(),
            agency=AgencyFactory(),
            event_type="not.a.type",
            occurred_at=_at(2026, 3, 2),
            summary="x",
        )


def test_empty_summary_is_refused():
    with pytest.raises(ValidationError) as caught:
        chronology_event_record(
            actor=None,
            child=ChildFactory(),
            agency=AgencyFactory(),
            event_type="education.absence",
            occurred_at=_at(2026, 3, 2),
            summary="",
        )
    assert "summary" in caught.value.message_dict


def test_chronology_is_newest_first_or_oldest_first_on_request():
    child, agency = ChildFactory(), AgencyFactory()
    for day in (5, 1, 9):
        chronology_event_record(
            actor=None,
            child=child,
            agency=agency,
            event_type="education.absence",
            occurred_at=_at(2026, 1, day),
            summary=f"day {day}",
        )
    newest = [e.summary for e in chronology_for_child(child=child)]
    oldest = [e.summary for e in chronology_for_child(child=child, newest_first=False)]
    assert newest == ["day 9", "day 5", "day 1"]
    assert oldest == list(reversed(newest))


def test_another_childs_events_never_appear():
    child, other, agency = ChildFactory(), ChildFactory(), AgencyFactory()
    chronology_event_record(
        actor=None,
        child=other,
        agency=agency,
        event_type="education.absence",
        occurred_at=_at(2026, 1, 1),
        summary="other child's",
    )
    assert not chronology_for_child(child=child).exists()
