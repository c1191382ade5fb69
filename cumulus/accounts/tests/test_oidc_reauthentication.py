"""Break glass for an account that signs in only through the provider: it re-authenticates
there (``prompt=login``, ``max_age=0``), and only a fresh sign-in by the same person (``sub``)
lets it open a record. Run against the fake provider of ``test_oidc`` (no network)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.accounts.tests.test_oidc import ISSUER, SSO, FakeProvider
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.people.models import BreakGlassAccess
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db
REASON = "Police report the child is alone at home overnight; checking history now."
EMAIL = "nurse@hospital.example"


@pytest.fixture
def provider(monkeypatch):
    fake = FakeProvider(monkeypatch)
    fake.email = EMAIL
    return fake


@pytest.fixture
def nurse():
    """A hospital nurse with no Cumulus password: single sign-on only."""
    user = UserFactory(
        email=EMAIL,
        agency=AgencyFactory(agency_type=AgencyType.HOSPITAL),
        role=Role.FRONTLINE_PRACTITIONER,
    )
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def child():
    return InvolvementFactory(
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    ).child


def _round_trip(client, provider, start_url):
    """Start at ``start_url``, let the provider answer, return (authorize query, response)."""
    target = urlsplit(client.get(start_url)["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/authorize"
    query = parse_qs(target.query)
    provider.nonce = query["nonce"][0]
    back = client.get(
        reverse("account:oidc-callback"), {"code": "the-code", "state": query["state"][0]}
    )
    return query, back


def _signed_in(client, provider, nurse):
    _round_trip(client, provider, reverse("account:oidc-start"))
    assert client.session.get("_auth_user_id") == str(nurse.pk)


def _break(client, child):
    return client.post(
        reverse("web:emergency-access"), {"nhs_number": child.nhs_number, "reason": REASON}
    )


@override_settings(**SSO)
def test_a_fresh_sign_in_at_the_provider_lets_a_password_less_account_break_the_glass(
    client, provider, nurse, child
):
    _signed_in(client, provider, nurse)
    page = client.get(reverse("web:emergency-access")).content.decode()
    assert 'data-testid="reauthenticate"' in page
    assert 'name="password"' not in page
    refused = _break(client, child)
    assert "Confirm who you are with your council sign-in first" in refused.content.decode()
    assert not BreakGlassAccess.objects.exists()

    provider.claims = {"auth_time": int(time.time()) - 5}
    query, back = _round_trip(client, provider, reverse("account:oidc-reauthenticate"))
    assert (query["prompt"], query["max_age"]) == (["login"], ["0"])
    assert back["Location"] == reverse("web:emergency-access")
    assert client.session.get("_auth_user_id") == str(nurse.pk)  # still the same session user
    assert _break(client, child).status_code == 302
    assert BreakGlassAccess.objects.get().user == nurse
    # One confirmation opens one record: the next break glass asks again.
    again = _break(client, child)
    assert "Confirm who you are with your council sign-in first" in again.content.decode()


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"auth_time": int(time.time()) - 3600}, "not recent"),
        ({}, "no auth_time"),
        ({"auth_time": int(time.time()), "sub": "subject-2"}, "a different person"),
    ],
    ids=["stale auth_time", "no auth_time", "wrong sub"],
)
@override_settings(**SSO)
def test_a_stale_or_someone_elses_sign_in_is_refused_and_logged(
    client, provider, nurse, child, claims, says
):
    _signed_in(client, provider, nurse)
    provider.claims = claims
    _, back = _round_trip(client, provider, reverse("account:oidc-reauthenticate"))
    assert back["Location"] == reverse("web:emergency-access")
    denied = AccessLogEntry.objects.get(action=AccessAction.DENIED, actor=nurse)
    assert denied.detail["break_glass"] == "provider re-authentication failed"
    assert says in denied.detail["why"]
    assert _break(client, child).status_code == 200
    assert not BreakGlassAccess.objects.exists()


@override_settings(**SSO)
def test_an_account_with_a_password_still_types_it(client, provider, child):
    user = UserFactory(email=EMAIL, role=Role.FRONTLINE_PRACTITIONER)
    _round_trip(client, provider, reverse("account:oidc-start"))
    assert client.session.get("_auth_user_id") == str(user.pk)
    page = client.get(reverse("web:emergency-access")).content.decode()
    assert 'name="password"' in page
    assert 'data-testid="reauthenticate"' not in page
