"""What every plan holds and how it moves: SMART outcomes, danger statements and safety goals,
links to measures of change, reviews of progress, step-down and ending.

Step-down goes one level at a time: child protection -> child in need -> early help ->
universal services. A child protection plan never steps straight down to early help.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.casework import timescales
from cumulus.casework.models import (
    OutcomeStatus,
    Plan,
    PlanMeasure,
    PlanOutcome,
    PlanStatement,
    PlanType,
    ProgressRating,
    Referral,
    Review,
    StatementKind,
)
from cumulus.casework.services._common import (
    SOCIAL_CARE_ROLES,
    NotAllowedError,
    TransitionRefusedError,
    check_date,
    locked,
    long_date,
    plan_changed,
    quote,
    record_event,
    require_child,
    tell_referrers,
)
from cumulus.chronology.models import Significance
from cumulus.codelists.models import Code, Scheme

UNIVERSAL = "universal_services"
# Where each kind of plan may step down to (one level at a time).
STEP_DOWN_TO: dict[str, tuple[str, ...]] = {
    PlanType.LOOKED_AFTER: (PlanType.CHILD_PROTECTION, PlanType.CHILD_IN_NEED),
    PlanType.CHILD_PROTECTION: (PlanType.CHILD_IN_NEED,),
    PlanType.CHILD_IN_NEED: (PlanType.EARLY_HELP, UNIVERSAL),
    PlanType.EARLY_HELP: (UNIVERSAL,),
}
LEVEL_LABELS = {
    PlanType.CHILD_PROTECTION: "a child protection plan",
    PlanType.CHILD_IN_NEED: "a child in need plan",
    PlanType.EARLY_HELP: "early help",
    UNIVERSAL: "universal services",
}


def _open_plan_for(actor: User, plan_id: int) -> Plan:
    plan = locked(Plan, plan_id)
    require_child(actor, plan.child)
    if not plan.is_open:
        raise TransitionRefusedError("This plan has ended and can no longer change")
    return plan


@transaction.atomic
def plan_outcome_add(
    *,
    actor: User,
    plan_id: int,
    what: str,
    who: str,
    due_on: dt.date,
    not_for_family: bool = False,
) -> PlanOutcome:
    """A SMART outcome: what will be different, who does it, and by when."""
    plan = _open_plan_for(actor, plan_id)
    errors = {}
    if not what.strip():
        errors["what"] = "Say what will happen or change"
    if not who.strip():
        errors["who"] = "Say who will do it"
    if due_on < plan.started_on:
        errors["due_on"] = "The date cannot be before the plan started"
    if errors:
        raise ValidationError(errors)
    outcome = PlanOutcome.objects.create(
        plan=plan, what=what.strip(), who=who.strip(), due_on=due_on, not_for_family=not_for_family
    )
    plan_changed(
        actor=actor,
        plan=plan,
        what=f"outcome added {quote(outcome.what)}, {outcome.who} by {long_date(due_on)}"
        + (" (not for the family)" if not_for_family else ""),
    )
    return outcome


@transaction.atomic
def plan_outcome_update(*, actor: User, outcome_id: int, status: str, progress: str) -> PlanOutcome:
    outcome = locked(PlanOutcome, outcome_id)
    plan = _open_plan_for(actor, outcome.plan_id)
    if status not in OutcomeStatus.values:
        raise ValidationError({"status": "Choose how the outcome is going"})
    changes = []
    if status != outcome.status:
        changes.append(
            f"status {OutcomeStatus(outcome.status).label} → {OutcomeStatus(status).label}"
        )
    if progress.strip() and progress.strip() != outcome.progress:
        changes.append(f"progress {quote(progress.strip())}")
    outcome.status = status
    if progress.strip():
        outcome.progress = progress.strip()
    outcome.save()
    if changes:
        plan_changed(
            actor=actor,
            plan=plan,
            what=f"outcome {quote(outcome.what, 60)} updated: {'; '.join(changes)}",
        )
    return outcome


@transaction.atomic
def plan_statement_add(
    *, actor: User, plan_id: int, kind: str, text: str, not_for_family: bool = False
) -> PlanStatement:
    """A danger statement or safety goal, in words the family would use."""
    plan = _open_plan_for(actor, plan_id)
    if kind not in StatementKind.values:
        raise ValidationError({"kind": "Choose a danger statement or a safety goal"})
    if not text.strip():
        raise ValidationError({"text": "Write the statement in plain language"})
    statement = PlanStatement.objects.create(
        plan=plan, kind=kind, text=text.strip(), not_for_family=not_for_family
    )
    plan_changed(
        actor=actor,
        plan=plan,
        what=f"{StatementKind(kind).label.lower()} added {quote(statement.text)}"
        + (" (not for the family)" if not_for_family else ""),
    )
    return statement


@transaction.atomic
def plan_measure_link(
    *, actor: User, plan_id: int, reference: str, label: str, recorded_on: dt.date
) -> PlanMeasure:
    """Link a result from the instrument engine (an opaque reference; no scores are copied)."""
    plan = _open_plan_for(actor, plan_id)
    if not reference.strip() or not label.strip():
        raise ValidationError({"reference": "Give the result's reference and a label"})
    measure = PlanMeasure.objects.create(
        plan=plan, reference=reference.strip(), label=label.strip(), recorded_on=recorded_on
    )
    plan_changed(
        actor=actor,
        plan=plan,
        what=f"measure of change linked: {measure.label} ({measure.reference}, "
        f"{long_date(recorded_on)})",
    )
    return measure


@transaction.atomic
def plan_review_record(
    *, actor: User, plan_id: int, held_on: dt.date, progress: str, summary: str
) -> Review:
    """A review of the plan and of progress against its outcomes; sets the next review due."""
    plan = _open_plan_for(actor, plan_id)
    if progress not in ProgressRating.values:
        raise ValidationError({"progress": "Say how much progress there has been"})
    if not summary.strip():
        raise ValidationError({"summary": "Summarise the review"})
    last = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    check_date(held_on, after=last or plan.started_on, what="review", previous="plan's last step")
    review = Review.objects.create(
        plan=plan,
        held_on=held_on,
        summary=summary.strip(),
        progress=progress,
        due_on=plan.review_due_on,
        recorded_by=actor,
    )
    plan.progress_reviewed_on = held_on
    plan.review_due_on = timescales.plan_review_due(
        plan_type=plan.plan_type, started_on=plan.started_on, last_review_on=held_on
    )
    plan.save()
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.review",
        summary=f"{plan.get_plan_type_display()} reviewed: {ProgressRating(progress).label}",
        reference=f"review:{review.pk}",
        occurred_on=held_on,
        significance=Significance.HIGH
        if progress in (ProgressRating.INSUFFICIENT, ProgressRating.NONE)
        else Significance.MEDIUM,
    )
    return review


def plan_end(*, actor: User, plan: Plan, ended_on: dt.date, reason: str) -> Plan:
    """End a plan inside the caller's transaction (step-up, step-down, closure)."""
    check_date(ended_on, after=plan.started_on, what="end", previous="plan started")
    plan.ended_on = ended_on
    plan.end_reason = reason[:200]
    plan.save()
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.plan_end",
        summary=f"{plan.get_plan_type_display()} ended: {reason}",
        reference=f"plan:{plan.pk}",
        occurred_on=ended_on,
    )
    return plan


