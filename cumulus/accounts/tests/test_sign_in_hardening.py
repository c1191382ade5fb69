"""Lockout keyed on username and address, dormant accounts, idle and absolute session limits."""

import datetime as dt

import pytest
from django.test import override_settings

from cumulus.accounts.middleware import SEEN, STARTED
from cumulus.accounts.models import User
from cumulus.accounts.services import dormant_accounts_disable
from cumulus.core import clock
from cumulus.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_that_username_from_that_address_only(client):
    user = UserFactory()
    for _ in range(3):
        _sign_in(client, user.username, "wrong-password-1")
    locked = _sign_in(client, user.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    # The same person from another address, and a colleague from the shared address, still can.
    assert _sign_in(client, user.username, TEST_PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    colleague = UserFactory()
    assert _sign_in(client, colleague.username, TEST_PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_does_not_reveal_whether_a_username_exists(client):
    user = UserFactory()
    for username in (user.username, "nobody.by.this.name"):
        for _ in range(3):
            _sign_in(client, username, "wrong-password-1")
    real = _sign_in(client, user.username, "wrong-password-1")
    made_up = _sign_in(client, "nobody.by.this.name", "wrong-password-1")
    assert real.status_code == made_up.status_code == 429
    assert real.content == made_up.content


def test_a_dormant_account_cannot_sign_in_and_is_disabled_by_the_nightly_job(client):
    old = clock.now() - dt.timedelta(days=91)
    dormant = UserFactory()
    User.objects.filter(pk=dormant.pk).update(last_login=old, date_joined=old)
    never_used = UserFactory()
    User.objects.filter(pk=never_used.pk).update(date_joined=old)
    recent = UserFactory()
    User.objects.filter(pk=recent.pk).update(last_login=clock.now() - dt.timedelta(days=89))

    response = _sign_in(client, dormant.username, TEST_PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()

    assert dormant_accounts_disable() == sorted([dormant.username, never_used.username])
    assert list(User.objects.filter(is_active=False).order_by("pk")) == [dormant, never_used]
    assert dormant_accounts_disable() == []


def _age_session(client, **seconds_ago):
    session = client.session
    now = clock.now().timestamp()
    session[STARTED] = now - seconds_ago.get("started", 0)
    session[SEEN] = now - seconds_ago.get("seen", 0)
    session.save()


@override_settings(CUMULUS_SESSION_IDLE_SECONDS=600, SESSION_COOKIE_AGE=3600)
def test_an_idle_session_is_signed_out_and_an_active_one_is_kept(client):
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200
    _age_session(client, started=700, seen=599)
    assert client.get("/").status_code == 200
    _age_session(client, started=700, seen=601)
    assert client.get("/").status_code == 302


@override_settings(CUMULUS_SESSION_IDLE_SECONDS=600, SESSION_COOKIE_AGE=3600)
def test_a_session_ends_at_its_maximum_age_however_active(client):
    client.force_login(UserFactory())
    _age_session(client, started=3601, seen=5)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
