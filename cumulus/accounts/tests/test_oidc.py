"""Single sign-on against a fake OpenID Connect provider inside the test (no network).

The fake signs ID tokens with an RSA key made here and answers the token, userinfo and JWKS
requests that mozilla-django-oidc makes. What must hold: the flow signs in an existing account
matched by e-mail; a wrong state, a wrong nonce, a forged signature, another audience or
issuer, or an unknown e-mail signs nobody in and creates no account; two-factor still applies
unless the council trusts the provider's MFA and the token says MFA was used.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from django.urls import reverse

from cumulus.accounts.models import User
from cumulus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.council.example"
CLIENT = "cumulus-test-client"
SSO = {
    "CUMULUS_OIDC_ENABLED": True,
    "CUMULUS_OIDC_ISSUER": ISSUER,
    "OIDC_RP_CLIENT_ID": CLIENT,
    "OIDC_RP_CLIENT_SECRET": "test-secret-not-real",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{ISSUER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{ISSUER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{ISSUER}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{ISSUER}/jwks",
    "AUTHENTICATION_BACKENDS": [
        "cumulus.accounts.backends.SignInLockoutBackend",
        "cumulus.accounts.backends.CumulusBackend",
        "cumulus.accounts.oidc.CumulusOIDCBackend",
    ],
}
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Response:
    status_code = 200
    headers = {"Content-Type": "application/json"}

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def json(self) -> dict[str, Any]:
        return self.body

    def raise_for_status(self) -> None:
        return None


class FakeProvider:
    """Answers the three requests the relying party makes; nothing leaves the process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import mozilla_django_oidc.auth as oidc_auth

        self.email = ""
        self.nonce = ""
        self.claims: dict[str, Any] = {}
        self.sign_with = KEY
        self.requests: list[str] = []
        monkeypatch.setattr(oidc_auth.requests, "post", self.post)
        monkeypatch.setattr(oidc_auth.requests, "get", self.get)

    def token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT,
            "sub": "subject-1",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": self.email,
            **self.claims,
        }
        return jwt.encode(claims, self.sign_with, algorithm="RS256", headers={"kid": "k1"})

    def post(self, url: str, **kwargs: Any) -> _Response:
        self.requests.append(url)
        assert url == f"{ISSUER}/token"
        assert kwargs["data"]["code"] == "the-code"
        assert kwargs["data"]["code_verifier"]  # PKCE is on
        return _Response({"id_token": self.token(self.nonce), "access_token": "at"})

    def get(self, url: str, **kwargs: Any) -> _Response:
        self.requests.append(url)
        if url == f"{ISSUER}/jwks":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
            return _Response({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        assert url == f"{ISSUER}/userinfo"
        return _Response({"email": self.email, "sub": "subject-1"})


@pytest.fixture
def provider(monkeypatch):
    return FakeProvider(monkeypatch)


def _start(client) -> tuple[str, str]:
    response = client.get(reverse("account:oidc-start"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == [CLIENT]
    return query["state"][0], query["nonce"][0]


def _sign_in(client, provider, *, state=None, nonce=None):
    real_state, real_nonce = _start(client)
    provider.nonce = real_nonce if nonce is None else nonce
    return client.get(
        reverse("account:oidc-callback"),
        {"code": "the-code", "state": real_state if state is None else state},
    )


def _signed_in_as(client) -> Any:
    return client.session.get("_auth_user_id")


@override_settings(**SSO)
def test_single_sign_on_signs_in_the_existing_account_with_that_email(client, provider):
    user = UserFactory(email="amira.shah@school.example")
    provider.email = "Amira.Shah@school.example"
    response = _sign_in(client, provider)
    assert response.status_code == 302
    assert _signed_in_as(client) == str(user.pk)
    assert client.get(reverse("web:home")).status_code == 200
    assert provider.requests == [f"{ISSUER}/token", f"{ISSUER}/jwks", f"{ISSUER}/userinfo"]


@override_settings(**SSO)
def test_an_unknown_email_signs_nobody_in_and_creates_no_account(client, provider):
    UserFactory(email="someone@school.example")
    provider.email = "stranger@elsewhere.example"
    before = User.objects.count()
    response = _sign_in(client, provider)
    assert response["Location"] == "/sign-in/?sso=failed"
    assert _signed_in_as(client) is None
    assert User.objects.count() == before


@override_settings(**SSO)
def test_a_wrong_nonce_is_refused(client, provider):
    UserFactory(email="a@school.example")
    provider.email = "a@school.example"
    response = _sign_in(client, provider, nonce="replayed-nonce")
    assert response.status_code in (302, 400)
    assert _signed_in_as(client) is None


@override_settings(**SSO)
def test_a_state_that_was_never_issued_is_refused(client, provider):
    UserFactory(email="a@school.example")
    provider.email = "a@school.example"
    response = _sign_in(client, provider, state="forged-state")
    assert response.status_code == 400
    assert _signed_in_as(client) is None


@pytest.mark.parametrize(
    "tamper",
    [
        {"sign_with": OTHER_KEY},
        {"claims": {"aud": "another-client"}},
        {"claims": {"iss": "https://evil.example"}},
        {"claims": {"exp": int(time.time()) - 3600}},
    ],
    ids=["forged signature", "other audience", "other issuer", "expired"],
)
@override_settings(**SSO)
def test_a_token_that_fails_validation_signs_nobody_in(client, provider, tamper):
    UserFactory(email="a@school.example")
    provider.email = "a@school.example"
    for name, value in tamper.items():
        setattr(provider, name, value)
    response = _sign_in(client, provider)
    assert response.status_code in (302, 400)
    assert _signed_in_as(client) is None


@override_settings(**SSO, CUMULUS_REQUIRE_2FA=True)
def test_two_factor_still_applies_after_single_sign_on(client, provider):
    UserFactory(email="a@school.example")
    provider.email = "a@school.example"
    provider.claims = {"amr": ["pwd", "mfa"]}
    _sign_in(client, provider)
    assert client.get(reverse("web:home"))["Location"].startswith("/two-factor/")


@override_settings(**SSO, CUMULUS_REQUIRE_2FA=True, CUMULUS_OIDC_TRUST_PROVIDER_MFA=True)
def test_a_trusted_provider_mfa_counts_only_when_the_token_says_so(client, provider):
    UserFactory(email="a@school.example")
    provider.email = "a@school.example"
    provider.claims = {"amr": ["pwd"]}
    _sign_in(client, provider)
    assert client.get(reverse("web:home")).status_code == 302  # password alone: not enough
    client.logout()
    provider.claims = {"amr": ["pwd", "mfa"]}
    _sign_in(client, provider)
    assert client.get(reverse("web:home")).status_code == 200


def test_single_sign_on_is_off_by_default(client):
    assert client.get(reverse("account:oidc-start")).status_code == 404
    assert client.get(reverse("account:oidc-callback")).status_code == 404
