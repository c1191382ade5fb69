"""CIN census import into casework: batches, idempotency, differences, quarantine, hostile files."""

from __future__ import annotations

import pytest

from cumulus.casework.models import Assessment, AssessmentType, Plan, PlanType, Referral, Review
from cumulus.interchange.batches import batch_run
from cumulus.interchange.cin.handler import CinCensusHandler
from cumulus.interchange.models import (
    BatchStatus,
    BatchWarning,
    ImportBatch,
    QuarantinedRecord,
    SourceRecord,
)
from cumulus.interchange.tests.cin_builder import base_child, census_xml
from cumulus.people.models import Child

pytestmark = pytest.mark.django_db


def run(data: bytes, name: str = "cin.xml"):
    return batch_run(handler=CinCensusHandler(), source_name=name, data=data, actor=None)


def test_a_valid_child_lands_in_people_and_casework_with_every_module():
    result = run(census_xml([base_child()]))
    batch = result.batch
    assert (batch.records_read, batch.records_accepted, batch.records_quarantined) == (1, 1, 0)
    child = Child.objects.get(la_child_id="C001")
    assert child.person.sex == "F"
    assert [d.code for d in child.disabilities.all()] == ["NONE"]
    referral = Referral.objects.get(child=child)
    assert (referral.source.code, referral.primary_need.code, referral.closure_reason.code) == (
        "1A",
        "N1",
        "RC3",
    )
    assessment = Assessment.objects.get(
        child=child, assessment_type=AssessmentType.CHILD_AND_FAMILY
    )
    assert sorted(f.code for f in assessment.factors.all()) == ["16A", "2B"]
    s47 = Assessment.objects.get(child=child, assessment_type=AssessmentType.SECTION_47)
    assert str(s47.initial_conference_on) == "2024-07-18"
    cp = Plan.objects.get(child=child, plan_type=PlanType.CHILD_PROTECTION)
    assert (cp.initial_category.code, cp.number_of_previous_cp_plans) == ("NEG", 0)
    assert [str(r.held_on) for r in Review.objects.filter(plan=cp)] == ["2024-10-10"]
    assert Plan.objects.filter(child=child, plan_type=PlanType.CHILD_IN_NEED).count() == 1
    assert referral.is_neglect_concern  # factor 16A / category NEG


def test_the_batch_records_hash_source_and_counts_that_add_up():
    batch = run(census_xml([base_child()]), name="../../etc/cin census.xml").batch
    assert len(batch.source_sha256) == 64
    assert batch.source_name == "cin census.xml"  # no directories: no path tricks
    assert batch.run_by_name
    assert batch.records_read == batch.records_accepted + batch.records_quarantined


def test_importing_the_same_file_twice_changes_nothing():
    data = census_xml([base_child()])
    first = run(data)
    second = run(data)
    assert second.already_imported
    assert second.batch.pk == first.batch.pk
    assert ImportBatch.objects.count() == 1
    assert Referral.objects.count() == 1


def test_an_updated_file_applies_only_the_differences():
    a, b = base_child("C001"), base_child("C002", "938000000002")
    run(census_xml([a, b]))
    untouched = Referral.objects.get(child__la_child_id="C002")
    before = untouched.updated_at
    a["CINdetails"][0]["PrimaryNeedCode"] = "N2"
    a["CINdetails"][0]["ChildProtectionPlans"][0]["Reviews"]["CPPreviewDate"].append("2024-12-10")
    batch = run(census_xml([a, b]), name="cin-v2.xml").batch
    assert (batch.records_read, batch.records_accepted, batch.records_unchanged) == (2, 2, 1)
    assert Referral.objects.get(child__la_child_id="C001").primary_need.code == "N2"
    assert Review.objects.filter(plan__child__la_child_id="C001").count() == 2
    assert Referral.objects.count() == 2  # updated in place, not duplicated
    untouched.refresh_from_db()
    assert untouched.updated_at == before
    assert SourceRecord.objects.get(key="C001").batch == batch


