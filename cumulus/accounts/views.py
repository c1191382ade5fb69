"""Two-factor pages: set up an authenticator app, and prove a code at each sign-in."""

from __future__ import annotations

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from cumulus.accounts.two_factor import (
    confirmed_device,
    device_confirm,
    pending_device,
    session_verify,
)


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now.",
        error_messages={"invalid": "Enter the 6-digit code from your authenticator app"},
        max_length=12,
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user):
        return redirect("two-factor:verify")
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device_confirm(request=request, device=device, token=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", "That code is not right. Check the time on your phone and try again")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Authenticator QR code")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/two_factor_set_up.html",
        {"form": form, "qr_svg": qr, "secret": secret, "next": _next(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is None:
        return redirect("two-factor:set-up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if session_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code", "That code is not right, or too many wrong codes: wait and try again"
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )
