"""Single sign-on through the council's OpenID Connect provider (mozilla-django-oidc).

Off unless ``CUMULUS_OIDC_ENABLED=1`` (see docs/security.md, "Single sign-on"). The library
runs the authorisation-code flow: a random ``state`` and ``nonce`` kept in the session, the
code exchanged for tokens at the provider, the ID token's signature checked against the
provider's published keys (RS256), its expiry and its nonce. This module adds what Cumulus
needs on top:

* the ID token's issuer and audience must be this provider and this client (the library does
  not check them);
* a sign-in maps only to an **existing**, active, non-dormant Cumulus account whose e-mail
  matches the chosen claim: the provider cannot create accounts, because a role and an agency
  (and so what the person may see) are decided by the partnership's administrators;
* two-factor: by default a single sign-on session still needs the Cumulus authenticator code
  (``CUMULUS_REQUIRE_2FA``). A council whose provider enforces MFA can set
  ``CUMULUS_OIDC_TRUST_PROVIDER_MFA=1``; then a session counts as verified only when the ID
  token's ``amr`` claim says MFA was used (``mfa``, ``otp``, ``hwk``, ``swk``, ``sms``...);
* re-authentication before break glass for accounts with no Cumulus password
  (``ReauthenticateStart``; the rules are in ``cumulus.accounts.reauth``). It returns through the
  same callback, so a council registers one redirect URI.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cumulus.accounts import reauth
from cumulus.accounts.models import User
from cumulus.accounts.policies import is_dormant

PROVIDER_MFA = "cumulus_provider_mfa"
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "sms", "face", "fpt", "iris", "retina"})


class CumulusOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not settings.CUMULUS_OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as exc:  # expired, not yet valid, malformed: a refusal, not a 500
            raise SuspiciousOperation(f"The ID token is not valid: {exc}") from exc
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not meant for this service")
        if payload.get("iss") != settings.CUMULUS_OIDC_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer")
        self.provider_mfa = bool(MFA_METHODS & set(payload.get("amr") or []))
        self.id_token_claims = payload
        return payload

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        value = str(claims.get(settings.CUMULUS_OIDC_MATCH_CLAIM) or "").strip()
        if not value:
            return User.objects.none()
        return User.objects.filter(email__iexact=value, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> Any:
        raise SuspiciousOperation("Cumulus accounts are made by administrators, not by sign-in")

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        if is_dormant(user):
            raise SuspiciousOperation("This account is dormant")
        user.oidc_provider_mfa = getattr(self, "provider_mfa", False)  # type: ignore[attr-defined]
        claims = getattr(self, "id_token_claims", {})
        user.oidc_sub = str(claims.get("sub") or "")  # type: ignore[attr-defined]
        return user


def _enabled() -> None:
    if not settings.CUMULUS_OIDC_ENABLED:
        raise Http404("Single sign-on is not set up")


class SignInStart(OIDCAuthenticationRequestView):
    """Send the browser to the council's provider, with a fresh state and nonce."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: check the state, exchange the code, sign the person in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        state = request.GET.get("state")
        if state and state == request.session.get(reauth.PENDING_STATE):
            return _reauthenticate_return(request, state)
        return super().get(request)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        trusted = settings.CUMULUS_OIDC_TRUST_PROVIDER_MFA and getattr(
            self.user, "oidc_provider_mfa", False
        )
        self.request.session[PROVIDER_MFA] = bool(trusted)
        self.request.session[reauth.SUBJECT] = getattr(self.user, "oidc_sub", "")
        return response


@method_decorator(login_required, name="get")
class ReauthenticateStart(OIDCAuthenticationRequestView):
    """Send a signed-in person to the provider to sign in afresh (before break glass)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        response: HttpResponse = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        request.session[reauth.PENDING_STATE] = state
        reauth.use_up(request)  # a new attempt replaces any earlier confirmation
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {**super().get_extra_params(request), "prompt": "login", "max_age": "0"}


def _reauthenticate_return(request: HttpRequest, state: str) -> HttpResponse:
    """Back from the provider after ``ReauthenticateStart``: the same person, signed in just now?

    Nobody is signed in or out here: success only marks the session re-authenticated; any
    failure is logged as a refused break glass, as a wrong password is.
    """
    from cumulus.audit.models import AccessAction
    from cumulus.audit.services import access_log_record

    request.session.pop(reauth.PENDING_STATE, None)
    pending = (request.session.get("oidc_states") or {}).pop(state, None)
    request.session.modified = True
    user = request.user
    if not isinstance(user, User):
        return redirect(settings.LOGIN_URL)
    problem: str | None = None
    if request.GET.get("error") or pending is None or "code" not in request.GET:
        problem = "The provider did not confirm who you are"
    else:
        backend = CumulusOIDCBackend()
        try:
            matched = backend.authenticate(
                request, nonce=pending["nonce"], code_verifier=pending.get("code_verifier")
            )
        except SuspiciousOperation as exc:
            matched, problem = None, str(exc)
        if problem is None:
            problem = reauth.claims_problem(
                getattr(backend, "id_token_claims", {}),
                expected_sub=str(request.session.get(reauth.SUBJECT) or ""),
            )
        if problem is None and (matched is None or matched.pk != user.pk):
            problem = "The provider's account is not the one signed in to Cumulus"
    if problem is not None:
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.DENIED,
            detail={"break_glass": "provider re-authentication failed", "why": problem},
        )
        messages.error(request, f"You were not re-authenticated: {problem}.")
    else:
        reauth.mark_done(request)
        messages.success(request, "Your council sign-in confirmed who you are.")
    return redirect("web:emergency-access")
