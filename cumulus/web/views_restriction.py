"""Restricting a child's whole record, and lifting a restriction: thin views over
``people.services``; every change is written to the access log in the same transaction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.audit.models import AccessAction
from cumulus.audit.pages import child_page, refusals_shown_on, signed_in_user
from cumulus.audit.services import access_log_record
from cumulus.people import selectors as people
from cumulus.people import services as people_services
from cumulus.people.models import Child
from cumulus.people.policies import can_manage_restriction, restrictions_in_force
from cumulus.web.forms import RecordRestrictionForm, RestrictionLiftForm


def _managed_child(request: HttpRequest, child_id: int) -> Child:
    user = signed_in_user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    if not can_manage_restriction(user, child):
        raise Http404("No child found")
    return child


def _page(
    request: HttpRequest,
    child: Child,
    *,
    form: RecordRestrictionForm | None = None,
    lift_form: RestrictionLiftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = people.child_restrictions(child=child)
    in_force = next((r for r in history if r.in_force), None)
    return child_page(
        request,
        child,
        "web/child_restriction.html",
        page="restriction",
        status=status,
        in_force=in_force,
        history=history,
        form=form or RecordRestrictionForm(),
        lift_form=lift_form or RestrictionLiftForm(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_restriction(request: HttpRequest, child_id: int) -> HttpResponse:
    """See a child's restrictions, and restrict the record (managers who may see it)."""
    child = _managed_child(request, child_id)
    if request.method == "GET":
        return _page(request, child)
    user = signed_in_user(request)
    form = RecordRestrictionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_shown_on(form), transaction.atomic():
            restriction = people_services.record_restriction_set(
                actor=user,
                child=child,
                reason=data["reason"],
                explanation=data["explanation"],
                contact=data["contact"],
                allowed_roles=data["allowed_roles"],
                allowed_users=data["allowed_usernames"],
            )
            access_log_record(
                actor=user,
                request=request,
                action=AccessAction.RESTRICTION,
                child_id=child.pk,
                detail={
                    "step": "set",
                    "restriction": restriction.pk,
                    "reason": restriction.reason,
                    "roles": sorted(data["allowed_roles"]),
                    "users": sorted({u.username for u in data["allowed_usernames"]}),
                },
            )
        if not form.errors:
            messages.success(request, "The record is now restricted.")
            return redirect("web:record-restriction", child_id=child.pk)
    return _page(request, child, form=form, status=400)


@login_required
@require_POST
def record_restriction_lift(request: HttpRequest, child_id: int) -> HttpResponse:
    """Lift the restriction in force, with a reason (managers it allows)."""
    child = _managed_child(request, child_id)
    user = signed_in_user(request)
    restriction = restrictions_in_force().filter(child_id=child.pk).first()
    if restriction is None:
        raise Http404("No restriction in force")
    lift_form = RestrictionLiftForm(request.POST)
    if lift_form.is_valid():
        with refusals_shown_on(lift_form), transaction.atomic():
            people_services.record_restriction_lift(
                actor=user, restriction=restriction, reason=lift_form.cleaned_data["lift_reason"]
            )
            access_log_record(
                actor=user,
                request=request,
                action=AccessAction.RESTRICTION,
                child_id=child.pk,
                detail={
                    "step": "lift",
                    "restriction": restriction.pk,
                    "reason": lift_form.cleaned_data["lift_reason"],
                },
            )
        if not lift_form.errors:
            messages.success(request, "The restriction has been lifted.")
            return redirect("web:record-restriction", child_id=child.pk)
    return _page(request, child, lift_form=lift_form, status=400)
