"""The linkage pages: only linkage analysts, every pair view logged, decisions and undo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from cumulus.audit.models import AccessLogEntry
from cumulus.linkage.models import LinkDecision, ReviewItem, ReviewStatus
from cumulus.testing.factories import ChildFactory, UserFactory
from cumulus.testing.factories_linkage import (
    LinkageModelFactory,
    SourceRecordFactory,
    linkage_analyst,
)

pytestmark = pytest.mark.django_db


def _item():
    child = ChildFactory(person__given_name="Harry", person__family_name="Walsh")
    record = SourceRecordFactory(
        forename="Harry", surname="Walsh", date_of_birth=dt.date(2017, 3, 27)
    )
    evidence = [
        {"field": "surname", "description": "Surname", "level": "Exact", "match_weight": 7.7},
        {"field": "postcode", "description": "Postcode", "level": "Other", "match_weight": -3.1},
    ]
    return ReviewItem.objects.create(
        record=record,
        candidate=child,
        model=LinkageModelFactory(),
        match_probability=0.95,
        match_weight=4.2,
        evidence=evidence,
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_practitioners_cannot_open_the_linkage_pages():
    item = _item()
    client = _client(UserFactory())
    for url in ("/linkage/review/", f"/linkage/review/{item.pk}/", "/linkage/model/"):
        assert client.get(url).status_code == 404  # refused exactly like a missing page


def test_analyst_sees_both_records_and_the_evidence_for_and_against():
    item = _item()
    analyst = linkage_analyst()
    response = _client(analyst).get(f"/linkage/review/{item.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "For 7.7" in body
    assert "Against -3.1" in body
    assert body.count("Harry Walsh") >= 2
    entry = AccessLogEntry.objects.get(actor=analyst)
    assert entry.child_id == item.candidate_id
    assert entry.detail["linkage_review_item"] == item.pk


def test_analyst_decides_a_pair_and_a_missing_reason_is_a_clear_error():
    item = _item()
    client = _client(linkage_analyst())
    response = client.post(f"/linkage/review/{item.pk}/", {"outcome": "match"})
    assert "Give the reason for the decision" in response.content.decode()
    response = client.post(f"/linkage/review/{item.pk}/", {"outcome": "match", "reason": "Same"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewStatus.MATCH
    assert LinkDecision.objects.get(record=item.record).child == item.candidate


def test_model_page_draws_the_match_weights_chart():
    LinkageModelFactory()
    body = _client(linkage_analyst()).get("/linkage/model/").content.decode()
    assert "<svg" in body
    assert "Day and month swapped" in body


def test_undo_from_the_record_page_keeps_the_history():
    item = _item()
    client = _client(linkage_analyst())
    client.post(f"/linkage/review/{item.pk}/", {"outcome": "match", "reason": "Same"})
    link = LinkDecision.objects.get(record=item.record)
    page = client.get(f"/linkage/records/{item.record_id}/").content.decode()
    assert 'data-testid="undo"' in page
    client.post(f"/linkage/decisions/{link.pk}/undo/", {"reason": "Wrong"})
    item.record.refresh_from_db()
    assert item.record.child is None
    assert LinkDecision.objects.filter(record=item.record).count() == 2
