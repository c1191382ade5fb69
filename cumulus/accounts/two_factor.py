"""Two-factor sign-in (TOTP, django-otp) for every staff role, and the middleware that holds it.

When ``CUMULUS_REQUIRE_2FA`` is on (the default in production), a signed-in member of staff
who has not yet proved their second factor in this session can reach only the two-factor pages,
sign-out and static files: everything else redirects to set-up (no confirmed authenticator yet)
or to verification. django-otp throttles wrong codes on the device itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

# Roles that sign in but are not staff: the family's own view (issue 4) never needs a phone app.
TWO_FACTOR_EXEMPT_ROLES = frozenset({"family_member"})
_ALWAYS_OPEN = ("/two-factor/", "/sign-out/", "/static/", "/favicon.ico", "/healthz", "/readyz")


def two_factor_required(user: Any) -> bool:
    return bool(
        settings.CUMULUS_REQUIRE_2FA
        and user.is_authenticated
        and getattr(user, "role", "") not in TWO_FACTOR_EXEMPT_ROLES
    )


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made once, so the secret stays the same)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def device_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm a new authenticator with a first code; the session is then verified."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    return True


def session_verify(*, request: HttpRequest, token: str) -> bool:
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(token.strip()):
        return False
    otp_login(request, device)
    return True


class TwoFactorRequiredMiddleware:
    """After django-otp's ``OTPMiddleware``: send unverified staff to set-up or verification."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            two_factor_required(user)
            and not user.is_verified()  # type: ignore[union-attr]
            # A single sign-on session whose provider proved MFA (only when the council trusts
            # it: cumulus.accounts.oidc) needs no second Cumulus code.
            and not request.session.get("cumulus_provider_mfa", False)
            and not request.path.startswith(_ALWAYS_OPEN)
        ):
            target = "two-factor:verify" if confirmed_device(user) else "two-factor:set-up"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return self.get_response(request)
