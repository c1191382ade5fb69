"""An administrator can end someone's sessions (logged); no page may be cached; passwords
that are mostly this service's or partnership's name are refused, and changing one works."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cumulus.accounts.models import Role, User
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.testing.factories import TEST_PASSWORD, InvolvementFactory, UserFactory
from cumulus.web.tests.test_idor import RECORD_MAKERS, _url, all_routes

pytestmark = pytest.mark.django_db


def _signed_in(user):
    client = Client()
    assert (
        client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD}).status_code
        == 302
    )
    return client


def test_an_administrator_ends_every_session_of_a_user_and_it_is_logged():
    leaver = UserFactory()
    laptop, phone = _signed_in(leaver), _signed_in(leaver)
    assert laptop.get(reverse("web:home")).status_code == 200
    admin = UserFactory(role=Role.SYSTEM_ADMINISTRATOR)
    console = _signed_in(admin)

    response = console.post(
        reverse("account:end-sessions"),
        {"username": leaver.username, "reason": "Left the agency today"},
    )

    assert response.status_code == 302
    for device in (laptop, phone):
        assert device.get(reverse("web:home")).status_code == 302  # back to sign-in
    entry = AccessLogEntry.objects.get(action=AccessAction.END_SESSIONS)
    assert (entry.actor, entry.detail["user"]) == (admin, leaver.username)
    # The administrator's own session is untouched, and the leaver may sign in afresh.
    assert console.get(reverse("web:home")).status_code == 200
    assert _signed_in(leaver).get(reverse("web:home")).status_code == 200


def test_only_administrators_may_end_sessions_and_a_reason_is_required(client):
    target = UserFactory()
    client.force_login(UserFactory(role=Role.TEAM_MANAGER))
    assert client.get(reverse("account:end-sessions")).status_code == 404
    client.force_login(UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR))
    page = client.post(reverse("account:end-sessions"), {"username": target.username})
    assert page.status_code == 200
    assert "This field is required" in page.content.decode()
    unknown = client.post(
        reverse("account:end-sessions"), {"username": "nobody.here", "reason": "x"}
    )
    assert "No user has that username" in unknown.content.decode()
    assert User.objects.get(pk=target.pk).sessions_ended_at is None


def test_the_end_sessions_command_logs_under_the_administrators_name():
    leaver, admin = UserFactory(), UserFactory(role=Role.SYSTEM_ADMINISTRATOR)
    call_command("end_sessions", leaver.username, by=admin.username, reason="Laptop stolen")
    assert User.objects.get(pk=leaver.pk).sessions_ended_at is not None
    entry = AccessLogEntry.objects.get(action=AccessAction.END_SESSIONS)
    assert (entry.actor, entry.view_name) == (admin, "command:end_sessions")


def test_every_page_says_no_store_whatever_it_answers(client):
    involvement = InvolvementFactory()
    client.force_login(involvement.practitioner)
    values = {param: make() for param, make in RECORD_MAKERS.items()}
    values["child_id"] = involvement.child.pk  # one the user may see: a 200 page as well
    checked = 0
    for route in all_routes():
        if route.name.startswith("interchange:interchange-api") or not set(route.params) <= set(
            values
        ):
            continue  # the token API has no session; an indicator id names no record
        response = client.get(_url(route, values))
        cache = response.get("Cache-Control", "")
        assert "no-store" in cache, f"{route.name}: {cache!r}"
        assert "private" in cache, f"{route.name}: {cache!r}"
        checked += 1
    assert checked > 50
    assert client.get(reverse("web:child-detail", args=[involvement.child.pk])).status_code == 200


@pytest.mark.parametrize("password", ["Cumulus2026!!", "safeguarding-123", "DemoSafeguarding1"])
def test_passwords_that_are_mostly_a_word_of_this_service_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory())


def test_a_long_phrase_containing_such_a_word_is_allowed():
    validate_password("cumulus kettle orchard lantern", UserFactory())


def test_changing_a_password_checks_the_old_one_and_refuses_a_breached_one():
    user = UserFactory()
    client, other = _signed_in(user), _signed_in(user)
    url = reverse("account:password-change")
    wrong = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert "incorrectly" in wrong.content.decode()
    breached = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )
    assert "too common" in breached.content.decode()
    new = "kettle orchard lantern river"
    done = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(new)
    assert client.get(reverse("web:home")).status_code == 200  # this session goes on
    assert other.get(reverse("web:home")).status_code == 302  # every other one is ended
