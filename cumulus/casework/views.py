"""Thin views of the journey: parse the form, call one transition, show its refusal if any."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.casework import forms as journey_forms
from cumulus.casework import selectors, services
from cumulus.casework.models import (
    Assessment,
    AssessmentType,
    Contact,
    InitialConference,
    Plan,
    PlanOutcome,
    Referral,
)
from cumulus.casework.services.plans import STEP_DOWN_TO
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.people.models import Child
from cumulus.people.policies import visible_children
from cumulus.people.selectors import child_get


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _visible(user: User, model: type[models.Model], pk: int) -> Any:
    """A row belonging to a child the user may see, else 404 (as for a missing row)."""
    try:
        return model._default_manager.select_related("child__person").get(
            pk=pk, child__in=visible_children(user=user)
        )
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise Http404("Not found") from None


def _run(form: forms.Form, call: Callable[[], object]) -> bool:
    """Call the transition; put its refusal on the form (for the error summary)."""
    try:
        call()
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    except CumulusError as exc:
        form.add_error(None, str(exc))
        return False
    return True


def _action(
    request: HttpRequest,
    *,
    form: forms.Form,
    child: Child,
    title: str,
    submit: str,
    call: Callable[[dict[str, Any]], object],
    done: str,
    back: str,
) -> HttpResponse:
    user = _user(request)
    if request.method == "POST" and form.is_valid() and _run(form, lambda: call(form.cleaned_data)):
        messages.success(request, done)
        return redirect(back)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"journey_action": title},
    )
    return render(
        request,
        "casework/action_form.html",
        {"form": form, "child": child, "title": title, "submit": submit, "back": back},
    )


def _journey_url(child_id: int) -> str:
    from django.urls import reverse

    return reverse("casework:journey", args=[child_id])


def _plan_url(plan_id: int) -> str:
    from django.urls import reverse

    return reverse("casework:plan", args=[plan_id])


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    items = selectors.task_list(viewer=user, today=today)
    return render(
        request,
        "casework/tasks.html",
        {
            "tasks": [(t, t.is_overdue(today)) for t in items],
            "overdue": sum(1 for t in items if t.is_overdue(today)),
            "today": today,
        },
    )


@login_required
def journey(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    waiting = selectors.early_help_waiting(viewer=user).filter(child_id=child_id).first()
    child = waiting.child if waiting is not None else child_get(viewer=user, child_id=child_id)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"page": "journey"},
    )
    return render(
        request,
        "casework/journey.html",
        {
            "child": child,
            "journey": selectors.journey_get(child=child) if waiting is None else None,
            "waiting": waiting,
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def assessment_take_on(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    try:
        assessment = selectors.assessment_get(viewer=user, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404("Not found") from None
    try:
        services.early_help_take_on(actor=user, assessment_id=assessment.pk)
    except CumulusError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "You are now the family's lead practitioner.")
    return redirect("casework:journey", child_id=assessment.child_id)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment: Assessment = _visible(user, Assessment, assessment_id)
    kind = assessment.assessment_type
    form = journey_forms.AssessmentCompleteForm(request.POST or None, assessment_type=kind)

    def call(data: dict[str, Any]) -> object:
        common = {
            "actor": user,
            "assessment_id": assessment.pk,
            "completed_on": data["completed_on"],
            "summary": data["summary"],
            "outcome": data["outcome"],
        }
        if kind == AssessmentType.EARLY_HELP:
            return services.early_help_assessment_complete(**common)
        if kind == AssessmentType.SECTION_47:
            return services.section_47_complete(**common)
        return services.child_and_family_assessment_complete(
            **common, lead_practitioner=data.get("lead_practitioner")
        )

    return _action(
        request,
        form=form,
        child=assessment.child,
        title=f"Complete the {assessment.get_assessment_type_display().lower()}",
        submit="Complete the assessment",
        call=call,
        done="Assessment completed. The referrer has been told.",
        back=_journey_url(assessment.child_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_dsl_review(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = _user(request)
    contact: Contact = _visible(user, Contact, contact_id)
    return _action(
        request,
        form=journey_forms.DslReviewForm(request.POST or None),
        child=contact.child,
        title="Review the concern",
        submit="Save the review",
        call=lambda d: services.concern_dsl_review(
            actor=user, contact_id=contact.pk, note=d["note"]
        ),
        done="Review saved. The front door will see it beside the concern.",
        back=_journey_url(contact.child_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_discussion(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = _user(request)
    referral: Referral = _visible(user, Referral, referral_id)
    return _action(
        request,
        form=journey_forms.StrategyDiscussionForm(request.POST or None),
        child=referral.child,
        title="Record a strategy discussion",
        submit="Record the strategy discussion",
        call=lambda d: services.strategy_discussion_record(
            actor=user, referral_id=referral.pk, held_on=d["held_on"], rationale=d["rationale"]
        ),
        done="Strategy discussion recorded; the s47 enquiry has started.",
        back=_journey_url(referral.child_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_close(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = _user(request)
    referral: Referral = _visible(user, Referral, referral_id)
    return _action(
        request,
        form=journey_forms.CloseForm(request.POST or None),
        child=referral.child,
        title="Close the child in need episode",
        submit="Close the episode",
        call=lambda d: services.referral_close_now(
            actor=user,
            referral_id=referral.pk,
            closed_on=d["closed_on"],
            reason_code=d["reason_code"],
        ),
        done="Episode closed.",
        back=_journey_url(referral.child_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def looked_after(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = _user(request)
    referral: Referral = _visible(user, Referral, referral_id)
    return _action(
        request,
        form=journey_forms.LookedAfterForm(request.POST or None),
        child=referral.child,
        title="The child becomes looked after",
        submit="Record the start",
        call=lambda d: services.looked_after_start(
            actor=user, referral_id=referral.pk, started_on=d["started_on"], reason=d["reason"]
        ),
        done="Looked-after episode started.",
        back=_journey_url(referral.child_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = child_get(viewer=user, child_id=child_id)
    return _action(
        request,
        form=journey_forms.AllocateForm(request.POST or None),
        child=child,
        title="Allocate a social worker",
        submit="Allocate",
        call=lambda d: services.social_worker_allocate(
            actor=user, child_id=child.pk, social_worker=d["social_worker"]
        ),
        done="Social worker allocated.",
        back=_journey_url(child.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = _user(request)
    held: InitialConference = _visible(user, InitialConference, conference_id)
    return _action(
        request,
        form=journey_forms.ConferenceForm(request.POST or None),
        child=held.child,
        title="Record the initial child protection conference",
        submit="Record the decision",
        call=lambda d: services.initial_conference_record(
            actor=user,
            conference_id=held.pk,
            held_on=d["held_on"],
            decision=d["decision"],
            category=d.get("category", ""),
            summary=d.get("summary", ""),
        ),
        done="Conference decision recorded. The referrer has been told.",
        back=_journey_url(held.child_id),
    )


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    try:
        found = selectors.plan_get(viewer=user, plan_id=plan_id)
    except Plan.DoesNotExist:
        raise Http404("No plan found") from None
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=found.child_id,
        detail={"plan": found.pk},
    )
    today = clock.today()
    return render(
        request,
        "casework/plan.html",
        {
            "plan": found,
            "child": found.child,
            "outcomes": found.outcomes.all(),
            "statements": found.statements.all(),
            "measures": found.measures.all(),
            "team": found.team.select_related("agency", "practitioner"),
            "reviews": found.reviews.order_by("-held_on", "-pk"),
            "can_step_down": bool(STEP_DOWN_TO.get(found.plan_type)) and found.is_open,
            "today": today,
            "review_overdue": found.review_due_on is not None and found.review_due_on < today,
        },
    )


def _open_plan(user: User, plan_id: int) -> Plan:
    found: Plan = _visible(user, Plan, plan_id)
    return found


def _plan_action(
    request: HttpRequest,
    plan_id: int,
    form: forms.Form,
    title: str,
    submit: str,
    call: Callable[[Plan, dict[str, Any]], object],
    done: str,
    back_to_journey: bool = False,
) -> HttpResponse:
    user = _user(request)
    found = _open_plan(user, plan_id)
    return _action(
        request,
        form=form,
        child=found.child,
        title=title,
        submit=submit,
        call=lambda d: call(found, d),
        done=done,
        back=_journey_url(found.child_id) if back_to_journey else _plan_url(found.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.OutcomeForm(request.POST or None),
        "Add an outcome to the plan",
        "Add the outcome",
        lambda p, d: services.plan_outcome_add(actor=user, plan_id=p.pk, **d),
        "Outcome added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_update(request: HttpRequest, outcome_id: int) -> HttpResponse:
    user = _user(request)
    try:
        outcome = PlanOutcome.objects.select_related("plan").get(
            pk=outcome_id, plan__child__in=visible_children(user=user)
        )
    except PlanOutcome.DoesNotExist:
        raise Http404("Not found") from None
    form = journey_forms.OutcomeUpdateForm(
        request.POST or None, initial={"status": outcome.status, "progress": outcome.progress}
    )
    return _plan_action(
        request,
        outcome.plan_id,
        form,
        f"Progress: {outcome.what[:60]}",
        "Save progress",
        lambda p, d: services.plan_outcome_update(actor=user, outcome_id=outcome.pk, **d),
        "Progress saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.StatementForm(request.POST or None),
        "Add a danger statement or safety goal",
        "Add the statement",
        lambda p, d: services.plan_statement_add(actor=user, plan_id=p.pk, **d),
        "Statement added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.MeasureForm(request.POST or None),
        "Link an assessment result",
        "Link the result",
        lambda p, d: services.plan_measure_link(actor=user, plan_id=p.pk, **d),
        "Result linked.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.TeamMemberForm(request.POST or None),
        "Add someone to the team around the family",
        "Add to the team",
        lambda p, d: services.team_member_add(
            actor=user,
            plan_id=p.pk,
            agency=d["practitioner"].agency,
            practitioner=d["practitioner"],
            role=d["role"],
        ),
        "Added to the team.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.ReviewForm(request.POST or None),
        "Review the plan",
        "Record the review",
        lambda p, d: services.plan_review_record(actor=user, plan_id=p.pk, **d),
        "Review recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_down(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.StepDownForm(request.POST or None),
        "Step down",
        "Step down",
        lambda p, d: services.plan_step_down(
            actor=user,
            plan_id=p.pk,
            to=d["to"],
            on=d["on"],
            reason=d["reason"],
            closure_reason=d.get("closure_reason") or "RC7",
            lead_practitioner=d.get("lead_practitioner"),
        ),
        "Stepped down. The referrer has been told.",
        back_to_journey=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    return _plan_action(
        request,
        plan_id,
        journey_forms.StepUpForm(request.POST or None),
        "Ask children's social care to step in",
        "Send to the front door",
        lambda p, d: services.early_help_step_up(actor=user, plan_id=p.pk, reason=d["reason"]),
        "Step-up sent to the front door. You will be told the decision.",
    )
