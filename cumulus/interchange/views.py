"""Import report pages: batches, counts, warnings, quarantined records and their fixes."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.core.errors import CumulusError
from cumulus.interchange import selectors
from cumulus.interchange.models import BatchStatus
from cumulus.interchange.policies import can_fix_quarantined_records
from cumulus.interchange.services import quarantined_record_resubmit


class FixForm(forms.Form):
    payload = forms.CharField(
        label="Corrected record",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 18, "spellcheck": "false"}),
        max_length=1_000_000,
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = selectors.batch_list(viewer=_user(request))
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "interchange/batch_list.html", {"page": page})


@login_required
def batch_detail(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
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
    user = _user(request)
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
