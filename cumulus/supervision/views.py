"""Thin views: a child's supervision record, recording one, and the manager's oversight page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import Agency
from cumulus.audit.pages import child_page, refusals_shown_on, signed_in_user
from cumulus.casework.models import PlanType
from cumulus.core import clock
from cumulus.escalation.selectors import open_escalations
from cumulus.people.selectors import child_get, child_involvements
from cumulus.supervision import selectors, services
from cumulus.supervision.forms import SupervisionForm
from cumulus.supervision.models import SupervisionAction
from cumulus.supervision.policies import can_see_oversight_list
from cumulus.supervision.standards import standard_days


@login_required
def child_supervision(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_get(viewer=signed_in_user(request), child_id=child_id)
    return child_page(
        request,
        child,
        "supervision/child_supervision.html",
        page="supervision",
        records=selectors.supervision_for_child(child=child),
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervision_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = signed_in_user(request)
    child = child_get(viewer=user, child_id=child_id)
    involved = {
        inv.agency_id: inv.agency
        for inv in child_involvements(child=child)
        if inv.agency_id != user.agency_id
    }
    form = SupervisionForm(request.POST or None, agencies=involved.values())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_shown_on(form):
            services.supervision_record(
                actor=user,
                child=child,
                kind=data["kind"],
                held_on=data["held_on"],
                attendees=data["attendees"],
                discussion=data["discussion"],
                decisions=data["decisions"],
                agencies=list(Agency.objects.filter(pk__in=data["agencies"])),
                actions=form.actions(),
            )
        if not form.errors:
            messages.success(request, "Supervision recorded.")
            return redirect("supervision:child", child_id=child.pk)
    return child_page(
        request, child, "supervision/supervision_new.html", page="supervision-new", form=form
    )


@login_required
@require_http_methods(["POST"])
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark a supervision action done today."""
    user = signed_in_user(request)
    try:
        action = SupervisionAction.objects.select_related("record").get(pk=action_id)
    except SupervisionAction.DoesNotExist:
        raise Http404("No action found") from None
    child = child_get(viewer=user, child_id=action.record.child_id)
    try:
        services.supervision_action_complete(actor=user, action_id=action.pk, done_on=clock.today())
    except (services.SupervisionNotAllowedError, ValidationError) as exc:
        error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        records = selectors.supervision_for_child(child=child)
        context = {"child": child, "records": records, "action_error": error}
        return render(request, "supervision/child_supervision.html", context, status=400)
    messages.success(request, "Action marked as done.")
    return redirect("supervision:child", child_id=child.pk)


@login_required
def oversight(request: HttpRequest) -> HttpResponse:
    """The manager's page: cases past the oversight standard, and overdue escalations."""
    user = signed_in_user(request)
    if not can_see_oversight_list(user):
        raise Http404("No such page")
    return render(
        request,
        "supervision/oversight.html",
        {
            "cases": selectors.cases_without_oversight(viewer=user),
            "standard": [
                (PlanType(t).label.lower() if t in PlanType.values else t, days)
                for t, days in sorted(standard_days().items(), key=lambda item: item[1])
            ],
            "overdue_escalations": open_escalations(viewer=user, overdue_only=True),
        },
    )