def _closure_reason(code: str, on: dt.date) -> Code:
    found = Code.objects.filter(scheme=Scheme.CLOSURE_REASON, code=code).first()
    if found is None or not found.is_valid_on(on):
        raise ValidationError(
            {"closure_reason": f"{code or 'No code'} is not a CIN census closure reason (RC1-RC9)"}
        )
    return found


def referral_close(
    *, actor: User, referral_id: int, closed_on: dt.date, reason_code: str
) -> Referral:
    """Close the child in need episode with a census reason; refused while anything is open."""
    referral = locked(Referral, referral_id)
    if referral.closed_on is not None:
        raise TransitionRefusedError("This episode is already closed")
    reason = _closure_reason(reason_code, closed_on)
    if referral.plans.filter(ended_on__isnull=True).exists():
        raise TransitionRefusedError(
            "The episode cannot close while a plan is open: end the plan first"
        )
    if referral.assessments.filter(authorised_on__isnull=True).exists():
        raise TransitionRefusedError("The episode cannot close while an assessment is open")
    check_date(closed_on, after=referral.referred_on, what="closure", previous="referral")
    referral.closed_on = closed_on
    referral.closure_reason = reason
    referral.full_clean()
    referral.save()
    record_event(
        actor=actor,
        child=referral.child,
        event_type="casework.case_closed",
        summary=f"Child in need episode closed: {reason.code} {reason.label}",
        reference=f"referral:{referral.pk}",
        occurred_on=closed_on,
    )
    return referral


