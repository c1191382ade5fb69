"""Sources once only synthetic, now read from the operational record: each one's extract and
the indicator it feeds, computed from the database path (extract, then the catalogue): neglect
types on events, tool uses, learning reviews, education status (NEET)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest

from cumulus.accounts.models import AgencyType, Role
from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import compute
from cumulus.casework.models import PlanType, Referral
from cumulus.codelists.models import Scheme
from cumulus.indicators.extract import extract_refresh
from cumulus.instruments.models import AssessmentStatus
from cumulus.participation.services import participation_record
from cumulus.people.models import Child
from cumulus.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    PlanFactory,
    UserFactory,
    code,
)
from cumulus.testing.factories_instruments import InstrumentAssessmentFactory
from cumulus.testing.factories_oversight import practitioner_for

pytestmark = pytest.mark.django_db

Row = tuple[int, int | None, float | None]


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _indicator(path: Path, indicator: str, end: dt.date) -> dict[tuple[str, str], Row]:
    """``indicator`` at ``end`` from the extract: (breakdown, group) -> (num, den, value)."""
    con = ibis.duckdb.connect(str(path))
    try:
        table = compute(con, [end], [CATALOGUE[indicator]], breakdowns=["agency"])
    finally:
        con.disconnect()
    return {
        (r["breakdown"], r["group"]): (r["numerator"], r["denominator"], r["value"])
        for r in table.to_pylist()
    }


def _resident_child(born: dt.date = dt.date(2017, 3, 27)) -> Child:
    child = ChildFactory.create(person__date_of_birth=born)
    HouseholdMembershipFactory(person=child.person)
    return child


def _neglect_plan(child: Child, started_on: dt.date) -> None:
    referral = Referral.objects.create(
        child=child,
        referred_on=started_on,
        source=code(Scheme.REFERRAL_SOURCE, "1A"),
        primary_need=code(Scheme.PRIMARY_NEED, "N1"),
        is_neglect_concern=True,
    )
    PlanFactory(
        child=child, plan_type=PlanType.CHILD_IN_NEED, referral=referral, started_on=started_on
    )


def test_events_carry_their_neglect_type_into_neglect_by_type(tmp_path: Path) -> None:
    child, other = _resident_child(), _resident_child()
    school = AgencyFactory.create(agency_type=AgencyType.SCHOOL)
    on = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)
    concern = code(Scheme.CHRONOLOGY_EVENT_TYPE, "education.concern")
    for who, kind in ((child, "nutritional"), (child, "nutritional"), (other, "supervision")):
        ChronologyEventFactory(
            child=who,
            agency=school,
            occurred_at=on,
            event_type=concern,
            neglect_type=code(Scheme.NEGLECT_TYPE, kind),
        )
    ChronologyEventFactory(child=other, agency=school, occurred_at=on)  # no neglect type
    db = tmp_path / "x.duckdb"
    extract_refresh(database=db)
    assert _rows(db, "select neglect_type, count(*) from events group by 1 order by 1") == [
        ("nutritional", 2),
        ("supervision", 1),
        (None, 1),
    ]
    result = _indicator(db, "neglect_by_type_and_age", dt.date(2026, 6, 30))
    # Children, not events: the child with two nutritional concerns counts once.
    assert result[("all", "all")][0] == 2
    assert result[("neglect_type", "nutritional")][0] == 1
    assert result[("neglect_type", "supervision")][0] == 1
    assert result[("agency", "school")][0] == 2
    assert _indicator(db, "neglect_by_type_and_age", dt.date(2026, 5, 31)) == {}  # none in May


def test_completed_instruments_and_impacts_are_tool_uses(tmp_path: Path) -> None:
    child = _resident_child()
    _neglect_plan(child, dt.date(2026, 1, 5))
    health = UserFactory.create(agency__agency_type=AgencyType.HEALTH_VISITING)
    social_worker = UserFactory.create(agency__agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    gcp2 = InstrumentAssessmentFactory.create(child=child, author=health)
    # A correction is the same use of the tool, not a second one.
    InstrumentAssessmentFactory(
        child=child,
        author=health,
        lineage=gcp2.lineage,
        version=2,
        corrects=gcp2,
        correction_reason="Grade mistyped",
        assessed_on=gcp2.assessed_on,
    )
    sdq = InstrumentAssessmentFactory.create(
        child=child,
        author=social_worker,
        instrument_id="sdq-scores",
        assessed_on=dt.date(2026, 3, 9),
        status=AssessmentStatus.DRAFT,
    )
    ChronologyEventFactory(
        child=child,
        agency=health.agency,
        impact_on_child="Went to school hungry most days.",
        impact_recorded_by=social_worker,
        impact_recorded_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
    )
    db = tmp_path / "x.duckdb"
    assert extract_refresh(database=db)["tool_uses"] == 2
    uses = "select tool, completed_on, agency_type from tool_uses order by completed_on"
    assert _rows(db, uses) == [
        ("gcp2", dt.date(2026, 2, 10), "health_visiting"),
        ("impact_chronology", dt.date(2026, 3, 2), "childrens_social_care"),
    ]
    february, march = dt.date(2026, 2, 28), dt.date(2026, 3, 31)
    by_agency = _indicator(db, "gcp2_use_by_agency", february)
    assert by_agency[("all", "all")][0] == 1
    assert by_agency[("agency", "health_visiting")][0] == 1
    assert _indicator(db, "gcp2_use_neglect_plans", february)[("all", "all")] == (1, 1, 100.0)
    assert _indicator(db, "toolkit_use_neglect_cases", february)[("all", "all")] == (0, 1, 0.0)
    assert _indicator(db, "toolkit_use_neglect_cases", march)[("all", "all")] == (1, 1, 100.0)

    # Incremental: nothing changed, nothing read; the SDQ signed off is one more use.
    assert extract_refresh(database=db)["tool_uses"] == 0
    sdq.status = AssessmentStatus.COMPLETE
    sdq.save()
    assert extract_refresh(database=db)["tool_uses"] == 1
    counts = "select tool, count(*), count(distinct tool_use_key) from tool_uses group by 1"
    assert sorted(_rows(db, counts)) == [("gcp2", 1, 1), ("impact_chronology", 1, 1), ("sdq", 1, 1)]
    assert _indicator(db, "toolkit_use_neglect_cases", march)[("all", "all")] == (1, 1, 100.0)


def test_participation_records_are_education_status_and_not_known_is_left_out(
    tmp_path: Path,
) -> None:
    june, end = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    young = [_resident_child(born=dt.date(2009, 3, 1)) for _ in range(4)]
    for child in young[:3]:
        _neglect_plan(child, dt.date(2026, 1, 5))
    neet, in_education, not_known, no_plan = young
    workers = {
        c.pk: practitioner_for(c, role=Role.EARLY_HELP_PRACTITIONER, agency_type="early_help")
        for c in young
    }

    def record(child: Child, status: str) -> None:
        participation_record(actor=workers[child.pk], child=child, month=june, status=status)

    record(neet, "neet")
    record(in_education, "education")
    record(not_known, "not_known")
    record(no_plan, "neet")  # not in the neglect cohort
    db = tmp_path / "x.duckdb"
    assert extract_refresh(database=db)["education_status"] == 4
    statuses = "select is_neet, count(*) from education_status group by 1 order by 1"
    assert _rows(db, statuses) == [(False, 1), (True, 2), (None, 1)]
    # The known statuses of the cohort: NEET of NEET and in education; not known is neither.
    assert _indicator(db, "neet_16_17_neglect", end)[("all", "all")] == (1, 2, 50.0)

    # A later record for the month supersedes the first on the next (incremental) run.
    record(in_education, "neet")
    record(not_known, "employment_without_training")
    assert extract_refresh(database=db)["education_status"] == 2
    assert _rows(db, statuses) == [(False, 1), (True, 3)]
    assert _indicator(db, "neet_16_17_neglect", end)[("all", "all")] == (2, 3, 66.666667)
