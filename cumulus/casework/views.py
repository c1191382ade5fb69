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
    Review,
)
from cumulus.casework.services.plans import STEP_DOWN_TO
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.instruments.selectors import instrument_comparisons
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
    extra: dict[str, Any] | None = None,
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
        {
            "form": form,
            "child": child,
            "title": title,
            "submit": submit,
            "back": back,
            **(extra or {}),
        },
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


def _step_view(
    model: type[models.Model],
    form_class: type[forms.Form],
    *,
    title: str,
    submit: str,
    done: str,
    call: Callable[[User, Any, dict[str, Any]], object],
) -> Callable[..., HttpResponse]:
    """A journey step on one record (a contact, referral, conference): find the record among
    the children the user may see (else 404), show the form, run ``call(user, record, data)``
    and go back to the journey. Each step below is one line of what differs."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, **kwargs: int) -> HttpResponse:
        user = _user(request)
        (record_id,) = kwargs.values()
        record = _visible(user, model, record_id)
        return _action(
            request,
            form=form_class(request.POST or None),
            child=record.child,
            title=title,
            submit=submit,
            call=lambda data: call(user, record, data),
            done=done,
            back=_journey_url(record.child_id),
        )

    return view


contact_dsl_review = _step_view(
    Contact,
    journey_forms.DslReviewForm,
    title="Review the concern",
    submit="Save the review",
    done="Review saved. The front door will see it beside the concern.",
    call=lambda user, contact, d: services.concern_dsl_review(
        actor=user, contact_id=contact.pk, note=d["note"]
    ),
)
strategy_discussion = _step_view(
    Referral,
    journey_forms.StrategyDiscussionForm,
    title="Record a strategy discussion",
    submit="Record the strategy discussion",
    done="Strategy discussion recorded; the s47 enquiry has started.",
    call=lambda user, referral, d: services.strategy_discussion_record(
        actor=user, referral_id=referral.pk, held_on=d["held_on"], rationale=d["rationale"]
    ),
)
referral_close = _step_view(
    Referral,
    journey_forms.CloseForm,
    title="Close the child in need episode",
    submit="Close the episode",
    done="Episode closed.",
    call=lambda user, referral, d: services.referral_close_now(
        actor=user, referral_id=referral.pk, closed_on=d["closed_on"], reason_code=d["reason_code"]
    ),
)
looked_after = _step_view(
    Referral,
    journey_forms.LookedAfterForm,
    title="The child becomes looked after",
    submit="Record the start",
    done="Looked-after episode started.",
    call=lambda user, referral, d: services.looked_after_start(
        actor=user, referral_id=referral.pk, started_on=d["started_on"], reason=d["reason"]
    ),
)
conference = _step_view(
    InitialConference,
    journey_forms.ConferenceForm,
    title="Record the initial child protection conference",
    submit="Record the decision",
    done="Conference decision recorded. The referrer has been told.",
    call=lambda user, held, d: services.initial_conference_record(
        actor=user,
        conference_id=held.pk,
        held_on=d["held_on"],
        decision=d["decision"],
        category=d.get("category", ""),
        summary=d.get("summary", ""),
    ),
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
            "changes": selectors.plan_changes(plan=found),
            "comparisons": instrument_comparisons(viewer=user, child=found.child),
            "can_step_down": bool(STEP_DOWN_TO.get(found.plan_type)) and found.is_open,
            "today": today,
            "review_overdue": found.review_due_on is not None and found.review_due_on < today,
        },
    )


@login_required
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    """One review, with the change the assessments showed as the evidence stood that day."""
    user = _user(request)
    try:
        found = selectors.review_get(viewer=user, review_id=review_id)
    except Review.DoesNotExist:
        raise Http404("No review found") from None
    child = found.plan.child
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"plan": found.plan_id, "review": found.pk},
    )
    return render(
        request,
        "casework/review.html",
        {
            "review": found,
            "plan": found.plan,
            "child": child,
            "comparisons": instrument_comparisons(viewer=user, child=child, up_to=found.held_on),
            "comparisons_up_to": found.held_on,
        },
    )


def _plan_step_view(
    form_class: type[forms.Form],
    *,
    title: str,
    submit: str,
    done: str,
    call: Callable[[User, Plan, dict[str, Any]], object],
    back_to_journey: bool = False,
    show_comparisons: bool = False,
) -> Callable[..., HttpResponse]:
    """A change to one plan: the plan must belong to a child the user may see (else 404); the
    form's refusal is shown on it; success goes back to the plan (or the journey)."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, plan_id: int) -> HttpResponse:
        user = _user(request)
        found: Plan = _visible(user, Plan, plan_id)
        extra = (
            {"comparisons": instrument_comparisons(viewer=user, child=found.child)}
            if show_comparisons
            else None
        )
        return _action(
            request,
            form=form_class(request.POST or None),
            child=found.child,
            title=title,
            submit=submit,
            call=lambda data: call(user, found, data),
            done=done,
            back=_journey_url(found.child_id) if back_to_journey else _plan_url(found.pk),
            extra=extra,
        )

    return view


