"""`cumulus feed_token`: issue shows the secret once, the API takes it, revoke stops it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cumulus.accounts.models import AgencyType
from cumulus.interchange.models import AgencyToken
from cumulus.testing.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("feed_token", *args, stdout=out)
    return out.getvalue()


def _post(client, secret: str):
    return client.post(
        "/interchange/api/feeds/v1/records",
        data=json.dumps({"records": [{"record_id": "t-1"}]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_an_issued_token_works_until_it_is_revoked(client):
    AgencyFactory(agency_type=AgencyType.SCHOOL, code="SCH9")
    issued = _run("issue", "--agency", "SCH9", "--name", "register feed")
    secret = issued.split("store it now): ")[1].strip()
    token = AgencyToken.objects.get()
    assert secret.startswith(token.prefix)
    assert secret not in _run("list")
    assert token.prefix in _run("list", "--agency", "SCH9")
    assert _post(client, secret).status_code == 200
    assert "is now revoked" in _run("revoke", token.prefix)
    assert _post(client, secret).status_code == 401
    assert "was already revoked" in _run("revoke", token.prefix)


def test_unknown_agency_or_prefix_and_an_empty_name_are_clear_errors():
    AgencyFactory(code="SCH9")
    with pytest.raises(CommandError, match="No active agency has the code 'NOPE'"):
        _run("issue", "--agency", "NOPE", "--name", "x")
    with pytest.raises(CommandError, match="--name must say"):
        _run("issue", "--agency", "SCH9", "--name", "  ")
    with pytest.raises(CommandError, match="No token has the prefix 'cmls_zz'"):
        _run("revoke", "cmls_zz")
    assert not AgencyToken.objects.exists()
