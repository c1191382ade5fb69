"""Re-authentication before break glass, for accounts that sign in only through the provider.

Breaking the glass asks who the person is again (docs/security.md, "Break glass"): with a
Cumulus password, the password (and the authenticator code) on the same form. An account that
signs in only by single sign-on has no usable password, so it re-authenticates at the council's
provider instead: ``prompt=login`` and ``max_age=0`` ask the provider to make the person sign in
afresh, and on return the ID token must say so (``auth_time`` within
``CUMULUS_OIDC_REAUTH_SECONDS``) for the same person (``sub`` as at sign-in). The session is then
marked re-authenticated until the same number of seconds has passed or break glass uses it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cumulus.accounts.models import User
from cumulus.core import clock

SUBJECT = "cumulus_oidc_sub"  # the provider's ``sub`` for the person signed in, set at sign-in
PENDING_STATE = "cumulus_reauth_state"  # the ``state`` of a re-authentication under way
DONE_AT = "cumulus_reauthenticated_at"  # when the provider last confirmed the person (epoch s)
CLOCK_SKEW_SECONDS = 60


def max_age_seconds() -> int:
    return int(getattr(settings, "CUMULUS_OIDC_REAUTH_SECONDS", 300))


def through_provider(user: User) -> bool:
    """Whether ``user`` re-authenticates at the provider (single sign-on, no password)."""
    return bool(settings.CUMULUS_OIDC_ENABLED) and not user.has_usable_password()


def claims_problem(claims: dict[str, Any], *, expected_sub: str) -> str | None:
    """Why the returned ID token does not show a fresh sign-in by the same person (or None)."""
    if not expected_sub:
        return "This session was not started through single sign-on: sign out and in again"
    if str(claims.get("sub") or "") != expected_sub:
        return "The provider confirmed a different person from the one signed in"
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int | float) or isinstance(auth_time, bool):
        return "The provider did not say when you signed in (no auth_time)"
    now = clock.now().timestamp()
    if auth_time > now + CLOCK_SKEW_SECONDS:
        return "The provider's sign-in time is in the future"
    if now - auth_time > max_age_seconds():
        return "The provider did not ask you to sign in again (the sign-in is not recent)"
    return None


def mark_done(request: HttpRequest) -> None:
    request.session[DONE_AT] = clock.now().timestamp()


def is_fresh(request: HttpRequest) -> bool:
    """Whether the provider confirmed the person recently enough for break glass now."""
    done_at = request.session.get(DONE_AT)
    if not isinstance(done_at, int | float):
        return False
    return 0 <= clock.now().timestamp() - done_at <= max_age_seconds()


def use_up(request: HttpRequest) -> None:
    """One re-authentication opens one record: the next break glass asks again."""
    request.session.pop(DONE_AT, None)
