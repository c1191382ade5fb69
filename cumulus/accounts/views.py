"""Account pages: two-factor set-up and verification, changing your password, and an
administrator ending someone's sessions."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.accounts.policies import can_end_sessions
from cumulus.accounts.services import sessions_end
from cumulus.accounts.two_factor import (
    confirmed_device,
    device_confirm,
    pending_device,
    session_verify,
)
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record


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


class EndSessionsForm(forms.Form):
    username = forms.CharField(label="Username of the person to sign out", max_length=150)
    reason = forms.CharField(
        label="Why",
        help_text="For example: has left the agency; laptop lost; account may be compromised.",
        max_length=500,
    )

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError("No user has that username")
        return user


@login_required
@require_http_methods(["GET", "POST"])
def end_sessions(request: HttpRequest) -> HttpResponse:
    """An administrator signs someone out of every session; the action is logged."""
    actor = request.user
    assert isinstance(actor, User)
    if not can_end_sessions(actor):
        raise Http404("No such page")
    form = EndSessionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["username"]
        try:
            with transaction.atomic():
                sessions_end(actor=actor, user=target, reason=form.cleaned_data["reason"])
                access_log_record(
                    actor=actor,
                    request=request,
                    action=AccessAction.END_SESSIONS,
                    detail={"user": target.username, "reason": form.cleaned_data["reason"]},
                )
        except ValidationError as exc:
            form.add_error("reason", exc.messages)
        else:
            messages.success(request, f"Every session of {target.username} has been ended.")
            return redirect("account:end-sessions")
    return render(request, "accounts/end_sessions.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change your own password: the current one first; the new one passes every validator."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    form.fields["new_password1"].help_text = "At least 12 characters, not a common password."
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)  # keep this session, end the others
        messages.success(request, "Your password has been changed.")
        return redirect("web:home")
    return render(request, "accounts/password_change.html", {"form": form})
