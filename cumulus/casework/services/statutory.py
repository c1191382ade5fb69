"""Children's social care before a plan: allocation, the child and family assessment (45
working days), the strategy discussion and s47 enquiry that call the initial child protection
conference (15 working days from the strategy discussion). Conferences and the plans they
start are in ``child_protection``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Role, User
from cumulus.casework import timescales
from cumulus.casework.models import (
    Assessment,
    AssessmentType,
    InitialConference,
    Plan,
    PlanType,
    Referral,
    StrategyDiscussion,
)
from cumulus.casework.services._common import (
    SOCIAL_CARE_ROLES,
    NotAllowedError,
    TransitionRefusedError,
    check_date,
    ensure_involvement,
    locked,
    record_event,
    require_child,
    require_role,
    tell_referrers,
)
from cumulus.casework.services.child_protection import child_in_need_plan_start
from cumulus.casework.services.plans import referral_close
from cumulus.chronology.models import Significance

SOCIAL_CARE = "a social worker or team manager"
CHILD_AND_FAMILY_OUTCOMES = {
    "child_in_need_plan": "A child in need plan",
    "strategy_discussion": "A strategy discussion (possible significant harm)",
    "early_help": "Step down to early help",
    "no_further_action": "No further action",
}
SECTION_47_OUTCOMES = {
    "initial_conference": "Call an initial child protection conference",
    "child_in_need_plan": "Concerns not substantiated: a child in need plan",
    "no_further_action": "Concerns not substantiated: no further action",
}


def _social_care_assessment(actor: User, assessment_id: int, kind: str) -> Assessment:
    require_role(actor, SOCIAL_CARE_ROLES, SOCIAL_CARE)
    assessment = locked(Assessment, assessment_id)
    require_child(actor, assessment.child)
    if assessment.assessment_type != kind:
        raise TransitionRefusedError(f"This is not a {AssessmentType(kind).label.lower()}")
    if not assessment.is_open:
        raise TransitionRefusedError("This assessment is already complete")
    return assessment


@transaction.atomic
def social_worker_allocate(*, actor: User, child_id: int, social_worker: User) -> int:
    """A team manager allocates a social worker to the child's open assessments and plans."""
    if actor.role != Role.TEAM_MANAGER:
        raise NotAllowedError("Only a team manager can allocate a social worker")
    if social_worker.role != Role.SOCIAL_WORKER or social_worker.agency_id != actor.agency_id:
        raise ValidationError({"social_worker": "Choose a social worker from your service"})
    assessments = Assessment.objects.select_for_update().filter(
        child_id=child_id, authorised_on__isnull=True, referral__isnull=False
    )
    child = Referral.objects.filter(child_id=child_id).select_related("child").first()
    if child is None:
        raise TransitionRefusedError("The child has no open referral to children's social care")
    require_child(actor, child.child)
    changed = assessments.update(lead_practitioner=social_worker)
    changed += (
        Plan.objects.filter(child_id=child_id, ended_on__isnull=True)
        .exclude(plan_type=PlanType.EARLY_HELP)
        .update(lead_practitioner=social_worker)
    )
    assert actor.agency is not None
    ensure_involvement(
        child=child.child,
        agency=actor.agency,
        role="Allocated social worker",
        practitioner=social_worker,
    )
    record_event(
        actor=actor,
        child=child.child,
        event_type="casework.assessment_start",
        summary=f"Social worker allocated: {social_worker.display_name}",
        reference=f"child:{child_id}",
    )
    return changed


@transaction.atomic
def child_and_family_assessment_complete(
    *,
    actor: User,
    assessment_id: int,
    completed_on: dt.date,
    summary: str,
    outcome: str,
    lead_practitioner: User | None = None,
) -> Assessment:
    assessment = _social_care_assessment(actor, assessment_id, AssessmentType.CHILD_AND_FAMILY)
    if outcome not in CHILD_AND_FAMILY_OUTCOMES:
        raise ValidationError({"outcome": "Choose what happens after the assessment"})
    if not summary.strip():
        raise ValidationError({"summary": "Summarise what the assessment found"})
    check_date(
        completed_on, after=assessment.started_on, what="completion", previous="assessment started"
    )
    assessment.authorised_on = completed_on
    assessment.outcome = outcome
    assessment.summary = summary.strip()
    assessment.save()
    record_event(
        actor=actor,
        child=assessment.child,
        event_type="casework.assessment_complete",
        summary=f"Child and family assessment completed: {CHILD_AND_FAMILY_OUTCOMES[outcome]}",
        reference=f"assessment:{assessment.pk}",
        occurred_on=completed_on,
    )
    referral = assessment.referral
    assert referral is not None
    if outcome == "child_in_need_plan":
        child_in_need_plan_start(
            actor=actor, referral=referral, started_on=completed_on, contact=assessment.contact
        )
    elif outcome == "strategy_discussion":
        from cumulus.casework.services.front_door import strategy_discussion_open

        strategy_discussion_open(
            child=assessment.child,
            referral=referral,
            held_on=completed_on,
            rationale=summary,
            contact=assessment.contact,
        )
        record_event(
            actor=actor,
            child=assessment.child,
            event_type="casework.strategy_discussion",
            summary="Strategy discussion held; s47 enquiry started",
            reference=f"referral:{referral.pk}",
            occurred_on=completed_on,
            significance=Significance.HIGH,
        )
    elif outcome == "early_help":
        from cumulus.casework.services.early_help import early_help_plan_start

        if lead_practitioner is None:
            raise ValidationError({"lead_practitioner": "Choose the early help lead practitioner"})
        referral_close(
            actor=actor, referral_id=referral.pk, closed_on=completed_on, reason_code="RC9"
        )
        early_help_plan_start(
            actor=actor,
            child_id=assessment.child_id,
            started_on=completed_on,
            contact=assessment.contact,
            lead_practitioner=lead_practitioner,
        )
    else:
        referral_close(
            actor=actor, referral_id=referral.pk, closed_on=completed_on, reason_code="RC8"
        )
    tell_referrers(
        contact=assessment.contact,
        child=assessment.child,
        decision=f"assessment completed: {CHILD_AND_FAMILY_OUTCOMES[outcome].lower()}",
        why=summary.strip(),
        actor=actor,
    )
    return assessment


