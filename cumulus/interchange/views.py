"""Import report pages: batches, counts, warnings, quarantined records and their fixes; and
the agencies' API tokens for the feed API (issue, list, revoke)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import Agency
from cumulus.audit.models import AccessAction
from cumulus.audit.pages import signed_in_user
from cumulus.audit.services import access_log_record
from cumulus.core.errors import CumulusError
from cumulus.interchange import selectors
from cumulus.interchange.models import AgencyToken, BatchStatus
from cumulus.interchange.policies import can_fix_quarantined_records, can_manage_agency_tokens
from cumulus.interchange.services import (
    TokenError,
    agency_token_create,
    agency_token_revoke,
    quarantined_record_resubmit,
)


class FixForm(forms.Form):
    payload = forms.CharField(
        label="Corrected record",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 18, "spellcheck": "false"}),
        max_length=1_000_000,
    )


class TokenIssueForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        empty_label="Choose the agency",
        error_messages={"required": "Choose the agency the token is for"},
    )
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        error_messages={"required": "Say what the token is for"},
    )


class TokenRevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why revoke it",
        max_length=300,
        error_messages={"required": "Say why the token is being revoked"},
    )


def _token_logged(request: HttpRequest, token: AgencyToken, what: str) -> None:
    """Issuing or revoking a token is in the access log, with its prefix and agency."""
    access_log_record(
        actor=signed_in_user(request),
        request=request,
        action=AccessAction.AGENCY_TOKEN,
        detail={what: token.prefix, "agency": token.agency.code},
    )


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = selectors.batch_list(viewer=signed_in_user(request))
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "interchange/batch_list.html",
        {"page": page, "can_manage_tokens": can_manage_agency_tokens(signed_in_user(request))},
    )


@login_required
def batch_detail(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    batch = selectors.batch_get(viewer=user, batch_id=batch_id)
    quarantined = Paginator(selectors.quarantined_for_batch(viewer=user, batch=batch), 50)
    warnings = selectors.warnings_for_batch(viewer=user, batch=batch)[:200]
    return render(
        request,
        "interchange/batch_detail.html",
        {
            "batch": batch,
            "rejected": batch.status == BatchStatus.REJECTED,
            "quarantined": quarantined.get_page(request.GET.get("page")),
            "warnings": warnings,
            "can_fix": can_fix_quarantined_records(user),
            "counts_add_up": batch.records_read
            == batch.records_accepted + batch.records_quarantined,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quarantined_record_fix(request: HttpRequest, record_id: int) -> HttpResponse:
    user = signed_in_user(request)
    record = selectors.quarantined_record_get(viewer=user, record_id=record_id)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        detail={"quarantined_record": record.pk, "record_key": record.record_key},
    )
    form = FixForm(request.POST or None, initial={"payload": record.payload})
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = quarantined_record_resubmit(
                actor=user, record=record, payload=form.cleaned_data["payload"]
            )
        except CumulusError as exc:
            form.add_error("payload", str(exc))
        else:
            batch = result.batch
            if batch.status == BatchStatus.COMPLETE and batch.records_quarantined == 0:
                messages.success(request, "The corrected record was accepted.")
                return redirect("interchange:batch-detail", batch_id=batch.pk)
            form.add_error(
                "payload",
                batch.rejection_reason
                or "The corrected record still breaks a rule: see the reasons below.",
            )
    return render(
        request,
        "interchange/quarantined_record_fix.html",
        {"record": record, "form": form, "result": result},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_tokens(request: HttpRequest) -> HttpResponse:
    """Tokens, and a form to issue one. A new secret is shown once, on this response only: it
    is not put in the session or a message, and only its hash is stored."""
    user = signed_in_user(request)
    tokens = selectors.agency_token_list(viewer=user)
    form = TokenIssueForm(request.POST or None)
    issued = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            issued, secret = agency_token_create(
                actor=user, agency=form.cleaned_data["agency"], name=form.cleaned_data["name"]
            )
        except TokenError as exc:
            form.add_error("name", str(exc))
        else:
            _token_logged(request, issued, "issued")
            form = TokenIssueForm()
    return render(
        request,
        "interchange/agency_tokens.html",
        {"tokens": tokens, "form": form, "issued": issued, "secret": secret},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_token_revoke_page(request: HttpRequest, agency_token_id: int) -> HttpResponse:
    user = signed_in_user(request)
    token = selectors.agency_token_get(viewer=user, token_id=agency_token_id)
    form = TokenRevokeForm(request.POST or None)
    if request.method == "POST" and token.revoked_at is None and form.is_valid():
        try:
            agency_token_revoke(actor=user, token=token, reason=form.cleaned_data["reason"])
        except TokenError as exc:
            form.add_error("reason", str(exc))
        else:
            _token_logged(request, token, "revoked")
            messages.success(request, f"Token {token.prefix} is revoked from its next request.")
            return redirect("interchange:agency-tokens")
    return render(request, "interchange/agency_token_revoke.html", {"token": token, "form": form})
