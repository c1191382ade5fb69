"""Linking records to children: the review queue, who/when/why, undo, the feed seam."""

from __future__ import annotations

import datetime as dt

import pytest

from cumulus.linkage import selectors, services
from cumulus.linkage.models import Action, LinkDecision, Method, ReviewItem, ReviewStatus
from cumulus.people.models import Child
from cumulus.testing.factories import ChildFactory, HouseholdMembershipFactory, UserFactory
from cumulus.testing.factories_linkage import (
    LinkageModelFactory,
    SourceRecordFactory,
    linkage_analyst,
)

pytestmark = pytest.mark.django_db


def _child(given, family, born, postcode="EM1 2AB", **kw):
    child: Child = ChildFactory(
        person__given_name=given,
        person__family_name=family,
        person__date_of_birth=born,
        person__sex="M",
        **kw,
    )
    HouseholdMembershipFactory(person=child.person, household__postcode=postcode)
    return child


def _review_item():
    """A pair between the thresholds: same name and date of birth, no identifiers, moved."""
    model = LinkageModelFactory()
    child = _child("Harry", "Walsh", dt.date(2014, 6, 20), nhs_number=None, upn=None)
    record = SourceRecordFactory(
        forename="Harry",
        surname="Walsh",
        date_of_birth=dt.date(2014, 6, 20),
        sex="",
        postcode="EM5 9XY",
    )
    item = ReviewItem.objects.create(
        record=record,
        candidate=child,
        model=model,
        match_probability=0.93,
        match_weight=3.7,
        evidence=[
            {
                "field": "surname",
                "description": "Surname",
                "level": "Exact match",
                "match_weight": 7.7,
            }
        ],
    )
    return item, child


def test_deterministic_link_records_method_model_and_reason():
    model = LinkageModelFactory()
    child = _child("Amelia", "Shaw", dt.date(2016, 2, 11))
    record = SourceRecordFactory(
        forename="Millie",
        surname="Shaw",
        date_of_birth=dt.date(2016, 2, 11),
        nhs_number=child.nhs_number,
    )
    result = services.records_link(actor=None, records=[record])
    record.refresh_from_db()
    assert record.child == child
    decision = LinkDecision.objects.get(record=record)
    assert (decision.action, decision.method, decision.model) == (
        Action.LINK,
        Method.NHS_NUMBER,
        model,
    )
    assert "Deterministic" in decision.reason
    assert result.outcomes["deterministic"] == 1


def test_unmatched_record_becomes_a_new_child_linked_to_it():
    LinkageModelFactory()
    _child("Amelia", "Shaw", dt.date(2016, 2, 11))
    record = SourceRecordFactory(
        forename="Zara",
        surname="Okonkwo",
        date_of_birth=dt.date(2011, 12, 25),
        sex="F",
        postcode="EM7 1XY",
    )
    result = services.records_link(actor=None, records=[record])
    record.refresh_from_db()
    assert result.outcomes["new"] == 1
    assert record.child is not None
    assert record.child.full_name == "Zara Okonkwo"
    assert record.decisions.get().method == Method.NEW_CHILD


def test_pair_between_thresholds_goes_to_review_with_evidence():
    LinkageModelFactory()
    child = _child("Harry", "Walsh", dt.date(2014, 6, 20), nhs_number=None, upn=None)
    record = SourceRecordFactory(
        forename="Harry",
        surname="Walsh",
        date_of_birth=dt.date(2014, 6, 20),
        sex="",
        postcode="EM5 9XY",
    )
    result = services.records_link(actor=None, records=[record])
    record.refresh_from_db()
    assert result.outcomes["review"] == 1, result.outcomes
    assert record.child is None
    item = ReviewItem.objects.get(record=record)
    assert item.candidate == child
    fields = {e["field"]: e for e in item.evidence}
    assert fields["surname"]["match_weight"] > 0
    assert fields["postcode"]["match_weight"] < 0


def test_reviewer_match_links_with_who_when_why_and_model_version():
    item, child = _review_item()
    analyst = linkage_analyst()
    services.review_decide(
        actor=analyst, item=item, outcome=ReviewStatus.MATCH, reason="Same school"
    )
    item.refresh_from_db()
    decision = LinkDecision.objects.get(record=item.record)
    assert item.status == ReviewStatus.MATCH
    assert (decision.child, decision.method, decision.decided_by) == (
        child,
        Method.CLERICAL,
        analyst,
    )
    assert decision.reason == "Same school"
    assert decision.model == item.model
    assert decision.decided_at is not None


def test_reviewer_not_a_match_makes_a_new_child_when_no_candidate_is_left():
    item, child = _review_item()
    services.review_decide(
        actor=linkage_analyst(), item=item, outcome=ReviewStatus.NOT_MATCH, reason="Twin"
    )
    item.record.refresh_from_db()
    assert item.record.child is not None
    assert item.record.child != child
    assert item.record.decisions.get().method == Method.NEW_CHILD


def test_unsure_keeps_the_pair_in_the_queue_and_links_nothing():
    item, _ = _review_item()
    analyst = linkage_analyst()
    services.review_decide(
        actor=analyst, item=item, outcome=ReviewStatus.UNSURE, reason="Ask school"
    )
    assert list(selectors.review_queue(viewer=analyst)) == [item]
    assert not LinkDecision.objects.exists()


