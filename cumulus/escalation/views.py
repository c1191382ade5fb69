"""Thin views: the child's escalations, raising one, recording outcomes, the manager's list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.escalation import selectors, services
from cumulus.escalation.forms import EscalationRaiseForm, StageOutcomeForm
from cumulus.escalation.policies import (
    can_act_on_escalation,
    can_raise_escalation,
    can_see_escalation_lists,
)
from cumulus.escalation.procedure import load_procedure
from cumulus.people.selectors import child_get


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's validation errors on the form's fields (or the form itself)."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def child_escalations(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = child_get(viewer=user, child_id=child_id)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"page": "escalations"},
    )
    return render(
        request,
        "escalation/child_escalations.html",
        {
            "child": child,
            "escalations": selectors.escalations_for_child(child=child),
            "can_raise": can_raise_escalation(user, child),
            "procedure": load_procedure(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = child_get(viewer=user, child_id=child_id)
    if not can_raise_escalation(user, child):
        raise Http404("No child found")
    contacts = list(selectors.decided_contacts_for_child(child=child))
    plans = list(selectors.plans_for_child(child=child))
    form = EscalationRaiseForm(request.POST or None, contacts=contacts, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _, pk = data["decision"].partition(":")
        try:
            escalation = services.escalation_raise(
                actor=user,
                child=child,
                contact=next((c for c in contacts if str(c.pk) == pk), None)
                if kind == "contact"
                else None,
                plan=next((p for p in plans if str(p.pk) == pk), None) if kind == "plan" else None,
                decision_summary=data["decision_summary"],
                disagreement=data["disagreement"],
                desired_outcome=data["desired_outcome"],
            )
        except services.EscalationNotAllowedError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Escalation raised at stage 1. The other party has been told."
            )
            return redirect("escalation:detail", escalation_id=escalation.pk)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"page": "escalation-new"},
    )
    return render(
        request,
        "escalation/escalation_new.html",
        {"child": child, "form": form, "procedure": load_procedure()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    user = _user(request)
    escalation = selectors.escalation_get(viewer=user, escalation_id=escalation_id)
    may_act = can_act_on_escalation(user, escalation)
    form = StageOutcomeForm(request.POST or None, initial={"stage": escalation.current_stage})
    if request.method == "POST":
        if not may_act:
            raise Http404("No escalation found")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.escalation_stage_outcome_record(
                    actor=user,
                    escalation_id=escalation.pk,
                    stage=data["stage"],
                    outcome=data["outcome"],
                    note=data["note"],
                )
            except (
                services.EscalationNotAllowedError,
                services.EscalationClosedError,
                services.EscalationStageError,
            ) as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Outcome recorded. The other party has been told.")
                return redirect("escalation:detail", escalation_id=escalation.pk)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=escalation.child_id,
        detail={"page": "escalation", "escalation": escalation.pk},
    )
    return render(
        request,
        "escalation/escalation_detail.html",
        {
            "escalation": escalation,
            "child": escalation.child,
            "stages": selectors.escalation_stages(escalation=escalation),
            "form": form if may_act and escalation.is_open else None,
            "procedure": load_procedure(),
        },
    )


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    """The manager's list: open escalations about children they oversee, overdue first."""
    user = _user(request)
    if not can_see_escalation_lists(user):
        raise Http404("No such page")
    rows = selectors.open_escalations(viewer=user)
    return render(
        request,
        "escalation/escalation_list.html",
        {"rows": rows, "overdue": sum(r.is_overdue for r in rows)},
    )
