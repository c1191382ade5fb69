"""Loading a generated partnership: every table arrives, in bulk, or nothing does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from django.db import connection

from cumulus.accounts.models import Agency, User
from cumulus.casework.models import Assessment, Contact, Plan, Referral, Review
from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
from cumulus.core import clock
from cumulus.participation.models import ParticipationRecord
from cumulus.people.models import (
    Child,
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    Relationship,
)
from cumulus.synth import loader
from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.loader import SynthLoadError, load_into_db

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 31)
START = dt.date(2023, 4, 1)
UTC = dt.UTC

COUNTED_MODELS = (
    Agency,
    Household,
    HouseholdMembership,
    Person,
    Child,
    Relationship,
    Involvement,
    Contact,
    Referral,
    Assessment,
    Plan,
    Review,
    ChronologyEvent,
    AttendanceWeek,
    User,
)


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def small_partnership(*, serial: int = 0) -> dict[str, pa.Table]:
    """A hand-built partnership that conforms to ``SCHEMAS``: two households, four children
    (one unborn on TODAY), three adults and a little of every kind of record.

    ``serial`` changes the identifiers (NHS number, UPN, LA child id, usernames), so a second
    partnership can be loaded beside the first.
    """
    s = serial

    def child(pid: int, hh: int, name: str, dob: dt.date, sex: str, **extra: Any) -> dict:
        row = {
            "person_id": pid,
            "household_id": hh,
            "la_child_id": f"EM{s}{pid:07d}",
            "given_name": name,
            "family_name": "Ashby" if hh == 0 else "Brook",
            "former_family_name": None,
            "sex": sex,
            "date_of_birth": dob,
            "nhs_number": f"999{s}{pid:06d}",
            "upn": f"H999{s}{pid:08d}",
            "ethnicity": "WBRI",
            "disability": "NONE",
            "has_send": False,
            "young_carer": False,
            "neglect_proneness": 0.0,
        }
        row.update(extra)
        return row

    def at(day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC)

    agencies = [
        ("csc", "Eastmoor Children's Social Care", "childrens_social_care"),
        ("early_help", "Eastmoor Early Help Service", "early_help"),
        ("gp_001", "Moorside Surgery", "gp"),
        ("school_p001", "Moorside Primary School", "school"),
        ("police", "Eastmoor Police", "police"),
    ]
    tables = {
        "agencies": _table(
            "agencies",
            [{"agency_key": k, "name": n, "agency_type": t} for k, n, t in agencies],
        ),
        "neighbourhoods": _table(
            "neighbourhoods",
            [
                {
                    "lsoa_id": 0,
                    "lsoa_code": "E01990000",
                    "locality": "Eastmoor 1",
                    "imd_decile": 1,
                    "income_deprived_share": 0.52,
                },
                {
                    "lsoa_id": 1,
                    "lsoa_code": "E01990001",
                    "locality": "Eastmoor 2",
                    "imd_decile": 9,
                    "income_deprived_share": 0.03,
                },
            ],
        ),
        "households": _table(
            "households",
            [
                {
                    "household_id": 0,
                    "lsoa_id": 0,
                    "address_line_1": "1 Mill Lane",
                    "postcode": "EM1 1AA",
                    "moved_on": None,
                    "in_poverty": True,
                    "domestic_abuse": True,
                    "parental_mental_health": False,
                    "substance_misuse": False,
                    "parental_learning_disability": False,
                    "parental_care_experience": False,
                    "large_family": False,
                    "relapse_prone": True,
                },
                {
                    "household_id": 1,
                    "lsoa_id": 1,
                    "address_line_1": "2 Hill Road",
                    "postcode": "EM2 2BB",
                    "moved_on": dt.date(2024, 6, 1),
                    "previous_address_line_1": "9 Old Street",
                    "previous_postcode": "EM3 3CC",
                    "in_poverty": False,
                    "domestic_abuse": False,
                    "parental_mental_health": True,
                    "substance_misuse": False,
                    "parental_learning_disability": False,
                    "parental_care_experience": False,
                    "large_family": False,
                    "relapse_prone": False,
                },
            ],
        ),
        "adults": _table(
            "adults",
            [
                {
                    "person_id": 5,
                    "household_id": 0,
                    "given_name": "Jo",
                    "family_name": "Ashby",
                    "sex": "F",
                    "date_of_birth": dt.date(1990, 2, 3),
                    "relationship_type": "parent",
                },
                {
                    "person_id": 6,
                    "household_id": 0,
                    "given_name": "Lee",
                    "family_name": "Ashby",
                    "sex": "M",
                    "date_of_birth": dt.date(1988, 7, 9),
                    "relationship_type": "step_parent",
                },
                {
                    "person_id": 7,
                    "household_id": 1,
                    "given_name": "Kim",
                    "family_name": "Brook",
                    "sex": "F",
                    "date_of_birth": dt.date(1985, 11, 30),
                    "relationship_type": "parent",
                },
            ],
        ),
        "children": _table(
            "children",
            [
                child(1, 0, "Sam", dt.date(2016, 5, 6), "M", former_family_name="Carter"),
                child(2, 0, "Ava", dt.date(2024, 1, 10), "F", upn=None, disability="MOB"),
                child(
                    3, 0, "Baby", dt.date(2026, 5, 1), "F", nhs_number=None, upn=None
                ),  # unborn on TODAY
                child(4, 1, "Noah", dt.date(2012, 9, 1), "M", ethnicity="MWBC", has_send=True),
            ],
        ),
        "relationships": _table(
            "relationships",
            [
                {
                    "person_id": 5,
                    "relative_id": c,
                    "relationship_type": "parent",
                    "has_parental_responsibility": True,
                }
                for c in (1, 2, 3)
            ]
            + [
                {
                    "person_id": 6,
                    "relative_id": 2,
                    "relationship_type": "step_parent",
                    "has_parental_responsibility": False,
                },
                {
                    "person_id": 1,
                    "relative_id": 2,
                    "relationship_type": "sibling",
                    "has_parental_responsibility": False,
                },
                {
                    "person_id": 7,
                    "relative_id": 4,
                    "relationship_type": "parent",
                    "has_parental_responsibility": True,
                },
            ],
        ),
        "need_states": _table(
            "need_states",
            [
                {
                    "person_id": 1,
                    "month": START,
                    "neglect_level": 2,
                    "neglect_type": "educational",
                    "material_need": True,
                },
                {
                    "person_id": 4,
                    "month": START,
                    "neglect_level": 0,
                    "neglect_type": None,
                    "material_need": False,
                },
            ],
        ),
        "events": _table(
            "events",
            [
                {
                    "event_id": 1,
                    "person_id": 1,
                    "agency_key": "school_p001",
                    "event_type": "education.dsl_concern",
                    "occurred_at": at(dt.date(2024, 9, 12)),
                    "significance": "medium",
                    "neglect_type": "educational",
                },
                {
                    "event_id": 2,
                    "person_id": 2,
                    "agency_key": "gp_001",
                    "event_type": "health.was_not_brought",
                    "occurred_at": at(dt.date(2024, 10, 2)),
                    "significance": "medium",
                    "neglect_type": "medical",
                },
                {
                    "event_id": 3,
                    "person_id": 1,
                    "agency_key": "police",
                    "event_type": "police.domestic_abuse",
                    "occurred_at": at(dt.date(2024, 11, 20), hour=23),
                    "significance": "high",
                    "neglect_type": None,
                },
                {
                    "event_id": 4,
                    "person_id": 4,
                    "agency_key": "school_p001",
                    "event_type": "education.absence",
                    "occurred_at": at(dt.date(2025, 1, 8)),
                    "significance": "low",
                    "neglect_type": None,
                },
            ],
        ),
        "attendance": pa.Table.from_pylist(
            [
                {
                    "person_id": p,
                    "agency_key": "school_p001",
                    "week_start": dt.date(2024, 9, 2) + dt.timedelta(weeks=w),
                    "sessions_possible": 10,
                    "sessions_attended": 10 - (w if p == 1 else 0),
                }
                for p in (1, 4)
                for w in range(3)
            ],
            schema=SCHEMAS["attendance"],
        ),
        "involvements": _table(
            "involvements",
            [
                {
                    "person_id": 1,
                    "agency_key": "school_p001",
                    "role": "Class teacher",
                    "started_on": START,
                    "ended_on": None,
                },
                {
                    "person_id": 2,
                    "agency_key": "gp_001",
                    "role": "Registered GP practice",
                    "started_on": dt.date(2024, 1, 10),
                    "ended_on": None,
                },
                {
                    "person_id": 1,
                    "agency_key": "csc",
                    "role": "Allocated social worker",
                    "started_on": dt.date(2024, 12, 2),
                    "ended_on": dt.date(2025, 6, 30),
                },
            ],
        ),
        "contacts": _table(
            "contacts",
            [
                {
                    "contact_id": 10,
                    "person_id": 1,
                    "agency_key": "police",
                    "received_on": dt.date(2024, 11, 21),
                    "is_neglect_concern": True,
                },
                {
                    "contact_id": 11,
                    "person_id": 4,
                    "agency_key": "school_p001",
                    "received_on": dt.date(2025, 2, 1),
                    "is_neglect_concern": False,
                },
            ],
        ),
        "referrals": _table(
            "referrals",
            [
                {
                    "referral_id": 10,
                    "person_id": 1,
                    "contact_id": 10,
                    "referred_on": dt.date(2024, 11, 22),
                    "source": "5A",
                    "primary_need": "N1",
                    "is_neglect_concern": True,
                    "no_further_action": False,
                    "closed_on": dt.date(2025, 6, 30),
                    "closure_reason": "RC7",
                },
                {
                    "referral_id": 11,
                    "person_id": 4,
                    "contact_id": 11,
                    "referred_on": dt.date(2025, 2, 2),
                    "source": "2A",
                    "primary_need": None,
                    "is_neglect_concern": False,
                    "no_further_action": True,
                    "closed_on": None,
                    "closure_reason": None,
                },
            ],
        ),
        "assessments": _table(
            "assessments",
            [
                {
                    "assessment_id": 20,
                    "person_id": 1,
                    "referral_id": 10,
                    "assessment_type": "child_and_family",
                    "started_on": dt.date(2024, 11, 23),
                    "authorised_on": dt.date(2024, 12, 20),
                    "initial_conference_on": None,
                    "factors": ["3A", "4B", "3A"],
                },
                {
                    "assessment_id": 21,
                    "person_id": 2,
                    "referral_id": None,
                    "assessment_type": "early_help",
                    "started_on": dt.date(2025, 3, 1),
                    "authorised_on": None,
                    "initial_conference_on": None,
                    "factors": None,
                },
            ],
        ),
        "plans": _table(
            "plans",
            [
                {
                    "plan_id": 30,
                    "person_id": 1,
                    "referral_id": 10,
                    "plan_type": "child_protection",
                    "started_on": dt.date(2025, 1, 6),
                    "ended_on": dt.date(2025, 6, 30),
                    "initial_category": "NEG",
                    "latest_category": "NEG",
                    "number_of_previous_cp_plans": 0,
                    "end_reason": "step_down",
                },
                {
                    "plan_id": 31,
                    "person_id": 2,
                    "referral_id": None,
                    "plan_type": "early_help",
                    "started_on": dt.date(2025, 3, 10),
                    "ended_on": None,
                    "initial_category": None,
                    "latest_category": None,
                    "number_of_previous_cp_plans": None,
                    "end_reason": None,
                },
            ],
        ),
        "reviews": _table(
            "reviews", [{"review_id": 40, "plan_id": 30, "held_on": dt.date(2025, 4, 6)}]
        ),
        "practitioners": _table(
            "practitioners",
            [
                {
                    "practitioner_id": 1,
                    "agency_key": "csc",
                    "username": f"synth.sw{s}",
                    "given_name": "Pat",
                    "family_name": "Lowe",
                    "role": "social_worker",
                },
                {
                    "practitioner_id": 2,
                    "agency_key": "school_p001",
                    "username": f"synth.dsl{s}",
                    "given_name": "Ray",
                    "family_name": "Moss",
                    "role": "designated_safeguarding_lead",
                },
            ],
        ),
        "training_sessions": _table(
            "training_sessions",
            [{"session_id": 1, "course": "neglect_basic", "held_on": START, "places": 20}],
        ),
        "training_bookings": _table(
            "training_bookings",
            [
                {
                    "session_id": 1,
                    "practitioner_id": 2,
                    "attended": True,
                    "confidence_before": 4,
                    "confidence_after": 7,
                }
            ],
        ),
        "tool_uses": _table(
            "tool_uses",
            [
                {
                    "person_id": 1,
                    "tool": "gcp2",
                    "completed_on": dt.date(2024, 12, 1),
                    "practitioner_id": 1,
                }
            ],
        ),
        "audits": SCHEMAS["audits"].empty_table(),
        "education_status": SCHEMAS["education_status"].empty_table(),
        "learning_reviews": SCHEMAS["learning_reviews"].empty_table(),
        "feed_records": _table(
            "feed_records",
            [
                {
                    "record_id": 1,
                    "agency_key": "gp_001",
                    "source_record_id": "GP-1",
                    "given_name": "Sammy",
                    "family_name": "Ashby",
                    "date_of_birth": dt.date(2016, 6, 5),
                    "sex": "M",
                    "postcode": "EM1 1AA",
                    "nhs_number": None,
                    "upn": None,
                    "true_person_id": 1,
                    "noise": ["nickname", "swapped_day_month", "missing_nhs_number"],
                }
            ],
        ),
    }
    assert list(tables) == list(SCHEMAS)
    return tables


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED_MODELS}


def _replace(tables: dict[str, pa.Table], name: str, column: str, values: list) -> dict:
    table = tables[name]
    index = table.schema.get_field_index(column)
    array = pa.array(values, type=table.schema.field(column).type)
    return {**tables, name: table.set_column(index, table.schema.field(column), array)}


def test_every_table_is_loaded_and_counts_match():
    tables = small_partnership()
    before = _counts()

    written = load_into_db(tables, today=TODAY, period_start=START)

    added = {label: count - before[label] for label, count in _counts().items()}
    assert added == {
        "accounts.Agency": 5,
        "people.Household": 2,
        "people.HouseholdMembership": 7,
        "people.Person": 7,
        "people.Child": 4,
        "people.Relationship": 6,
        "people.Involvement": 3,
        "casework.Contact": 2,
        "casework.Referral": 2,
        "casework.Assessment": 2,
        "casework.Plan": 2,
        "casework.Review": 1,
        "chronology.ChronologyEvent": 4,
        "chronology.AttendanceWeek": 6,
        "accounts.User": 2,
    }
    assert {label: written[label] for label in added} == added
    assert written["people.Child_disabilities"] == 1
    assert written["casework.Assessment_factors"] == 2


def test_loaded_records_carry_the_generated_values():
    load_into_db(small_partnership(), today=TODAY, period_start=START)

    sam = Child.objects.select_related("person", "ethnicity").get(nhs_number="9990000001")
    assert sam.person.full_name == "Sam Ashby"
    assert sam.person.other_names == "Sam Carter"
    assert sam.date_of_birth == dt.date(2016, 5, 6)
    assert sam.ethnicity.code == "WBRI"

    unborn = Child.objects.select_related("person").get(la_child_id="EM00000003")
    assert unborn.is_unborn
    assert unborn.expected_birth_on == dt.date(2026, 5, 1)
    assert unborn.person.sex == "U"

    ava = Child.objects.get(la_child_id="EM00000002")
    assert [code.code for code in ava.disabilities.all()] == ["MOB"]
    assert ava.upn is None

    home = Household.objects.get(postcode="EM1 1AA")
    assert (home.town, home.lsoa_code, home.imd_decile) == ("Eastmoor", "E01990000", 1)
    starts = dict(
        HouseholdMembership.objects.filter(household=home).values_list(
            "person__given_name", "started_on"
        )
    )
    assert starts == {
        "Sam": START,
        "Ava": dt.date(2024, 1, 10),  # born in the period
        "Baby": TODAY,  # unborn: expected in this household
        "Jo": START,
        "Lee": START,
    }
    moved = HouseholdMembership.objects.get(household__postcode="EM2 2BB", person__given_name="Kim")
    assert moved.started_on == dt.date(2024, 6, 1)

    referral = Referral.objects.get(child=sam, source__code="5A")
    assert referral.primary_need.code == "N1"
    assert referral.closure_reason.code == "RC7"
    assert referral.contact.agency.name == "Eastmoor Police"
    assessment = Assessment.objects.get(referral=referral)
    assert sorted(assessment.factors.values_list("code", flat=True)) == ["3A", "4B"]
    plan = Plan.objects.get(child=sam)
    assert (plan.plan_type, plan.initial_category.code, plan.end_reason) == (
        "child_protection",
        "NEG",
        "step_down",
    )
    assert plan.reviews.get().held_on == dt.date(2025, 4, 6)
    assert Plan.objects.get(plan_type="early_help").end_reason == ""

    event = ChronologyEvent.objects.get(source_reference="synth:2")
    assert event.summary == "Was not brought to a health appointment."
    assert event.source_system == "synth"
    assert event.event_type.code == "health.was_not_brought"
    assert event.occurred_at == dt.datetime(2024, 10, 2, 10, 30, tzinfo=UTC)
    assert event.occurred_at <= event.recorded_at <= event.occurred_at + dt.timedelta(days=2)

    weeks = AttendanceWeek.objects.filter(child=sam).order_by("week_start")
    assert [w.sessions_attended for w in weeks] == [10, 9, 8]

    worker = User.objects.get(username="synth.sw0")
    assert (worker.first_name, worker.agency.name, worker.role) == (
        "Pat",
        "Eastmoor Children's Social Care",
        "social_worker",
    )
    assert not worker.has_usable_password()
    assert worker.is_active


def test_education_status_becomes_the_councils_participation_records():
    tables = small_partnership()
    noah = pc.equal(tables["children"]["person_id"], 4)
    born = pc.if_else(noah, pa.scalar(dt.date(2009, 9, 1)), tables["children"]["date_of_birth"])
    tables = _replace(tables, "children", "date_of_birth", born.to_pylist())
    months = [dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    tables["education_status"] = _table(
        "education_status",
        [{"person_id": 4, "month": m, "is_neet": m.month == 3} for m in months],
    )
    written = load_into_db(tables, today=TODAY, period_start=START)

    assert written["participation.ParticipationRecord"] == 2  # April is after TODAY
    noah_child = Child.objects.get(la_child_id="EM00000004")
    records = ParticipationRecord.objects.filter(child=noah_child).order_by("month")
    assert [(r.month, r.status, r.source_system) for r in records] == [
        (dt.date(2026, 2, 1), "education", "synth"),
        (dt.date(2026, 3, 1), "neet", "synth"),
    ]
    assert records[1].recorded_at == dt.datetime(2026, 3, 1, tzinfo=UTC)
    assert records[1].recorded_by is None


def test_a_second_partnership_gets_new_ids_and_reuses_agencies_by_name():
    load_into_db(small_partnership(serial=1), today=TODAY, period_start=START)
    first_max = Person.objects.order_by("-pk").values_list("pk", flat=True).first()

    load_into_db(small_partnership(serial=2), today=TODAY, period_start=START)

    assert Agency.objects.filter(name="Eastmoor Police").count() == 1
    second = Child.objects.get(la_child_id="EM20000001")
    assert second.pk == first_max + 1  # generator id 1, shifted past the first partnership
    assert Relationship.objects.filter(relative_id=second.pk, relationship_type="parent").exists()
    assert Referral.objects.filter(child=second).count() == 1
    # A new record after the load gets an id past the loaded ones (sequences were reset).
    household = Household.objects.create(address_line_1="3 New Row", postcode="EM4 4DD")
    assert household.pk > Household.objects.exclude(pk=household.pk).latest("pk").pk


def _assert_refused(tables: dict[str, pa.Table], *fragments: str) -> None:
    before = _counts()
    with pytest.raises(SynthLoadError) as caught:
        load_into_db(tables, today=TODAY, period_start=START)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert _counts() == before, "nothing may be written when the load is refused"


def test_an_unknown_code_is_refused_naming_table_column_and_value():
    tables = small_partnership()
    tables = _replace(tables, "children", "ethnicity", ["WBRI", "XXXX", "WBRI", "WBRI"])
    _assert_refused(tables, "children.ethnicity", "'XXXX'")


def test_an_unknown_assessment_factor_in_a_list_is_refused():
    tables = _replace(small_partnership(), "assessments", "factors", [["3A", "99Z"], None])
    _assert_refused(tables, "assessments.factors", "'99Z'")


def test_a_table_with_the_wrong_schema_is_refused():
    tables = small_partnership()
    tables["reviews"] = tables["reviews"].drop_columns(["held_on"])
    _assert_refused(tables, "reviews", "held_on")


def test_a_missing_table_is_refused():
    tables = small_partnership()
    del tables["plans"]
    _assert_refused(tables, "plans: table missing")


def test_an_event_for_an_unknown_child_is_refused():
    tables = _replace(small_partnership(), "events", "person_id", [1, 2, 99, 4])
    _assert_refused(tables, "events.person_id", "99")


def test_an_unknown_choice_is_refused():
    tables = _replace(
        small_partnership(), "plans", "plan_type", ["child_protection", "team_around_family"]
    )
    _assert_refused(tables, "casework.Plan.plan_type", "'team_around_family'")


def test_an_identifier_already_in_the_database_is_refused_and_nothing_is_written():
    load_into_db(small_partnership(), today=TODAY, period_start=START)
    _assert_refused(small_partnership(), "people.Child.", "already in the database")


def test_a_database_error_rolls_the_whole_load_back():
    # Attended more sessions than possible: only the database's check constraint notices,
    # after the earlier tables were written.
    tables = small_partnership()
    tables = _replace(tables, "attendance", "sessions_attended", [10, 9, 8, 10, 10, 12])
    _assert_refused(tables, "the database refused the load")


def _constraints() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in COUNTED_MODELS
        }


def test_a_large_insert_builds_indexes_and_constraints_again_afterwards(monkeypatch):
    monkeypatch.setattr(loader, "REBUILD_INDEXES_FROM_ROWS", 1)
    before = _constraints()

    written = load_into_db(small_partnership(), today=TODAY, period_start=START)

    assert written["chronology.AttendanceWeek"] == 6
    assert _constraints() == before
    with pytest.raises(SynthLoadError, match="already in the database"):
        load_into_db(small_partnership(), today=TODAY, period_start=START)


def test_a_failure_after_indexes_were_dropped_puts_them_back(monkeypatch):
    monkeypatch.setattr(loader, "REBUILD_INDEXES_FROM_ROWS", 1)
    before = _constraints()
    tables = small_partnership()
    tables = _replace(tables, "attendance", "sessions_attended", [10, 9, 8, 10, 10, 12])

    _assert_refused(tables, "the database refused the load")

    assert _constraints() == before


def test_progress_reports_each_model_up_to_its_total():
    seen = {}

    def record(name: str, done: int, total: int) -> None:
        seen[name] = (done, total)

    written = load_into_db(small_partnership(), progress=record, today=TODAY, period_start=START)
    assert set(seen) == set(written)
    assert all(done == total == written[name] for name, (done, total) in seen.items())


def test_a_generated_partnership_loads_completely():
    from cumulus.synth.engine.config import SynthConfig
    from cumulus.synth.engine.generate import generate

    config = SynthConfig(children=300, years=2, seed=4)
    tables = generate(config)
    written = load_into_db(tables, period_start=config.start_date)

    assert written["people.Child"] == tables["children"].num_rows
    assert written["people.Person"] == tables["children"].num_rows + tables["adults"].num_rows
    assert written["chronology.ChronologyEvent"] == tables["events"].num_rows
    assert written["chronology.AttendanceWeek"] == tables["attendance"].num_rows
    assert written["casework.Referral"] == tables["referrals"].num_rows
    assert written["accounts.User"] == tables["practitioners"].num_rows
    status = tables["education_status"]
    this_month = pa.scalar(clock.today().replace(day=1), pa.date32())
    loaded = pc.sum(pc.less_equal(status["month"], this_month)).as_py()
    assert loaded > 0
    assert written["participation.ParticipationRecord"] == loaded
    assert ChronologyEvent.objects.count() == tables["events"].num_rows
