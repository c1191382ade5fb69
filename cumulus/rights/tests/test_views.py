"""The records team's pages: a subject access package prepared by one person is approved by
another and only then downloadable; record requests keep their trail; everyone else gets 404;
every step is in the access log."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.rights.models import RecordRequest, SubjectAccessRequest, SubjectAccessStatus
from cumulus.testing.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team():
    return (
        UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR),
        UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR),
    )


def test_four_eyes_subject_access_in_the_browser(team):
    preparer, reviewer = map(_as, team)
    child = ChildFactory(nhs_number="9434765919")
    form = {
        "nhs_number": "943 476 5919",
        "requester": "The young person",
        "received_on": "2026-11-20",
    }
    response = preparer.post(reverse("rights:sar-new"), form)
    sar = SubjectAccessRequest.objects.get()
    assert response["Location"] == reverse("rights:sar-detail", args=[sar.pk])
    assert sar.child == child

    own = preparer.get(reverse("rights:sar-detail", args=[sar.pk])).content.decode()
    assert 'data-testid="sar-needs-second-person"' in own
    assert 'data-testid="sar-approve"' not in own
    preparer.post(reverse("rights:sar-approve", args=[sar.pk]))
    assert SubjectAccessRequest.objects.get().status == SubjectAccessStatus.PREPARED
    assert preparer.post(reverse("rights:sar-release", args=[sar.pk])).status_code == 302
    assert SubjectAccessRequest.objects.get().status == SubjectAccessStatus.PREPARED
    assert preparer.get(reverse("rights:sar-json", args=[sar.pk])).status_code == 404

    assert (
        'data-testid="sar-approve"'
        in reviewer.get(reverse("rights:sar-detail", args=[sar.pk])).content.decode()
    )
    reviewer.post(reverse("rights:sar-approve", args=[sar.pk]))
    assert SubjectAccessRequest.objects.get().approved_by == team[1]
    preparer.post(reverse("rights:sar-release", args=[sar.pk]))
    assert SubjectAccessRequest.objects.get().status == SubjectAccessStatus.RELEASED
    download = preparer.get(reverse("rights:sar-json", args=[sar.pk]))
    assert json.loads(download.content)["child"]["nhs_number"] == "9434765919"
    assert "no-store" in download["Cache-Control"]
    pdf = preparer.get(reverse("rights:sar-pdf", args=[sar.pk]))
    assert pdf.content.startswith(b"%PDF")
    steps = [
        e.detail["step"]
        for e in AccessLogEntry.objects.filter(child_id=child.pk).order_by("sequence")
    ]
    for step in ("prepare", "review", "approve", "release", "download"):
        assert step in steps
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT, child_id=child.pk).count() == 2


def test_an_unknown_child_and_a_missing_requester_get_specific_errors(team):
    client = _as(team[0])
    page = client.post(
        reverse("rights:sar-new"), {"la_child_id": "NO-SUCH", "received_on": "2026-11-20"}
    ).content.decode()
    assert "No child has that NHS number or local authority id" in page
    assert "This field is required" in page
    assert not SubjectAccessRequest.objects.exists()


def test_a_rectification_request_and_its_trail(team):
    client = _as(team[0])
    child = ChildFactory(la_child_id="LA-77")
    client.post(
        reverse("rights:record-request-new"),
        {
            "la_child_id": "LA-77",
            "kind": "rectification",
            "requester": "Mother",
            "what": "Wrong date of birth",
        },
    )
    request = RecordRequest.objects.get(child=child)
    url = reverse("rights:record-request-detail", args=[request.pk])
    refused = client.post(url, {"status": "carried_out", "note": ""})
    assert "This field is required" in refused.content.decode()
    client.post(
        url, {"status": "carried_out", "note": "Date of birth corrected from the birth record."}
    )
    request.refresh_from_db()
    assert request.status == "carried_out"
    page = _as(team[1]).get(url).content.decode()
    assert "Date of birth corrected" in page
    assert "Request recorded." in page


@pytest.mark.parametrize(
    "role", [r for r in Role if r != Role.PARTNERSHIP_ADMINISTRATOR], ids=lambda r: r.value
)
def test_nobody_else_reaches_the_rights_pages(role):
    client = _as(UserFactory(role=role))
    for name in ("rights:home", "rights:sar-new", "rights:record-request-new", "rights:retention"):
        assert client.get(reverse(name)).status_code == 404
