"""Recording what a 16-17 year old is doing each month: who may, for which months, and which
record counts when a month is recorded twice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cumulus.accounts.models import AgencyType, Role
from cumulus.participation.models import ActivityStatus, ParticipationRecord
from cumulus.participation.selectors import extract_participation, participation_list
from cumulus.participation.services import ParticipationNotAllowedError, participation_record
from cumulus.testing.factories import ChildFactory
from cumulus.testing.factories_oversight import fix_today, practitioner_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
BORN = dt.date(2009, 6, 15)  # 16 from June 2025, 18 in June 2027


@pytest.fixture
def case(monkeypatch):
    fix_today(monkeypatch, TODAY)
    child = ChildFactory(person__date_of_birth=BORN)
    worker = practitioner_for(
        child, role=Role.EARLY_HELP_PRACTITIONER, agency_type=AgencyType.EARLY_HELP
    )
    return child, worker


def test_a_status_is_kept_for_the_first_of_its_month_with_who_recorded_it(case):
    child, worker = case
    record = participation_record(
        actor=worker, child=child, month=dt.date(2026, 2, 17), status=ActivityStatus.NEET
    )
    assert record.month == dt.date(2026, 2, 1)
    assert record.recorded_by == worker
    assert record.is_neet is True
    assert str(record) == "Not in education, employment or training (NEET) in February 2026"


def test_only_months_in_which_the_young_person_is_16_or_17(case):
    child, worker = case
    # Turns 16 on 15 June 2025: June counts, May does not; 18 on 15 June 2027: May 2027 would.
    assert participation_record(
        actor=worker, child=child, month=dt.date(2025, 6, 1), status="education"
    )
    with pytest.raises(ValidationError, match="not 16 or 17 in May 2025"):
        participation_record(actor=worker, child=child, month=dt.date(2025, 5, 1), status="neet")
    older = ChildFactory(person__date_of_birth=dt.date(2008, 2, 1))  # 18 on 1 February 2026
    worker_for_older = practitioner_for(older, agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    assert participation_record(
        actor=worker_for_older, child=older, month=dt.date(2026, 1, 1), status="neet"
    )
    with pytest.raises(ValidationError, match="not 16 or 17 in February 2026"):
        participation_record(
            actor=worker_for_older, child=older, month=dt.date(2026, 2, 1), status="neet"
        )
    assert ParticipationRecord.objects.count() == 2


def test_no_future_month_no_unknown_status_and_nothing_saved(case):
    child, worker = case
    with pytest.raises(ValidationError) as raised:
        participation_record(actor=worker, child=child, month=dt.date(2026, 4, 1), status="idle")
    assert raised.value.message_dict == {
        "status": ["Choose what the young person is doing"],
        "month": ["The month must be March 2026 or earlier"],
    }
    assert not ParticipationRecord.objects.exists()
    assert participation_record(actor=worker, child=child, month=TODAY, status="neet")


def test_a_child_with_no_date_of_birth_has_no_status(case):
    _, worker = case
    unborn = ChildFactory(person__date_of_birth=None, expected_birth_on=dt.date(2026, 5, 1))
    worker = practitioner_for(unborn, agency_type=AgencyType.EARLY_HELP)
    with pytest.raises(ValidationError, match="no date of birth"):
        participation_record(actor=worker, child=unborn, month=TODAY, status="neet")


def test_only_the_councils_services_for_a_young_person_they_work_with(case):
    child, _ = case
    school = practitioner_for(child, agency_type=AgencyType.SCHOOL)
    with pytest.raises(ParticipationNotAllowedError):
        participation_record(actor=school, child=child, month=TODAY, status="neet")
    stranger = practitioner_for(ChildFactory(), agency_type=AgencyType.EARLY_HELP)
    with pytest.raises(ParticipationNotAllowedError):
        participation_record(actor=stranger, child=child, month=TODAY, status="neet")


def test_a_later_record_for_the_month_supersedes_and_not_known_is_neither(case, monkeypatch):
    child, worker = case
    february = dt.date(2026, 2, 1)
    first = participation_record(actor=worker, child=child, month=february, status="not_known")
    assert first.is_neet is None
    participation_record(actor=worker, child=child, month=dt.date(2026, 1, 5), status="neet")
    fix_today(monkeypatch, dt.date(2026, 3, 12))
    participation_record(actor=worker, child=child, month=february, status="apprenticeship")
    assert [(r.month, r.status) for r in participation_list(child=child)] == [
        (february, "apprenticeship"),
        (dt.date(2026, 1, 1), "neet"),
    ]
    assert ParticipationRecord.objects.count() == 3  # the superseded record is kept
    since = first.recorded_at
    assert list(extract_participation(since=since)) == [(child.pk, february, "apprenticeship")]
    assert sorted(extract_participation(since=None)) == [
        (child.pk, dt.date(2026, 1, 1), "neet"),
        (child.pk, february, "apprenticeship"),
    ]
