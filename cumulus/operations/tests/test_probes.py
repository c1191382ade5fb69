"""/healthz, /readyz, /metrics, the request log and the friendly page when the database is down."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from cumulus.audit.models import AccessLogEntry
from cumulus.operations.tests.tasks_for_tests import add
from cumulus.testing.factories import InvolvementFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_queue_with_the_queue_depth(client):
    add.enqueue(a=1, b=2)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "task_queue": "ok"},
        "queue_depth": 1,
    }


def test_readyz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch(
        "cumulus.operations.views.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unreachable: OperationalError"


def test_metrics_are_refused_to_addresses_not_allowed(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_metrics_show_request_latency_queue_depth_and_import_outcomes(client):
    client.get("/healthz")
    add.enqueue(a=1, b=2)
    response = client.get("/metrics")  # the test client is 127.0.0.1
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        'cumulus_request_duration_seconds_count{method="GET",status="2xx",view="operations:healthz"}'
        in text
    )
    assert "cumulus_task_queue_depth 1.0" in text
    assert "cumulus_import_outcomes" in text


@override_settings(CUMULUS_METRICS_TOKEN="s3cret-scrape-token")
def test_metrics_with_a_token_need_the_token_from_any_address(client):
    assert client.get("/metrics").status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    right = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", REMOTE_ADDR="10.9.9.9"
    )
    assert right.status_code == 200


def test_request_log_line_carries_the_request_id_of_the_header_and_the_access_log(client, caplog):
    involvement = InvolvementFactory()
    client.force_login(involvement.practitioner)
    with caplog.at_level(logging.INFO, logger="cumulus.request"):
        response = client.get(
            reverse("web:child-detail", args=[involvement.child.pk]),
            HTTP_X_REQUEST_ID="drill-request-0001",
        )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "drill-request-0001"
    entry = AccessLogEntry.objects.get(child_id=involvement.child.pk)
    assert entry.request_id == "drill-request-0001"
    lines = [r.msg for r in caplog.records if r.name == "cumulus.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["event"] == "request"
    assert line["request_id"] == "drill-request-0001"
    assert line["status"] == 200
    assert line["view"] == "web:child-detail"


def test_a_database_outage_during_a_page_gives_the_friendly_503_page(client):
    involvement = InvolvementFactory()
    client.force_login(involvement.practitioner)
    with mock.patch(
        "cumulus.web.views.people.my_children", side_effect=OperationalError("server closed")
    ):
        response = client.get(reverse("web:home"), HTTP_X_REQUEST_ID="drill-request-0002")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "drill-request-0002" in html
    assert "Traceback" not in html


def test_a_database_outage_while_saving_the_session_also_gives_the_503_page(client):
    involvement = InvolvementFactory()
    client.force_login(involvement.practitioner)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_response",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = client.get(reverse("web:home"))
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
