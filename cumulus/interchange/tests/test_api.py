"""The agency feed API: tokens, rate limit, batches, its OpenAPI document, and schemathesis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, missing_required_header

from cumulus.chronology.models import ChronologyEvent
from cumulus.interchange.management.commands.interchange_openapi import openapi_text
from cumulus.interchange.models import AgencyToken, ImportBatch
from cumulus.interchange.services import agency_token_create, agency_token_revoke
from cumulus.testing.factories import AgencyFactory, ChildFactory

URL = "/interchange/api/feeds/v1"
DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.fixture
def agency(db):
    return AgencyFactory(code="RX1")


@pytest.fixture
def secret(agency):
    return agency_token_create(actor=None, agency=agency, name="test")[1]


def post(client, secret, body):
    return client.post(
        f"{URL}/records",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_a_record_sent_with_a_token_is_one_batch_in_the_chronology(client, secret, agency):
    child = ChildFactory()
    body = {
        "records": [
            {
                "record_id": "X1",
                "record_type": "police_incident",
                "occurred_at": "2025-01-05T22:10:00Z",
                "child": {"upn": child.upn},
                "incident_type": "domestic_abuse",
            },
            {"record_id": "X2", "record_type": "nonsense"},
        ],
        "defaults": {
            "lawful_basis": "safeguarding",
            "lawful_basis_reason": "Operation Encompass notification to the school's DSL.",
        },
    }
    response = post(client, secret, body)
    assert response.status_code == 200
    out = response.json()
    assert (out["read"], out["accepted"], out["quarantined"]) == (2, 1, 1)
    assert out["quarantined_records"][0]["reasons"][0]["rule"] == "SCHEMA"
    event = ChronologyEvent.objects.get(child=child)
    assert event.event_type.code == "police.domestic_abuse"
    assert event.sharing_basis.reason.startswith("Operation Encompass")
    again = client.get(
        f"{URL}/batches/{out['batch_id']}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert again.status_code == 200
    assert again.json()["accepted"] == 1


def test_a_record_with_no_basis_is_quarantined_and_unknown_defaults_are_refused(client, secret):
    child = ChildFactory()
    bare = {
        "record_id": "Y1",
        "record_type": "housing_concern",
        "occurred_at": "2025-01-05",
        "child": {"upn": child.upn},
        "concern_type": "homelessness",
    }
    out = post(client, secret, {"records": [bare]}).json()
    assert out["quarantined_records"][0]["reasons"][0]["rule"] == "LAWFUL_BASIS"
    refused = post(client, secret, {"records": [bare], "defaults": {"agreement": "DSA"}})
    assert refused.status_code == 422
    assert not ChronologyEvent.objects.exists()


def test_no_token_a_wrong_token_or_a_revoked_token_is_refused(client, secret, agency):
    assert (
        client.post(f"{URL}/records", data="{}", content_type="application/json").status_code == 401
    )
    assert post(client, "cmls_wrong", {"records": []}).status_code == 401
    token = AgencyToken.objects.get(agency=agency)
    agency_token_revoke(actor=None, token=token)
    assert post(client, secret, {"records": []}).status_code == 401


def test_only_the_tokens_hash_is_stored(secret):
    token = AgencyToken.objects.get()
    assert secret not in (token.token_sha256, token.prefix)
    assert len(token.token_sha256) == 64


def test_another_agencys_batch_is_not_found(client, secret):
    other_secret = agency_token_create(actor=None, agency=AgencyFactory(), name="other")[1]
    out = post(client, secret, {"records": [{"record_id": "Z"}]}).json()
    response = client.get(
        f"{URL}/batches/{out['batch_id']}", headers={"Authorization": f"Bearer {other_secret}"}
    )
    assert response.status_code == 404


def test_the_rate_limit_answers_429_with_retry_after(client, secret, settings):
    settings.CUMULUS_FEED_RATE_LIMIT_PER_MINUTE = 2
    assert post(client, secret, {"records": [{"record_id": "a"}]}).status_code == 200
    assert post(client, secret, {"records": [{"record_id": "b"}]}).status_code == 200
    limited = post(client, secret, {"records": [{"record_id": "c"}]})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"


def test_a_body_over_the_upload_ceiling_is_refused_with_413_in_json(client, secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post(client, secret, {"records": [{"record_id": "x" * 2_000}]})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "at most 0.001 MB" in response.json()["detail"]
    assert ImportBatch.objects.count() == 0


def test_an_empty_feed_is_refused_with_422(client, secret):
    response = post(client, secret, {"records": []})
    assert response.status_code == 422
    assert "records" in json.dumps(response.json()["detail"])


def test_the_committed_openapi_document_is_current():
    committed = (DOCS / "interchange-feeds-openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), (
        "run: cumulus interchange_openapi --out docs/interchange-feeds-openapi.json"
    )


def test_the_published_feed_schema_is_the_one_the_code_uses():
    spec = Path(__file__).resolve().parents[1] / "specs" / "agency-feed-v1.schema.json"
    assert (DOCS / "agency-feed-v1.schema.json").read_text() == spec.read_text()


@pytest.fixture
def keep_test_connection():
    """Calls into the WSGI app must not close the test's database connection at request end
    (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(json.loads(openapi_text()))
schema.config.phases.coverage.enabled = False  # keep it to seconds: generated cases only


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_as_documented(
    case, settings, keep_test_connection
):
    settings.CUMULUS_FEED_RATE_LIMIT_PER_MINUTE = 10_000
    if not AgencyToken.objects.exists():
        test_the_api_answers_every_generated_request_as_documented.secret = agency_token_create(
            actor=None, agency=AgencyFactory(code="ST1"), name="schemathesis"
        )[1]
    secret = test_the_api_answers_every_generated_request_as_documented.secret
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
    # The two auth probes re-send the request without our header through a path that keeps
    # it; missing and invalid tokens are tested directly above.
    case.call_and_validate(
        app=get_wsgi_application(), excluded_checks=[missing_required_header, ignored_auth]
    )
