"""The business unit's booklet commentary: who may write it, what is refused, and the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from cumulus.accounts.models import Role, User
from cumulus.indicators.models import Commentary, CommentaryRevision
from cumulus.indicators.selectors import commentary_for
from cumulus.indicators.services import (
    COMMENTARY_MAX_CHARS,
    CommentaryInvalidError,
    IndicatorUnknownError,
    commentary_save,
)
from cumulus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/indicators/commentary/referrals/2026-10/"


def _client(role: str) -> tuple[Client, User]:
    client = Client()
    user = UserFactory.create(role=role)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize(
    "role", [Role.TEAM_MANAGER, Role.FRONTLINE_PRACTITIONER, Role.DESIGNATED_SAFEGUARDING_LEAD]
)
def test_only_the_business_unit_may_open_or_write_commentary(role: str) -> None:
    client, _ = _client(role)
    assert client.get("/indicators/commentary/").status_code == 404
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"text": "Forged", "based_on": "0"}).status_code == 404
    assert not Commentary.objects.exists()


def test_an_analyst_writes_then_changes_commentary_and_both_texts_are_kept() -> None:
    client, user = _client(Role.PARTNERSHIP_ANALYST)
    assert client.post(URL, {"text": "Referrals rose.", "based_on": "0"}).status_code == 302
    first = CommentaryRevision.objects.get()
    response = client.post(URL, {"text": "Referrals rose in Oct.", "based_on": str(first.id)})
    assert response.status_code == 302
    assert commentary_for(month=dt.date(2026, 10, 1)) == {"referrals": "Referrals rose in Oct."}
    page = client.get(URL).content.decode()
    history = page[page.index('data-testid="commentary-history"') :]
    assert history.index("Referrals rose in Oct.") < history.index("Referrals rose.")
    assert list(CommentaryRevision.objects.values_list("written_by", flat=True)) == [user.pk] * 2
    listing = client.get("/indicators/commentary/?month=2026-10").content.decode()
    assert "Referrals rose in Oct." in listing
    # Another month is separate.
    assert commentary_for(month=dt.date(2026, 9, 1)) == {}


def test_empty_or_overlong_commentary_is_refused_and_nothing_is_saved() -> None:
    client, _ = _client(Role.PARTNERSHIP_ADMINISTRATOR)
    response = client.post(URL, {"text": "   ", "based_on": "0"})
    assert response.status_code == 400
    assert "cannot be empty" in response.content.decode()
    response = client.post(URL, {"text": "x" * (COMMENTARY_MAX_CHARS + 1), "based_on": "0"})
    assert response.status_code == 400
    assert f"at most {COMMENTARY_MAX_CHARS}" in response.content.decode()
    assert not Commentary.objects.exists()
    assert not CommentaryRevision.objects.exists()


def test_a_save_based_on_an_older_version_is_refused_not_lost() -> None:
    analyst = UserFactory.create(role=Role.PARTNERSHIP_ANALYST)
    other = UserFactory.create(role=Role.PARTNERSHIP_ANALYST)
    month = dt.date(2026, 10, 1)
    commentary_save(actor=analyst, indicator="referrals", month=month, text="A", based_on=0)
    with pytest.raises(CommentaryInvalidError, match="Someone else saved"):
        commentary_save(actor=other, indicator="referrals", month=month, text="B", based_on=0)
    assert commentary_for(month=month) == {"referrals": "A"}
    assert CommentaryRevision.objects.count() == 1


def test_unknown_indicators_and_months_are_not_found() -> None:
    client, _ = _client(Role.PARTNERSHIP_ANALYST)
    assert client.get("/indicators/commentary/no_such_indicator/2026-10/").status_code == 404
    assert client.get("/indicators/commentary/referrals/2026-13/").status_code == 404
    assert client.get("/indicators/commentary/referrals/October/").status_code == 404
    page = client.get("/indicators/commentary/?month=last-month")
    assert "is not a month" in page.content.decode()
    with pytest.raises(IndicatorUnknownError):
        commentary_save(
            actor=UserFactory.create(), indicator="nope", month=dt.date(2026, 10, 1), text="x"
        )
