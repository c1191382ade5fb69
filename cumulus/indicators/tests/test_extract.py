"""The extract from the operational database: pseudonymised and incremental."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from cumulus.accounts.models import AgencyType
from cumulus.casework.models import PlanType, Referral
from cumulus.chronology.models import AttendanceWeek
from cumulus.codelists.models import Scheme
from cumulus.indicators.extract import extract_refresh
from cumulus.people.models import Child
from cumulus.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    PlanFactory,
    code,
)

pytestmark = pytest.mark.django_db


def _referral(child: Child, on: dt.date, *, neglect: bool = False) -> Referral:
    return Referral.objects.create(
        child=child,
        referred_on=on,
        source=code(Scheme.REFERRAL_SOURCE, "1A"),
        primary_need=code(Scheme.PRIMARY_NEED, "N1"),
        is_neglect_concern=neglect,
    )


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_extract_carries_no_names_or_identifiers(tmp_path: Path) -> None:
    child = ChildFactory.create(la_child_id="LA123")
    HouseholdMembershipFactory(person=child.person)
    _referral(child, dt.date(2026, 1, 5), neglect=True)
    db = tmp_path / "x.duckdb"
    extract_refresh(database=db)
    con = duckdb.connect(str(db), read_only=True)
    dump = " ".join(
        str(row)
        for (name,) in con.execute("select table_name from information_schema.tables").fetchall()
        for row in con.execute(f'select * from "{name}"').fetchall()  # noqa: S608
    )
    con.close()
    for secret in (
        child.person.given_name,
        child.person.family_name,
        str(child.nhs_number),
        str(child.upn),
        "LA123",
    ):
        assert secret not in dump
    (key,) = _rows(db, "select child_key from children")[0]
    assert key != child.pk
    assert _rows(db, "select child_key from referrals") == [(key,)]


def test_a_second_run_reads_only_what_changed(tmp_path: Path) -> None:
    child = ChildFactory.create()
    first = _referral(child, dt.date(2026, 1, 5))
    db = tmp_path / "x.duckdb"
    assert extract_refresh(database=db)["referrals"] == 1
    assert extract_refresh(database=db)["referrals"] == 0
    first.is_neglect_concern = True
    first.save()
    PlanFactory(child=child, plan_type=PlanType.CHILD_IN_NEED, referral=first)
    written = extract_refresh(database=db)
    assert written["referrals"] == 1
    assert written["plans"] == 1
    assert written["children"] == 0
    assert _rows(db, "select count(*), bool_and(is_neglect) from referrals") == [(1, True)]
    # The plan belongs to a neglect referral, so the derived flag follows it.
    assert _rows(db, "select is_neglect from plans") == [(True,)]


def test_the_same_child_keeps_the_same_key_across_runs(tmp_path: Path) -> None:
    child = ChildFactory.create()
    db = tmp_path / "x.duckdb"
    extract_refresh(database=db)
    before = _rows(db, "select child_key from children")
    child.person.save()
    extract_refresh(database=db)
    assert _rows(db, "select child_key from children") == before


def test_events_and_attendance_are_keyed_by_the_childs_pseudonym(tmp_path: Path) -> None:
    child = ChildFactory.create()
    other = ChildFactory.create()
    school = AgencyFactory.create(agency_type=AgencyType.SCHOOL)
    nursery = AgencyFactory.create(agency_type=AgencyType.EARLY_YEARS)
    health = AgencyFactory.create(agency_type=AgencyType.HEALTH_VISITING)
    # 23:30 UTC on 10 June is 11 June in London: the extract dates events in UTC.
    ChronologyEventFactory(
        child=child, agency=health, occurred_at=dt.datetime(2026, 6, 10, 23, 30, tzinfo=dt.UTC)
    )
    monday = dt.date(2026, 6, 8)
    AttendanceWeek.objects.create(
        child=child, agency=school, week_start=monday, sessions_possible=10, sessions_attended=7
    )
    AttendanceWeek.objects.create(
        child=other, agency=nursery, week_start=monday, sessions_possible=6, sessions_attended=6
    )
    db = tmp_path / "x.duckdb"
    written = extract_refresh(database=db)
    assert (written["events"], written["attendance"]) == (1, 2)
    assert _rows(
        db,
        "select e.agency_type, e.event_type, e.occurred_on, e.neglect_type from events e "
        "join children c using (child_key)",
    ) == [("health_visiting", "health.was_not_brought", dt.date(2026, 6, 10), None)]
    weeks = _rows(
        db,
        "select c.child_key, a.setting_type, a.week_start, a.sessions_possible, "
        "a.sessions_attended from attendance a join children c using (child_key) "
        "order by a.sessions_possible",
    )
    assert _rows(db, "select count(distinct child_key) from children") == [(2,)]
    assert [row[1:] for row in weeks] == [
        ("early_years", monday, 6, 6),
        ("school", monday, 10, 7),
    ]
    assert weeks[0][0] != weeks[1][0]
