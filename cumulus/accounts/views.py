"""Account pages: two-factor set-up and verification, changing your password, your own
sessions (see them, end one or all the others), and an administrator ending someone's
sessions."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.accounts.models import User, UserSession
from cumulus.accounts.policies import can_end_sessions
from cumulus.accounts.selectors import user_sessions_listed
from cumulus.accounts.services import (
    UserSessionNotFoundError,
    sessions_end,
    user_session_end,
    user_sessions_end,
)
from cumulus.accounts.sessions import key_hash
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
        with transaction.atomic():
            form.save()
            update_session_auth_hash(request, user)  # a new key for this session
            user_sessions_end(user=user, keep_session_key=request.session.session_key)
        messages.success(request, "Your password has been changed.")
        return redirect("web:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _is(session: UserSession, current_key: str | None) -> bool:
    return bool(current_key) and session.key_hash == key_hash(current_key or "")


def _base_template(user: User) -> str:
    """A family member's pages keep their own layout, without the practitioners' menu."""
    return "family/base.html" if hasattr(user, "family_account") else "web/base.html"


@login_required
def own_sessions(request: HttpRequest) -> HttpResponse:
    """Where you are signed in: each session's start, last activity, address and browser."""
    user = request.user
    assert isinstance(user, User)
    sessions = user_sessions_listed(user=user, current_session_key=request.session.session_key)
    return render(
        request,
        "accounts/own_sessions.html",
        {
            "base_template": _base_template(user),
            "sessions": sessions,
            "others": sum(not s.is_current for s in sessions),
        },
    )


@login_required
@require_POST
def own_session_end(request: HttpRequest, user_session_id: int) -> HttpResponse:
    """End one of your own sessions; another person's answers 404 (and is logged as such)."""
    user = request.user
    assert isinstance(user, User)
    current = request.session.session_key
    try:
        with transaction.atomic():
            ended = user_session_end(user=user, user_session_id=user_session_id)
            access_log_record(
                actor=user,
                request=request,
                action=AccessAction.END_OWN_SESSIONS,
                detail={"session": ended.pk, "ended": 1, "this_session": _is(ended, current)},
            )
    except UserSessionNotFoundError:
        raise Http404("No such session") from None
    if _is(ended, current):
        logout(request)
        return redirect("web:sign-in")
    messages.success(request, "That session has been ended: it is signed out.")
    return redirect("account:own-sessions")


@login_required
@require_POST
def own_sessions_end_others(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere else: every session of yours but this one ends."""
    user = request.user
    assert isinstance(user, User)
    with transaction.atomic():
        ended = user_sessions_end(user=user, keep_session_key=request.session.session_key)
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.END_OWN_SESSIONS,
            detail={"session": "all others", "ended": ended, "this_session": False},
        )
    messages.success(
        request, f"Signed out everywhere else: {ended} other session{pluralize(ended)} ended."
    )
    return redirect("account:own-sessions")
