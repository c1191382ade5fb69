"""Two-factor sign-in: staff must set up and then prove a TOTP code; wrong codes are refused."""

import re

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cumulus.accounts.models import Role
from cumulus.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]


@pytest.fixture
def two_factor_on():
    with override_settings(CUMULUS_REQUIRE_2FA=True):
        yield


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _sign_in(client, user):
    return client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})


def test_staff_without_an_authenticator_are_sent_to_set_up_and_nothing_else_opens(client):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    _sign_in(client, user)
    for path in ("/", "/children/search/", "/inbox/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/two-factor/set-up/?next=")
    page = client.get("/two-factor/set-up/")
    assert page.status_code == 200
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7]+)<', page.content.decode())
    assert secret is not None
    assert "<svg" in page.content.decode()


def test_setting_up_with_a_right_code_verifies_the_session(client):
    user = UserFactory(role=Role.FRONTLINE_PRACTITIONER)
    _sign_in(client, user)
    client.get("/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(
        "/two-factor/set-up/", {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    throttled = client.post("/two-factor/set-up/", {"code": _code(device)})
    assert "That code is not right" in throttled.content.decode(), "a wrong code throttles"
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post("/two-factor/set-up/", {"code": _code(device), "next": "/inbox/"})
    assert done.status_code == 302
    assert done["Location"] == "/inbox/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_each_new_sign_in_asks_for_a_code_and_refuses_a_wrong_one(client):
    user = UserFactory(role=Role.TEAM_MANAGER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    assert client.get("/")["Location"].startswith("/two-factor/verify/")
    bad = client.post("/two-factor/verify/", {"code": "12345"})
    assert "Enter the 6-digit code" in bad.content.decode()
    assert client.get("/").status_code == 302
    good = client.post(
        "/two-factor/verify/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert good["Location"] == "/"
    assert client.get("/").status_code == 200


@override_settings(CUMULUS_REQUIRE_2FA=False)
def test_without_the_requirement_staff_go_straight_in(client):
    _sign_in(client, UserFactory())
    assert client.get("/").status_code == 200


def test_reset_two_factor_removes_the_authenticators_of_that_user_only():
    from io import StringIO

    from django.core.management import CommandError, call_command

    lost, other = UserFactory(), UserFactory()
    TOTPDevice.objects.create(user=lost, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    out = StringIO()
    call_command("reset_two_factor", lost.username, stdout=out)
    assert "Removed 1 authenticator(s)" in out.getvalue()
    assert list(TOTPDevice.objects.values_list("user_id", flat=True)) == [other.pk]
    with pytest.raises(CommandError, match="No user is called"):
        call_command("reset_two_factor", "nobody")