@transaction.atomic
def strategy_discussion_record(
    *, actor: User, referral_id: int, held_on: dt.date, rationale: str
) -> StrategyDiscussion:
    """A strategy discussion for a child already known to social care (e.g. on a CIN plan)."""
    require_role(actor, SOCIAL_CARE_ROLES, SOCIAL_CARE)
    referral = locked(Referral, referral_id)
    require_child(actor, referral.child)
    if referral.closed_on is not None:
        raise TransitionRefusedError(
            "This episode is closed: the front door must open a new referral"
        )
    if not rationale.strip():
        raise ValidationError(
            {"rationale": "Say why there is reasonable cause to suspect significant harm"}
        )
    check_date(held_on, after=referral.referred_on, what="strategy discussion", previous="referral")
    from cumulus.casework.services.front_door import strategy_discussion_open

    open_plan = referral.plans.filter(ended_on__isnull=True).first()
    discussion = strategy_discussion_open(
        child=referral.child,
        referral=referral,
        held_on=held_on,
        rationale=rationale.strip(),
        contact=open_plan.contact if open_plan else referral.contact,
    )
    record_event(
        actor=actor,
        child=referral.child,
        event_type="casework.strategy_discussion",
        summary=f"Strategy discussion held; s47 enquiry started: {rationale.strip()}",
        reference=f"strategy:{discussion.pk}",
        occurred_on=held_on,
        significance=Significance.HIGH,
    )
    return discussion


@transaction.atomic
def section_47_complete(
    *, actor: User, assessment_id: int, completed_on: dt.date, summary: str, outcome: str
) -> InitialConference | None:
    """The s47 enquiry concludes; if concerns are substantiated the initial conference is called,
    due 15 working days from the strategy discussion."""
    assessment = _social_care_assessment(actor, assessment_id, AssessmentType.SECTION_47)
    if outcome not in SECTION_47_OUTCOMES:
        raise ValidationError({"outcome": "Choose the outcome of the enquiry"})
    if not summary.strip():
        raise ValidationError({"summary": "Summarise what the enquiry found"})
    check_date(
        completed_on, after=assessment.started_on, what="completion", previous="enquiry started"
    )
    assessment.authorised_on = completed_on
    assessment.outcome = outcome
    assessment.summary = summary.strip()
    assessment.save()
    record_event(
        actor=actor,
        child=assessment.child,
        event_type="casework.assessment_complete",
        summary=f"Section 47 enquiry completed: {SECTION_47_OUTCOMES[outcome]}",
        reference=f"assessment:{assessment.pk}",
        occurred_on=completed_on,
        significance=Significance.HIGH,
    )
    referral = assessment.referral
    assert referral is not None
    conference = None
    if outcome == "initial_conference":
        discussion = StrategyDiscussion.objects.get(section_47=assessment)
        conference = InitialConference.objects.create(
            child=assessment.child,
            strategy_discussion=discussion,
            due_on=discussion.initial_conference_due_on
            or timescales.initial_conference_due(discussion.held_on),
        )
    elif outcome == "child_in_need_plan":
        if not referral.plans.filter(
            plan_type=PlanType.CHILD_IN_NEED, ended_on__isnull=True
        ).exists():
            child_in_need_plan_start(
                actor=actor, referral=referral, started_on=completed_on, contact=assessment.contact
            )
    elif not referral.plans.filter(ended_on__isnull=True).exists():
        referral_close(
            actor=actor, referral_id=referral.pk, closed_on=completed_on, reason_code="RC8"
        )
    tell_referrers(
        contact=assessment.contact,
        child=assessment.child,
        decision=f"enquiry completed: {SECTION_47_OUTCOMES[outcome].lower()}",
        why=summary.strip(),
        actor=actor,
    )
    return conference
