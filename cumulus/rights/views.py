"""The records team's pages for the child's rights, on top of ``cumulus.rights.services``.

Only partnership administrators (the records and data protection team) reach them; everyone
else gets the same 404 as a missing page. The team handles requests for any child by design
(the request, not an involvement, is the reason to look), so every step is in the access log
with the child's id, and a package is released only after a second person has approved it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.people.models import Child
from cumulus.people.selectors import child_restriction_check
from cumulus.rights import services
from cumulus.rights.forms import (
    EraseForm,
    RecordRequestForm,
    RecordRequestUpdateForm,
    SubjectAccessForm,
)
from cumulus.rights.models import RecordRequest, SubjectAccessRequest, SubjectAccessStatus
from cumulus.rights.policies import can_handle_rights_requests
from cumulus.rights.selectors import retention_review_list


def _team_member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_handle_rights_requests(user):
        raise Http404("No such page")
    return user


def _log(request: HttpRequest, user: User, child_id: int, step: str, **more: object) -> None:
    action = AccessAction.EXPORT if step == "download" else AccessAction.RIGHTS
    access_log_record(
        actor=user,
        request=request,
        action=action,
        child_id=child_id,
        detail={"step": step, **more},
    )


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _sar(sar_id: int, user: User) -> SubjectAccessRequest:
    """The request, if it exists; a restricted record's package only for those allowed."""
    found = SubjectAccessRequest.objects.select_related("prepared_by", "approved_by").filter(
        pk=sar_id
    )
    sar = found.first()
    if sar is None:
        raise Http404("No such request")
    child_restriction_check(viewer=user, child_id=sar.child_id)
    return sar


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _team_member(request)
    return render(
        request,
        "rights/home.html",
        {
            "sars": SubjectAccessRequest.objects.select_related("prepared_by")[:100],
            "record_requests": RecordRequest.objects.all()[:100],
            "due": len(retention_review_list()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sar_new(request: HttpRequest) -> HttpResponse:
    user = _team_member(request)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["child"]
        try:
            with transaction.atomic():
                sar = services.subject_access_prepare(
                    actor=user,
                    child=child,
                    requester=form.cleaned_data["requester"],
                    received_on=form.cleaned_data["received_on"],
                )
                _log(request, user, child.pk, "prepare", request_id=sar.pk)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except services.RightsRequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Package prepared. A different person must now review it.")
            return redirect("rights:sar-detail", sar_id=sar.pk)
    return render(request, "rights/sar_new.html", {"form": form})


@login_required
def sar_detail(request: HttpRequest, sar_id: int) -> HttpResponse:
    user = _team_member(request)
    sar = _sar(sar_id, user)
    _log(request, user, sar.child_id, "review", request_id=sar.pk)
    return render(
        request,
        "rights/sar_detail.html",
        {
            "sar": sar,
            "p": sar.package,
            "can_approve": sar.status == SubjectAccessStatus.PREPARED
            and sar.prepared_by_id != user.pk,
            "prepared_by_you": sar.prepared_by_id == user.pk,
        },
    )


@login_required
@require_POST
def sar_approve(request: HttpRequest, sar_id: int) -> HttpResponse:
    user = _team_member(request)
    sar = _sar(sar_id, user)
    try:
        with transaction.atomic():
            services.subject_access_approve(actor=user, request=sar)
            _log(request, user, sar.child_id, "approve", request_id=sar.pk)
    except services.RightsRequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Approved. The package can now be released.")
    return redirect("rights:sar-detail", sar_id=sar.pk)


@login_required
@require_POST
def sar_release(request: HttpRequest, sar_id: int) -> HttpResponse:
    user = _team_member(request)
    sar = _sar(sar_id, user)
    try:
        with transaction.atomic():
            services.subject_access_mark_released(actor=user, request=sar)
            _log(request, user, sar.child_id, "release", request_id=sar.pk)
    except services.RightsRequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Released. Download the PDF for the person and the JSON file.")
    return redirect("rights:sar-detail", sar_id=sar.pk)


def _download(request: HttpRequest, sar_id: int, *, pdf: bool) -> HttpResponse:
    user = _team_member(request)
    sar = _sar(sar_id, user)
    if sar.status != SubjectAccessStatus.RELEASED:
        raise Http404("Not released")
    fmt = "pdf" if pdf else "json"
    body = services.subject_access_document(actor=user, request=sar, fmt=fmt)
    _log(request, user, sar.child_id, "download", request_id=sar.pk, fmt=fmt)
    response = HttpResponse(
        body,
        content_type="application/pdf" if pdf else "application/json",
    )
    name = f"subject-access-{sar.pk}.{'pdf' if pdf else 'json'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def sar_json(request: HttpRequest, sar_id: int) -> HttpResponse:
    return _download(request, sar_id, pdf=False)


@login_required
def sar_pdf(request: HttpRequest, sar_id: int) -> HttpResponse:
    return _download(request, sar_id, pdf=True)


@login_required
@require_http_methods(["GET", "POST"])
def record_request_new(request: HttpRequest) -> HttpResponse:
    user = _team_member(request)
    form = RecordRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["child"]
        try:
            with transaction.atomic():
                record_request = services.record_request_open(
                    actor=user,
                    child=child,
                    kind=form.cleaned_data["kind"],
                    requester=form.cleaned_data["requester"],
                    what=form.cleaned_data["what"],
                )
                _log(request, user, child.pk, "record request", request_id=record_request.pk)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except services.RightsRequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Request recorded.")
            return redirect("rights:record-request-detail", record_request_id=record_request.pk)
    return render(request, "rights/record_request_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def record_request_detail(request: HttpRequest, record_request_id: int) -> HttpResponse:
    user = _team_member(request)
    record_request = RecordRequest.objects.filter(pk=record_request_id).first()
    if record_request is None:
        raise Http404("No such request")
    form = RecordRequestUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.record_request_update(
                    actor=user, request=record_request, **form.cleaned_data
                )
                _log(
                    request,
                    user,
                    record_request.child_id,
                    "record request update",
                    request_id=record_request.pk,
                    status=form.cleaned_data["status"],
                )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except services.RightsRequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Step recorded.")
            return redirect("rights:record-request-detail", record_request_id=record_request.pk)
    else:
        _log(request, user, record_request.child_id, "record request view")
    return render(
        request,
        "rights/record_request_detail.html",
        {
            "record_request": record_request,
            "updates": record_request.updates.select_related("by"),
            "form": form,
        },
    )


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    _team_member(request)
    return render(request, "rights/retention.html", {"due": retention_review_list()})


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, child_id: int) -> HttpResponse:
    """Erase one record due under a retention rule; a record not yet due is not found here."""
    user = _team_member(request)
    due = {d.child_id: d for d in retention_review_list()}.get(child_id)
    if due is None:
        raise Http404("No record due")
    child = Child.objects.get(pk=child_id)
    child_restriction_check(viewer=user, child_id=child.pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.child_erase(actor=user, child=child, reason=form.cleaned_data["reason"])
                _log(request, user, child.pk, "erase", rule=due.rule.name)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except services.RightsRequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Erased. A tombstone keeps the record in past counts.")
            return redirect("rights:retention")
    return render(request, "rights/erase.html", {"form": form, "due": due})
