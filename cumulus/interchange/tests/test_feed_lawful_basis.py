"""Every event an agency's feed shares carries its lawful basis (DfE information-sharing
advice): on the record or declared for the whole feed; a record without a usable one is
quarantined with the reason; the basis is kept beside the chronology event, in one insert
per chunk, and shown with the event and in the chronology's CSV export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.chronology.models import ChronologyEvent, Significance
from cumulus.interchange.batches import batch_run
from cumulus.interchange.feeds.handler import FeedHandler, feed_schema
from cumulus.interchange.models import BatchStatus, QuarantinedRecord
from cumulus.interchange.services import quarantined_record_resubmit
from cumulus.sharing.models import LawfulBasis, SharingBasis
from cumulus.testing.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db

AGREEMENT = "Eastmoor partnership data sharing agreement 2025, section 4: was-not-brought."


@pytest.fixture
def agency():
    return AgencyFactory(agency_type=AgencyType.HOSPITAL, code="RX1", name="Eastmoor Hospital")


@pytest.fixture
def child():
    return ChildFactory(la_child_id="LA42")


def record(child, record_id="A-1", **fields):
    return {
        "record_id": record_id,
        "record_type": "health_appointment",
        "occurred_at": "2025-02-03T10:30:00+00:00",
        "child": {"nhs_number": child.nhs_number},
        "outcome": "was_not_brought",
        **fields,
    }


def run(agency, doc, name="feed.json"):
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return batch_run(
        handler=FeedHandler(agency=agency), source_name=name, data=data, actor=None, agency=agency
    ).batch


def reasons(batch):
    return [r for q in QuarantinedRecord.objects.filter(batch=batch) for r in q.reasons]


def test_the_feeds_vocabulary_is_the_sharing_apps():
    assert feed_schema()["properties"]["lawful_basis"]["enum"] == LawfulBasis.values


def test_a_records_own_basis_is_kept_beside_its_chronology_event(agency, child):
    batch = run(
        agency,
        {"records": [record(child, lawful_basis="consent", lawful_basis_consent_from="Mother")]},
    )
    assert batch.records_accepted == 1, reasons(batch)
    basis = SharingBasis.objects.get()
    assert basis.event == ChronologyEvent.objects.get(child=child)
    assert (basis.basis, basis.consent_from, basis.reason) == ("consent", "Mother", "")
    assert (basis.import_batch, basis.recorded_by, basis.from_feed_default) == (batch, None, False)


def test_the_feeds_defaults_give_the_basis_of_records_that_give_none(agency, child):
    batch = run(
        agency,
        {
            "defaults": {"lawful_basis": "safeguarding", "lawful_basis_reason": AGREEMENT},
            "records": [
                record(child, "A-1"),
                record(child, "A-2", lawful_basis_reason="Third missed appointment."),
                record(child, "A-3", lawful_basis="legal_duty", lawful_basis_reason="Court order"),
            ],
        },
    )
    assert batch.records_accepted == 3, reasons(batch)
    held = {
        b.event.source_reference: (b.basis, b.reason, b.from_feed_default)
        for b in SharingBasis.objects.select_related("event")
    }
    assert held == {
        "A-1": ("safeguarding", AGREEMENT, True),
        "A-2": ("safeguarding", "Third missed appointment.", True),
        "A-3": ("legal_duty", "Court order", False),
    }


@pytest.mark.parametrize(
    ("doc_extra", "fields", "field", "says"),
    [
        ({}, {}, "lawful_basis", "No lawful basis for sharing"),
        ({}, {"lawful_basis": "safeguarding"}, "lawful_basis_reason", "does not say why"),
        ({}, {"lawful_basis": "consent"}, "lawful_basis_consent_from", "does not say who"),
        (
            {"defaults": {"lawful_basis": "legal_duty"}},
            {},
            "lawful_basis_reason",
            "legal_duty (from the feed's defaults)",
        ),
        (
            {"defaults": {"lawful_basis": "gut_feeling", "lawful_basis_reason": "x"}},
            {},
            "lawful_basis",
            "'gut_feeling' (from the feed's defaults) is not a lawful basis",
        ),
    ],
    ids=["none", "no reason", "no consent-giver", "default without reason", "unknown default"],
)
def test_a_record_without_a_usable_basis_is_quarantined_saying_why(
    agency, child, doc_extra, fields, field, says
):
    batch = run(agency, {**doc_extra, "records": [record(child, **fields)]})
    assert (batch.records_accepted, batch.records_quarantined) == (0, 1)
    (reason,) = reasons(batch)
    assert (reason["rule"], reason["field"]) == ("LAWFUL_BASIS", field)
    assert says in reason["message"]
    assert not ChronologyEvent.objects.exists()
    assert not SharingBasis.objects.exists()


def test_an_unknown_basis_on_a_record_breaks_the_schema(agency, child):
    batch = run(agency, {"records": [record(child, lawful_basis="because")]})
    (reason,) = reasons(batch)
    assert (reason["rule"], reason["field"], reason["value"]) == (
        "SCHEMA",
        "lawful_basis",
        "because",
    )


@pytest.mark.parametrize(
    ("defaults", "says"),
    [("safeguarding", "must be an object"), ({"agreement": "DSA-1"}, "may hold only")],
)
def test_defaults_that_are_not_a_basis_refuse_the_file(agency, child, defaults, says):
    batch = run(agency, {"defaults": defaults, "records": [record(child)]})
    assert batch.status == BatchStatus.REJECTED
    assert says in batch.rejection_reason


def test_a_csv_feed_states_its_basis_in_columns(agency, child):
    text = (
        "record_id,record_type,occurred_at,nhs_number,outcome,lawful_basis,lawful_basis_reason\n"
        f"C-1,health_appointment,2025-02-03,{child.nhs_number},was_not_brought,safeguarding,"
        f'"{AGREEMENT}"\n'
        f"C-2,health_appointment,2025-02-04,{child.nhs_number},was_not_brought,,\n"
    )
    batch = run(agency, text.encode(), name="feed.csv")
    assert (batch.records_accepted, batch.records_quarantined) == (1, 1)
    assert reasons(batch)[0]["rule"] == "LAWFUL_BASIS"
    assert SharingBasis.objects.get().reason == AGREEMENT


def test_a_resubmitted_record_keeps_its_feeds_defaults(agency, child):
    wrong = record(child)
    wrong["child"] = {"la_child_id": "WRONG"}
    batch = run(
        agency,
        {
            "defaults": {"lawful_basis": "safeguarding", "lawful_basis_reason": AGREEMENT},
            "records": [wrong],
        },
    )
    q = QuarantinedRecord.objects.get(batch=batch)
    fixed = {**json.loads(q.payload), "child": {"la_child_id": "LA42"}}
    admin = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    result = quarantined_record_resubmit(actor=admin, record=q, payload=json.dumps(fixed))
    assert result.batch.records_accepted == 1, reasons(result.batch)
    basis = SharingBasis.objects.get()
    assert (basis.reason, basis.from_feed_default) == (AGREEMENT, True)


def test_the_bases_of_a_feed_are_written_in_one_insert(agency, child):
    doc = {
        "defaults": {"lawful_basis": "safeguarding", "lawful_basis_reason": AGREEMENT},
        "records": [record(child, f"N-{n}") for n in range(6)],
    }
    with CaptureQueriesContext(connection) as queries:
        batch = run(agency, doc)
    assert batch.records_accepted == 6
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "sharing_sharingbasis"')]
    assert len(inserts) == 1
    assert SharingBasis.objects.count() == 6


@pytest.fixture
def viewer_and_events(agency, child):
    """A teacher involved with the child; one feed event with its basis, one police event
    restricted to DSLs that also carries a basis."""
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    teacher = UserFactory(agency=school, role=Role.FRONTLINE_PRACTITIONER)
    InvolvementFactory(child=child, practitioner=teacher, agency=school)
    run(
        agency,
        {"records": [record(child, lawful_basis="safeguarding", lawful_basis_reason=AGREEMENT)]},
    )
    ChronologyEvent.objects.update(significance=Significance.HIGH)
    from cumulus.chronology.services import chronology_event_record
    from cumulus.sharing.services import sharing_basis_record

    police = AgencyFactory(agency_type=AgencyType.POLICE)
    secret = chronology_event_record(
        actor=None,
        child=child,
        agency=police,
        event_type="police.concern",
        occurred_at=ChronologyEvent.objects.get().occurred_at,
        summary="Intelligence.",
        significance=Significance.HIGH,
        restricted_to_roles=[Role.DESIGNATED_SAFEGUARDING_LEAD],
        restriction_contact="DS Patel",
    )
    sharing_basis_record(
        actor=UserFactory(agency=police), event=secret, basis="legal_duty", reason="Secret basis."
    )
    return teacher


def test_the_basis_shows_on_the_event_and_in_the_csv_export_only_to_its_readers(
    client, child, viewer_and_events
):
    client.force_login(viewer_and_events)
    page = client.get(reverse("chronology:child", args=[child.pk])).content.decode()
    assert f"Lawful basis for sharing: Without consent, to safeguard the child: {AGREEMENT}" in page
    assert "Secret basis" not in page
    export = client.get(reverse("chronology:impact-export", args=[child.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][-1] == "Lawful basis for sharing"
    shared = next(r for r in rows if r[2] != "Restricted event" and r[0] != "Date")
    assert shared[-1] == f"Without consent, to safeguard the child: {AGREEMENT}"
    assert all("Secret basis" not in cell for r in rows for cell in r)