outcome_new = _plan_step_view(
    journey_forms.OutcomeForm,
    title="Add an outcome to the plan",
    submit="Add the outcome",
    done="Outcome added.",
    call=lambda user, p, d: services.plan_outcome_add(actor=user, plan_id=p.pk, **d),
)
statement_new = _plan_step_view(
    journey_forms.StatementForm,
    title="Add a danger statement or safety goal",
    submit="Add the statement",
    done="Statement added.",
    call=lambda user, p, d: services.plan_statement_add(actor=user, plan_id=p.pk, **d),
)
measure_new = _plan_step_view(
    journey_forms.MeasureForm,
    title="Link an assessment result",
    submit="Link the result",
    done="Result linked.",
    call=lambda user, p, d: services.plan_measure_link(actor=user, plan_id=p.pk, **d),
)
team_new = _plan_step_view(
    journey_forms.TeamMemberForm,
    title="Add someone to the team around the family",
    submit="Add to the team",
    done="Added to the team.",
    call=lambda user, p, d: services.team_member_add(
        actor=user,
        plan_id=p.pk,
        agency=d["practitioner"].agency,
        practitioner=d["practitioner"],
        role=d["role"],
    ),
)
review_new = _plan_step_view(
    journey_forms.ReviewForm,
    title="Review the plan",
    submit="Record the review",
    done="Review recorded.",
    call=lambda user, p, d: services.plan_review_record(actor=user, plan_id=p.pk, **d),
    show_comparisons=True,
)
step_down = _plan_step_view(
    journey_forms.StepDownForm,
    title="Step down",
    submit="Step down",
    done="Stepped down. The referrer has been told.",
    call=lambda user, p, d: services.plan_step_down(
        actor=user,
        plan_id=p.pk,
        to=d["to"],
        on=d["on"],
        reason=d["reason"],
        closure_reason=d.get("closure_reason") or "RC7",
        lead_practitioner=d.get("lead_practitioner"),
    ),
    back_to_journey=True,
)
step_up = _plan_step_view(
    journey_forms.StepUpForm,
    title="Ask children's social care to step in",
    submit="Send to the front door",
    done="Step-up sent to the front door. You will be told the decision.",
    call=lambda user, p, d: services.early_help_step_up(
        actor=user, plan_id=p.pk, reason=d["reason"]
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_update(request: HttpRequest, outcome_id: int) -> HttpResponse:
    user = _user(request)
    try:
        outcome = PlanOutcome.objects.select_related("plan__child__person").get(
            pk=outcome_id, plan__child__in=visible_children(user=user)
        )
    except PlanOutcome.DoesNotExist:
        raise Http404("Not found") from None
    form = journey_forms.OutcomeUpdateForm(
        request.POST or None, initial={"status": outcome.status, "progress": outcome.progress}
    )
    return _action(
        request,
        form=form,
        child=outcome.plan.child,
        title=f"Progress: {outcome.what[:60]}",
        submit="Save progress",
        call=lambda d: services.plan_outcome_update(actor=user, outcome_id=outcome.pk, **d),
        done="Progress saved.",
        back=_plan_url(outcome.plan_id),
    )
