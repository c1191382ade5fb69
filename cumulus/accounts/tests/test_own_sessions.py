"""A person sees their own sessions and ends one, or all the others; the cookie of an ended
session no longer works; someone else's session answers 404 and the attempt is logged."""

import hashlib
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cumulus.accounts.models import UserSession
from cumulus.accounts.selectors import browser_described
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _signed_in(user, agent="", address="127.0.0.1"):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    return client


def test_the_list_shows_each_session_with_its_browser_address_and_this_one_marked():
    user = UserFactory()
    laptop = _signed_in(user, FIREFOX, "10.1.1.1")
    _signed_in(user, "curl/8.0", "10.2.2.2")
    page = laptop.get(reverse("account:own-sessions"))
    html = page.content.decode()
    assert page.status_code == 200
    assert [s.is_current for s in page.context["sessions"]] == [True, False]
    for shown in ("Firefox 133 on Windows 10", "10.1.1.1", "10.2.2.2"):
        assert shown in html
    assert UserSession.objects.filter(user=user).count() == 2
    assert not UserSession.objects.filter(key_hash=laptop.cookies["sessionid"].value).exists()


def test_ending_another_session_signs_that_device_out_and_is_logged():
    user = UserFactory()
    laptop, phone = _signed_in(user), _signed_in(user)
    other = next(
        s
        for s in laptop.get(reverse("account:own-sessions")).context["sessions"]
        if not s.is_current
    )
    response = laptop.post(reverse("account:own-session-end", args=[other.pk]))
    assert response.status_code == 302
    assert not UserSession.objects.filter(pk=other.pk).exists()
    assert phone.get(reverse("web:home")).status_code == 302  # back to sign-in
    assert laptop.get(reverse("web:home")).status_code == 200
    entry = AccessLogEntry.objects.get(action=AccessAction.END_OWN_SESSIONS)
    assert (entry.actor, entry.detail["session"]) == (user, other.pk)


def test_signing_out_everywhere_else_keeps_only_this_session():
    user = UserFactory()
    laptop, phone, tablet = _signed_in(user), _signed_in(user), _signed_in(user)
    assert laptop.post(reverse("account:own-sessions-end-others")).status_code == 302
    assert phone.get(reverse("web:home")).status_code == 302
    assert tablet.get(reverse("web:home")).status_code == 302
    assert laptop.get(reverse("web:home")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1


def test_another_persons_session_answers_404_like_a_missing_one_and_is_logged():
    victim, attacker = UserFactory(), UserFactory()
    _signed_in(victim)
    target = UserSession.objects.get(user=victim)
    client = _signed_in(attacker)
    theirs = client.post(reverse("account:own-session-end", args=[target.pk]))
    missing = client.post(reverse("account:own-session-end", args=[target.pk + 1000]))
    assert theirs.status_code == missing.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", theirs.content) == token.sub(b"", missing.content)
    assert UserSession.objects.filter(pk=target.pk).exists()
    assert AccessLogEntry.objects.filter(actor=attacker, action=AccessAction.DENIED).count() == 2


def test_ending_needs_a_post_with_the_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = UserSession.objects.get(user=user)
    assert client.get(reverse("account:own-session-end", args=[session.pk])).status_code == 405
    assert client.post(reverse("account:own-session-end", args=[session.pk])).status_code == 403
    assert UserSession.objects.filter(pk=session.pk).exists()


def test_the_session_key_is_stored_only_as_its_hash():
    user = UserFactory()
    client = _signed_in(user)
    key = client.cookies["sessionid"].value
    row = UserSession.objects.get(user=user)
    assert key not in row.key_hash
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()


@override_settings(CUMULUS_TRUSTED_PROXIES=["10.20.0.0/16"])
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_recorded():
    from cumulus.core import network

    network._networks.cache_clear()
    user = UserFactory()
    client = Client(REMOTE_ADDR="10.20.1.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    client.get(reverse("web:home"))
    assert UserSession.objects.get(user=user).ip_address == "203.0.113.9"


def test_an_untrusted_sender_cannot_choose_its_address_by_header():
    user = UserFactory()
    client = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    client.get(reverse("web:home"))
    assert UserSession.objects.get(user=user).ip_address == "198.51.100.7"


def test_an_empty_user_agent_reads_as_unknown():
    assert browser_described("") == "Unknown browser"
