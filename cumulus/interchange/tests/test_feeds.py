"""Agency feeds, CSV and JSON: schema checks, exact matching, chronology, idempotency."""

from __future__ import annotations

import json

import pytest

from cumulus.accounts.models import AgencyType
from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
from cumulus.interchange.batches import batch_run
from cumulus.interchange.feeds.handler import FeedHandler
from cumulus.interchange.feeds.matching import resolve_child
from cumulus.interchange.models import BatchStatus, QuarantinedRecord
from cumulus.interchange.services import quarantined_record_resubmit
from cumulus.testing.factories import AgencyFactory, ChildFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "A child not brought to two appointments: shared under the partnership's agreement."


@pytest.fixture
def agency():
    return AgencyFactory(agency_type=AgencyType.HOSPITAL, code="RX1")


@pytest.fixture
def child():
    return ChildFactory(la_child_id="LA42")


def record(child, **fields):
    base = {
        "record_id": "A-1",
        "record_type": "health_appointment",
        "occurred_at": "2025-02-03T10:30:00+00:00",
        "child": {"nhs_number": child.nhs_number},
        "outcome": "was_not_brought",
        "appointment_type": "paediatric outpatients",
        "lawful_basis": "safeguarding",
        "lawful_basis_reason": REASON,
    }
    base.update(fields)
    return base


def run(agency, data: bytes, name="feed.json"):
    return batch_run(
        handler=FeedHandler(agency=agency), source_name=name, data=data, actor=None, agency=agency
    )


def feed(*records) -> bytes:
    return json.dumps({"records": list(records)}).encode()


def test_a_was_not_brought_record_lands_in_the_childs_chronology(agency, child):
    batch = run(agency, feed(record(child))).batch
    assert (batch.records_read, batch.records_accepted) == (1, 1)
    event = ChronologyEvent.objects.get(child=child)
    assert event.event_type.code == "health.was_not_brought"
    assert event.source_system == "feed:RX1"
    assert event.source_reference == "A-1"
    assert event.agency == agency


@pytest.mark.parametrize(
    ("fields", "event_type"),
    [
        (
            {"record_type": "immunisation", "outcome": "missed", "vaccine": "MMR"},
            "health.immunisation_missed",
        ),
        (
            {
                "record_type": "school_attendance",
                "session": "AM",
                "attendance_code": "O",
                "outcome": None,
            },
            "education.absence",
        ),
        (
            {
                "record_type": "exclusion",
                "exclusion_type": "suspension",
                "days": 2,
                "outcome": None,
            },
            "education.exclusion",
        ),
        (
            {"record_type": "police_incident", "incident_type": "domestic_abuse", "outcome": None},
            "police.domestic_abuse",
        ),
        (
            {"record_type": "housing_concern", "concern_type": "homelessness", "outcome": None},
            "housing.homelessness",
        ),
    ],
)
def test_each_record_type_becomes_its_chronology_event(agency, child, fields, event_type):
    r = {k: v for k, v in record(child, **fields).items() if v is not None}
    r.pop("appointment_type")
    batch = run(agency, feed(r)).batch
    assert batch.records_accepted == 1, list(batch.quarantined.values_list("reasons", flat=True))
    assert ChronologyEvent.objects.get(child=child).event_type.code == event_type


def test_a_present_session_is_accepted_without_an_event(agency, child):
    r = record(child, record_type="school_attendance", session="PM", attendance_code="/")
    r.pop("outcome")
    r.pop("appointment_type")
    assert run(agency, feed(r)).batch.records_accepted == 1
    assert not ChronologyEvent.objects.filter(child=child).exists()


def _session(child, record_id, day, session, code):
    r = record(
        child,
        record_id=record_id,
        record_type="school_attendance",
        occurred_at=f"{day}T09:00:00+00:00",
        session=session,
        attendance_code=code,
    )
    r.pop("outcome")
    r.pop("appointment_type")
    return r


def test_sessions_are_counted_into_the_childs_attendance_weeks(agency, child):
    # Monday 3 and Wednesday 5 February 2025 are one week; Monday 10 February the next.
    run(
        agency,
        feed(
            _session(child, "S-1", "2025-02-03", "AM", "/"),
            _session(child, "S-2", "2025-02-03", "PM", "N"),
            _session(child, "S-3", "2025-02-05", "AM", "B"),
            _session(child, "S-4", "2025-02-05", "PM", "#"),
            _session(child, "S-5", "2025-02-10", "AM", "O"),
        ),
    )
    weeks = {
        w.week_start.isoformat(): (w.sessions_possible, w.sessions_attended)
        for w in AttendanceWeek.objects.filter(child=child, agency=agency)
    }
    assert weeks == {"2025-02-03": (3, 2), "2025-02-10": (1, 0)}