def test_a_decided_pair_cannot_be_decided_again():
    item, _ = _review_item()
    analyst = linkage_analyst()
    services.review_decide(actor=analyst, item=item, outcome=ReviewStatus.MATCH, reason="Yes")
    with pytest.raises(services.LinkageError, match="already decided"):
        services.review_decide(
            actor=analyst, item=item, outcome=ReviewStatus.NOT_MATCH, reason="No"
        )


def test_practitioner_without_the_permission_may_not_review():
    item, _ = _review_item()
    with pytest.raises(services.LinkagePermissionError):
        services.review_decide(
            actor=UserFactory(), item=item, outcome=ReviewStatus.MATCH, reason="x"
        )
    assert not selectors.review_queue(viewer=UserFactory()).exists()


def test_unlink_restores_both_histories_exactly():
    """A reviewer wrongly matches a record (already a child of its own) to another child;
    undoing it puts both children and the record back exactly, and loses no decision."""
    analyst = linkage_analyst()
    child = _child("Oscar", "Reid", dt.date(2013, 1, 9))
    other = _child("Oskar", "Reid", dt.date(2013, 1, 9), postcode="EM3 3AB")
    already = SourceRecordFactory(forename="Oscar", surname="Reid")
    services.record_link(
        actor=None, record=already, child=child, method=Method.MANUAL, reason="Known"
    )
    record = SourceRecordFactory(
        forename="Oskar", surname="Reid", date_of_birth=dt.date(2013, 1, 9)
    )
    services.record_link(
        actor=None, record=record, child=other, method=Method.NEW_CHILD, reason="New"
    )
    item = ReviewItem.objects.create(
        record=record, candidate=child, model=LinkageModelFactory(), match_probability=0.9
    )
    before_child = selectors.child_linked_records(child)
    before_other = selectors.child_linked_records(other)
    before_record = [
        (d.pk, d.action, d.child_id, d.reason) for d in selectors.record_history(record)
    ]

    services.review_decide(actor=analyst, item=item, outcome=ReviewStatus.MATCH, reason="Same")
    assert selectors.child_linked_records(child) != before_child
    assert selectors.child_linked_records(other) == []
    link = record.decisions.order_by("-pk").first()
    assert link is not None
    services.decision_undo(actor=analyst, decision=link, reason="Reviewer error")

    assert selectors.child_linked_records(child) == before_child
    assert selectors.child_linked_records(other) == before_other
    history = selectors.record_history(record)
    assert [(d.pk, d.action, d.child_id, d.reason) for d in history][:1] == before_record
    assert [(d.action, d.method) for d in history[1:]] == [
        (Action.UNLINK, Method.CLERICAL),
        (Action.LINK, Method.CLERICAL),
        (Action.UNLINK, Method.UNDO),
        (Action.LINK, Method.UNDO),
    ]
    assert [d.decided_by for d in history[1:]] == [analyst] * 4
    assert len(selectors.child_link_history(child)) == 3  # the known record, the link, its undo


def test_only_the_latest_decision_can_be_undone_and_only_once():
    analyst = linkage_analyst()
    child = _child("Ivy", "Kaur", dt.date(2018, 4, 4))
    record = SourceRecordFactory()
    first = services.record_link(
        actor=None, record=record, child=child, method=Method.MANUAL, reason="x"
    )
    undo = services.decision_undo(actor=analyst, decision=first, reason="wrong")
    with pytest.raises(services.LinkageError, match="already been undone"):
        services.decision_undo(actor=analyst, decision=first, reason="again")
    services.decision_undo(actor=analyst, decision=undo, reason="it was right")
    record.refresh_from_db()
    assert record.child == child


def test_linking_a_record_already_linked_elsewhere_is_refused():
    record = SourceRecordFactory()
    services.record_link(
        actor=None,
        record=record,
        child=_child("A", "B", dt.date(2015, 1, 1)),
        method=Method.MANUAL,
        reason="x",
    )
    with pytest.raises(services.RecordAlreadyLinkedError, match="unlink it first"):
        services.record_link(
            actor=None,
            record=record,
            child=_child("C", "D", dt.date(2015, 1, 1)),
            method=Method.MANUAL,
            reason="y",
        )


def test_resolve_child_is_the_seam_for_feed_imports():
    LinkageModelFactory()
    child = _child("Freya", "Moss", dt.date(2012, 8, 30))
    found = services.resolve_child(
        {
            "source_system": "school_p001",
            "source_record_id": "SCH-1",
            "given_name": "Freya",
            "family_name": "Moss",
            "date_of_birth": "2012-08-30",
            "upn": child.upn,
        }
    )
    assert found == child
    again = services.resolve_child({"source_system": "school_p001", "source_record_id": "SCH-1"})
    assert again == child
    with pytest.raises(services.LinkageError, match="source_record_id"):
        services.resolve_child({"source_system": "x"})
    with pytest.raises(services.LinkageError, match="YYYY-MM-DD"):
        services.resolve_child(
            {"source_system": "x", "source_record_id": "1", "date_of_birth": "30/08/2012"}
        )


def test_linking_without_an_active_model_says_what_to_do():
    with pytest.raises(services.NoActiveModelError, match="train one"):
        services.records_link(actor=None, records=[SourceRecordFactory()])


def test_saving_a_model_makes_it_the_next_active_version():
    first = LinkageModelFactory(version=1)
    second = services.linkage_model_save(actor=None, model_json=first.model_json)
    first.refresh_from_db()
    assert (second.version, second.is_active, first.is_active) == (2, True, False)