@transaction.atomic
def referral_close_now(
    *, actor: User, referral_id: int, closed_on: dt.date, reason_code: str
) -> Referral:
    if actor.role not in SOCIAL_CARE_ROLES:
        raise NotAllowedError("Only children's social care can close an episode")
    referral = Referral.objects.get(pk=referral_id)
    require_child(actor, referral.child)
    return referral_close(
        actor=actor, referral_id=referral_id, closed_on=closed_on, reason_code=reason_code
    )


@transaction.atomic
def plan_step_down(
    *,
    actor: User,
    plan_id: int,
    to: str,
    on: dt.date,
    reason: str,
    closure_reason: str = "RC7",
    lead_practitioner: User | None = None,
) -> Plan | None:
    """Step a plan down one level; the next plan starts the day this one ends. Stepping out of
    social care (to early help or universal services) closes the child in need episode."""
    plan = _open_plan_for(actor, plan_id)
    allowed = STEP_DOWN_TO.get(plan.plan_type, ())
    if to not in allowed:
        if plan.plan_type == PlanType.CHILD_PROTECTION:
            raise TransitionRefusedError(
                "A child protection plan steps down to a child in need plan first, "
                "never straight to early help or universal services"
            )
        raise TransitionRefusedError(
            f"{plan.get_plan_type_display()} cannot step down to {LEVEL_LABELS.get(to, to)}"
        )
    if plan.plan_type != PlanType.EARLY_HELP and actor.role not in SOCIAL_CARE_ROLES:
        raise NotAllowedError("Only children's social care can step down a statutory plan")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the family no longer needs this level of help"})
    plan_end(actor=actor, plan=plan, ended_on=on, reason=f"Stepped down to {LEVEL_LABELS[to]}")
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.step_down",
        summary=(
            f"Stepped down from {LEVEL_LABELS.get(plan.plan_type, plan.get_plan_type_display())}"
            f" to {LEVEL_LABELS[to]}: {reason.strip()}"
        ),
        reference=f"plan:{plan.pk}",
        occurred_on=on,
    )
    new_plan: Plan | None = None
    already = Plan.objects.filter(child=plan.child, plan_type=to, ended_on__isnull=True).first()
    if already is not None:
        # E.g. a looked-after episode ends while the child's CIN plan carries on.
        new_plan = already
    elif to == PlanType.CHILD_IN_NEED:
        from cumulus.casework.services.child_protection import child_in_need_plan_start

        new_plan = child_in_need_plan_start(
            actor=actor,
            referral=plan.referral,
            started_on=on,
            contact=plan.contact,
            stepped_from=plan,
        )
    elif to == PlanType.CHILD_PROTECTION:
        new_plan = Plan.objects.create(
            child=plan.child,
            referral=plan.referral,
            plan_type=PlanType.CHILD_PROTECTION,
            started_on=on,
            initial_category=plan.initial_category,
            latest_category=plan.latest_category,
            contact=plan.contact,
            stepped_from=plan,
        )
    elif to == PlanType.EARLY_HELP:
        from cumulus.casework.services.early_help import early_help_plan_start

        if lead_practitioner is None:
            raise ValidationError({"lead_practitioner": "Choose the early help lead practitioner"})
        new_plan = early_help_plan_start(
            actor=actor,
            child_id=plan.child_id,
            started_on=on,
            contact=plan.contact,
            lead_practitioner=lead_practitioner,
            stepped_from=plan,
        )
    if plan.referral_id is not None and to in (PlanType.EARLY_HELP, UNIVERSAL):
        referral_close(
            actor=actor, referral_id=plan.referral_id, closed_on=on, reason_code=closure_reason
        )
    tell_referrers(
        contact=plan.contact,
        child=plan.child,
        decision=f"stepped down to {LEVEL_LABELS[to]}",
        why=reason.strip(),
        actor=actor,
    )
    return new_plan