def test_a_resent_session_is_not_counted_twice_and_a_correction_moves_it(agency, child):
    first = feed(_session(child, "S-1", "2025-02-03", "AM", "N"))
    run(agency, first)
    run(agency, feed(_session(child, "S-1", "2025-02-03", "AM", "N")), name="again.json")
    week = AttendanceWeek.objects.get(child=child, agency=agency)
    assert (week.sessions_possible, week.sessions_attended) == (1, 0)
    run(agency, feed(_session(child, "S-1", "2025-02-03", "AM", "/")), name="fixed.json")
    week.refresh_from_db()
    assert (week.sessions_possible, week.sessions_attended) == (1, 1)


def test_a_csv_feed_is_read_like_json(agency, child):
    csv_text = (
        "record_id,record_type,occurred_at,nhs_number,upn,la_child_id,outcome,appointment_type,"
        "lawful_basis,lawful_basis_consent_from\n"
        f"B-1,health_appointment,2025-02-03,{child.nhs_number},,,attended,health visitor,"
        "consent,The mother\n"
        "B-2,health_appointment,2025-02-04,,,NOSUCH,attended,health visitor,consent,The mother\n"
    )
    batch = run(agency, csv_text.encode(), name="feed.csv").batch
    assert (batch.records_read, batch.records_accepted, batch.records_quarantined) == (2, 1, 1)
    q = QuarantinedRecord.objects.get(batch=batch)
    assert q.location == "line 3"
    assert q.reasons[0]["rule"] == "MATCH"
    assert "NOSUCH" in q.reasons[0]["message"]


def test_a_record_breaking_the_schema_is_quarantined_naming_the_field(agency, child):
    bad = record(child, outcome="fell asleep")
    batch = run(agency, feed(bad)).batch
    assert batch.records_quarantined == 1
    reason = QuarantinedRecord.objects.get().reasons[0]
    assert reason["rule"] == "SCHEMA"
    assert reason["field"] == "outcome"
    assert reason["value"] == "fell asleep"


def test_sending_a_record_again_changes_nothing_and_a_correction_adds_an_event(agency, child):
    run(agency, feed(record(child)))
    second = run(agency, feed(record(child), record(child, record_id="A-2")), name="b.json").batch
    assert (second.records_accepted, second.records_unchanged) == (2, 1)
    corrected = run(agency, feed(record(child, outcome="attended")), name="c.json").batch
    assert corrected.records_unchanged == 0
    summaries = list(ChronologyEvent.objects.filter(child=child).values_list("summary", flat=True))
    assert len(summaries) == 3
    assert any(s.startswith("Corrected: ") for s in summaries)


def test_identifiers_naming_different_children_are_not_matched(child):
    other = ChildFactory()
    resolution = resolve_child({"child": {"nhs_number": child.nhs_number, "upn": other.upn}})
    assert resolution.child is None
    assert "different children" in resolution.reason


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00garbage", b"{not json", b'{"records": 3}', b"a,b\n1,2\n", b""],
)
def test_a_broken_feed_is_refused_with_a_reason(agency, data):
    batch = run(agency, data, name="x.json" if data.startswith(b"{") else "x.csv").batch
    assert batch.status == BatchStatus.REJECTED
    assert batch.rejection_reason


def test_a_quarantined_record_fixed_and_resubmitted_is_accepted(agency, child):
    wrong = record(child)
    wrong["child"] = {"la_child_id": "WRONG"}
    batch = run(agency, feed(wrong)).batch
    q = QuarantinedRecord.objects.get(batch=batch)
    fixed = json.loads(q.payload)
    fixed["child"] = {"la_child_id": "LA42"}
    admin = UserFactory(role="partnership_administrator")
    result = quarantined_record_resubmit(actor=admin, record=q, payload=json.dumps(fixed))
    assert result.batch.records_accepted == 1
    assert result.batch.resubmission_of == q
    q.refresh_from_db()
    assert q.status == "resubmitted"
    assert ChronologyEvent.objects.filter(child=child).count() == 1


def test_a_record_with_a_nul_character_is_quarantined_not_a_database_error(agency):
    batch = run(agency, b'{"records": [{"record_id": "a\\u0000b"}]}').batch
    assert batch.records_quarantined == 1
    assert QuarantinedRecord.objects.get(batch=batch).reasons[0]["rule"] == "NUL"


def test_a_feed_with_nul_bytes_is_refused(agency):
    batch = run(agency, b"record_id\n\x00\n", name="nul.csv").batch
    assert batch.status == BatchStatus.REJECTED
    assert "NUL" in batch.rejection_reason
