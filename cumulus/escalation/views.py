"""Thin views: the child's escalations, raising one, recording outcomes, the manager's list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.audit.pages import child_page, refusals_shown_on, signed_in_user
from cumulus.escalation import selectors, services
from cumulus.escalation.forms import EscalationRaiseForm, StageOutcomeForm
from cumulus.escalation.policies import (
    can_act_on_escalation,
    can_raise_escalation,
    can_see_escalation_lists,
)
from cumulus.escalation.procedure import load_procedure
from cumulus.people.selectors import child_get


@login_required
def child_escalations(request: HttpRequest, child_id: int) -> HttpResponse:
    user = signed_in_user(request)
    child = child_get(viewer=user, child_id=child_id)
    return child_page(
        request,
        child,
        "escalation/child_escalations.html",
        page="escalations",
        escalations=selectors.escalations_for_child(child=child),
        can_raise=can_raise_escalation(user, child),
        procedure=load_procedure(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = signed_in_user(request)
    child = child_get(viewer=user, child_id=child_id)
    if not can_raise_escalation(user, child):
        raise Http404("No child found")
    contacts = list(selectors.decided_contacts_for_child(child=child))
    plans = list(selectors.plans_for_child(child=child))
    form = EscalationRaiseForm(request.POST or None, contacts=contacts, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _, pk = data["decision"].partition(":")
        with refusals_shown_on(form):
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
        if not form.errors:
            messages.success(
                request, "Escalation raised at stage 1. The other party has been told."
            )
            return redirect("escalation:detail", escalation_id=escalation.pk)
    return child_page(
        request,
        child,
        "escalation/escalation_new.html",
        page="escalation-new",
        form=form,
        procedure=load_procedure(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    user = signed_in_user(request)
    escalation = selectors.escalation_get(viewer=user, escalation_id=escalation_id)
    may_act = can_act_on_escalation(user, escalation)
    form = StageOutcomeForm(request.POST or None, initial={"stage": escalation.current_stage})
    if request.method == "POST":
        if not may_act:
            raise Http404("No escalation found")
        if form.is_valid():
            data = form.cleaned_data
            with refusals_shown_on(form):
                services.escalation_stage_outcome_record(
                    actor=user,
                    escalation_id=escalation.pk,
                    stage=data["stage"],
                    outcome=data["outcome"],
                    note=data["note"],
                )
            if not form.errors:
                messages.success(request, "Outcome recorded. The other party has been told.")
                return redirect("escalation:detail", escalation_id=escalation.pk)
    return child_page(
        request,
        escalation.child,
        "escalation/escalation_detail.html",
        page="escalation",
        detail={"escalation": escalation.pk},
        escalation=escalation,
        stages=selectors.escalation_stages(escalation=escalation),
        form=form if may_act and escalation.is_open else None,
        procedure=load_procedure(),
    )


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    """The manager's list: open escalations about children they oversee, overdue first."""
    user = signed_in_user(request)
    if not can_see_escalation_lists(user):
        raise Http404("No such page")
    rows = selectors.open_escalations(viewer=user)
    return render(
        request,
        "escalation/escalation_list.html",
        {"rows": rows, "overdue": sum(r.is_overdue for r in rows)},
    )