def test_a_child_breaking_an_error_rule_is_quarantined_whole_with_the_exact_reason():
    bad = base_child("C002", "938000000002")
    bad["CINdetails"][0]["CINclosureDate"] = "2025-04-02"
    batch = run(census_xml([base_child(), bad])).batch
    assert (batch.records_read, batch.records_accepted, batch.records_quarantined) == (2, 1, 1)
    record = QuarantinedRecord.objects.get(batch=batch)
    assert record.record_key == "C002"
    reason = record.reasons[0]
    assert reason["rule"] == "8620"
    assert reason["field"] == "CINclosureDate"
    assert reason["value"] == "2025-04-02"
    assert reason["location"].startswith("line ")
    assert "<LAchildID>C002</LAchildID>" in record.payload
    assert not Child.objects.filter(la_child_id="C002").exists()


def test_a_query_accepts_the_child_with_a_warning():
    child = base_child()
    child["CINdetails"][0]["CINPlanDates"][0]["CINPlanEndDate"] = "2024-06-11"
    batch = run(census_xml([child])).batch
    assert (batch.records_accepted, batch.records_warned) == (1, 1)
    assert BatchWarning.objects.get(batch=batch).rule == "4012Q"


def test_a_schema_error_quarantines_only_the_child_it_is_in():
    bad = base_child("C002", "938000000002")
    bad["CINdetails"][0]["CINreferralDate"] = "31/12/2024"
    batch = run(census_xml([base_child(), bad])).batch
    assert (batch.records_accepted, batch.records_quarantined) == (1, 1)
    reason = QuarantinedRecord.objects.get(batch=batch).reasons[0]
    assert reason["rule"] == "XSD"
    assert "CINreferralDate" in reason["message"]


def test_a_upn_held_by_another_child_is_quarantined_not_a_database_error():
    run(census_xml([base_child("C001")]))
    other = base_child("C009")  # same UPN as C001
    batch = run(census_xml([other]), name="second.xml").batch
    assert batch.records_quarantined == 1
    assert QuarantinedRecord.objects.get(batch=batch).reasons[0]["rule"] == "CUM-UPN"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<Message><Children>", "not well-formed"),
        (b"<Other/>", "root element"),
        (
            b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<Message>&x;</Message>",
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<Message>&b;</Message>",
            "DOCTYPE",
        ),
        ("<Message>caf\u00e9</Message>".encode("latin-1"), "not well-formed"),
        (b"<Message><Children/></Message>", "no <Children>"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_with_a_clear_reason(data, reason):
    batch = run(data).batch
    assert batch.status == BatchStatus.REJECTED
    assert reason in batch.rejection_reason
    assert Child.objects.count() == 0


def test_an_oversized_file_is_refused(settings):
    settings.CUMULUS_INTERCHANGE_MAX_BYTES = 100
    batch = run(census_xml([base_child()])).batch
    assert batch.status == BatchStatus.REJECTED
    assert "limit" in batch.rejection_reason


def test_a_wrong_reference_date_refuses_the_file_with_rule_100():
    batch = run(census_xml([base_child()], reference_date="2025-03-30")).batch
    assert batch.status == BatchStatus.REJECTED
    assert "Rule 100" in batch.rejection_reason


def test_the_2023_24_format_with_gender_current_is_read():
    child = base_child()
    ids = child["ChildIdentifiers"]
    child["ChildIdentifiers"] = {k if k != "Sex" else "GenderCurrent": v for k, v in ids.items()}
    child["ChildIdentifiers"]["GenderCurrent"] = "2"
    child["CINdetails"][0]["ChildProtectionPlans"][0]["NumberOfPreviousCPP"] = "1"
    batch = run(census_xml([child])).batch
    assert batch.records_accepted == 1, list(batch.quarantined.values_list("reasons", flat=True))
    assert Child.objects.get().person.sex == "F"
