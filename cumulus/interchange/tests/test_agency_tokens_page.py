"""The agency API tokens page: administrators issue (secret shown once) and revoke tokens; the
API honours both at once; everyone else gets the 404 the IDOR test expects; all of it logged."""

from __future__ import annotations

import json
import re

import pytest

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.interchange.models import AgencyToken
from cumulus.interchange.services import TokenError, agency_token_create, agency_token_revoke
from cumulus.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKENS = "/interchange/imports/tokens/"


@pytest.fixture
def admin(client):
    user = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    client.force_login(user)
    return user


def _api(client, secret: str) -> int:
    return client.post(
        "/interchange/api/feeds/v1/records",
        data=json.dumps({"records": [{"record_id": "t-1"}]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    ).status_code


def test_issuing_shows_the_secret_once_and_the_api_takes_it(client, admin):
    school = AgencyFactory(code="SCH7", name="Brook Primary")
    page = client.post(TOKENS, {"agency": school.pk, "name": "register feed"})
    assert page.status_code == 200
    html = page.content.decode()
    secret = re.search(r'data-testid="secret">(cmls_[^<]+)<', html).group(1)
    token = AgencyToken.objects.get()
    assert token.agency == school
    assert token.name == "register feed"
    assert token.created_by == admin
    assert secret.startswith(token.prefix)
    assert secret not in token.token_sha256
    assert _api(client, secret) == 200
    listing = client.get(TOKENS).content.decode()
    assert token.prefix in listing
    assert secret not in listing
    entry = AccessLogEntry.objects.get(action=AccessAction.AGENCY_TOKEN)
    assert entry.actor == admin
    assert entry.detail == {"issued": token.prefix, "agency": "SCH7"}


def test_revoking_needs_a_reason_and_stops_the_token_at_once(client, admin):
    token, secret = agency_token_create(actor=admin, agency=AgencyFactory(), name="police feed")
    url = f"{TOKENS}{token.pk}/revoke/"
    refused = client.post(url, {"reason": ""})
    assert "Say why the token is being revoked" in refused.content.decode()
    assert _api(client, secret) == 200
    done = client.post(url, {"reason": "the supplier changed"})
    assert done.status_code == 302
    assert done["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_by == admin
    assert token.revoke_reason == "the supplier changed"
    assert _api(client, secret) == 401
    assert "already-revoked" in client.get(url).content.decode()
    assert AccessLogEntry.objects.filter(
        action=AccessAction.AGENCY_TOKEN, detail__revoked=token.prefix
    ).exists()


def test_bad_input_is_a_specific_error_and_nothing_is_issued(client, admin):
    inactive = AgencyFactory(is_active=False)
    missing_agency = client.post(TOKENS, {"agency": "", "name": "x"}).content.decode()
    assert "Choose the agency the token is for" in missing_agency
    blank_name = client.post(TOKENS, {"agency": AgencyFactory().pk, "name": "  "}).content.decode()
    assert "Say what the token is for" in blank_name
    gone = client.post(TOKENS, {"agency": inactive.pk, "name": "x"}).content.decode()
    assert "Select a valid choice" in gone
    assert not AgencyToken.objects.exists()
    with pytest.raises(TokenError, match="no longer active"):
        agency_token_create(actor=admin, agency=inactive, name="x")


@pytest.mark.parametrize(
    "role",
    [Role.FRONTLINE_PRACTITIONER, Role.TEAM_MANAGER, Role.PARTNERSHIP_ANALYST, Role.BUSINESS_UNIT],
)
def test_other_roles_can_neither_see_nor_use_it(client, role):
    user = UserFactory(role=role)
    token, secret = agency_token_create(actor=None, agency=AgencyFactory(), name="housing feed")
    client.force_login(user)
    assert client.get(TOKENS).status_code == 404
    assert client.post(TOKENS, {"agency": token.agency_id, "name": "mine"}).status_code == 404
    assert client.post(f"{TOKENS}{token.pk}/revoke/", {"reason": "x"}).status_code == 404
    assert AgencyToken.objects.count() == 1
    assert AgencyToken.objects.get().revoked_at is None
    with pytest.raises(TokenError, match="Only a partnership or system administrator"):
        agency_token_revoke(actor=user, token=token, reason="x")
    assert _api(client, secret) == 200
