"""Children's social care: child and family assessment (45 working days), strategy discussion,
s47 enquiry, initial child protection conference (15 working days from the strategy discussion),
child in need and child protection plans, looked-after episodes.

A child protection plan starts only from an initial conference that decided one, with an
initial category from the census code list (NEG, EMO, PHY, SAB, MUL).
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
    ConferenceDecision,
    Contact,
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
from cumulus.casework.services.plans import plan_end, referral_close
from cumulus.chronology.models import Significance
from cumulus.codelists.models import Code, Scheme

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


@transaction.atomic
def initial_conference_record(
    *,
    actor: User,
    conference_id: int,
    held_on: dt.date,
    decision: str,
    category: str = "",
    summary: str = "",
) -> InitialConference:
    """The conference's decision; a child protection plan starts the same day if it decided one."""
    require_role(actor, SOCIAL_CARE_ROLES, SOCIAL_CARE)
    conference = locked(InitialConference, conference_id)
    require_child(actor, conference.child)
    if conference.held_on is not None:
        raise TransitionRefusedError("This conference's decision is already recorded")
    errors = {}
    if decision not in ConferenceDecision.values:
        errors["decision"] = "Choose the conference's decision"
    category_code = None
    if decision == ConferenceDecision.CHILD_PROTECTION_PLAN:
        category_code = _category(category, held_on, errors)
    if errors:
        raise ValidationError(errors)
    discussion = conference.strategy_discussion
    check_date(held_on, after=discussion.held_on, what="conference", previous="strategy discussion")
    conference.held_on = held_on
    conference.decision = decision
    conference.category = category_code
    conference.summary = summary.strip()
    conference.save()
    record_event(
        actor=actor,
        child=conference.child,
        event_type="casework.initial_conference",
        summary=f"Initial child protection conference: {ConferenceDecision(decision).label}",
        reference=f"conference:{conference.pk}",
        occurred_on=held_on,
        significance=Significance.HIGH,
    )
    section_47 = discussion.section_47
    contact = section_47.contact if section_47 else None
    if decision == ConferenceDecision.CHILD_PROTECTION_PLAN:
        child_protection_plan_start(actor=actor, conference_id=conference.pk)
    elif decision == ConferenceDecision.CHILD_IN_NEED_PLAN:
        if not discussion.referral.plans.filter(
            plan_type=PlanType.CHILD_IN_NEED, ended_on__isnull=True
        ).exists():
            child_in_need_plan_start(
                actor=actor, referral=discussion.referral, started_on=held_on, contact=contact
            )
    else:
        tell_referrers(
            contact=contact,
            child=conference.child,
            decision="the conference decided no plan is needed",
            why=conference.summary,
            actor=actor,
        )
    return conference


def _category(code: str, on: dt.date, errors: dict[str, str]) -> Code | None:
    found = Code.objects.filter(scheme=Scheme.CATEGORY_OF_ABUSE, code=code).first()
    if found is None or not found.is_valid_on(on):
        errors["category"] = (
            "Choose the initial category of abuse from the code list (NEG, EMO, PHY, SAB, MUL)"
        )
        return None
    return found


@transaction.atomic
def child_protection_plan_start(*, actor: User, conference_id: int) -> Plan:
    """Start the CP plan an initial conference decided on. Without that decision there is no
    plan. Lower-level plans still open (early help, child in need) end: the CP plan takes over."""
    require_role(actor, SOCIAL_CARE_ROLES, SOCIAL_CARE)
    conference = locked(InitialConference, conference_id)
    require_child(actor, conference.child)
    if (
        conference.decision != ConferenceDecision.CHILD_PROTECTION_PLAN
        or conference.held_on is None
    ):
        raise TransitionRefusedError(
            "A child protection plan can only start from an initial child protection "
            "conference that decided on one"
        )
    if conference.plans.exists():
        raise TransitionRefusedError("This conference's child protection plan has already started")
    if conference.category is None:
        raise TransitionRefusedError("The conference recorded no initial category of abuse")
    discussion = conference.strategy_discussion
    contact = discussion.section_47.contact if discussion.section_47 else None
    previous = Plan.objects.filter(
        child=conference.child, plan_type=PlanType.CHILD_PROTECTION
    ).count()
    stepped_from = None
    for lower in Plan.objects.filter(
        child=conference.child,
        ended_on__isnull=True,
        plan_type__in=[PlanType.EARLY_HELP, PlanType.CHILD_IN_NEED],
    ):
        stepped_from = stepped_from or lower
        contact = contact or lower.contact
        plan_end(
            actor=actor,
            plan=lower,
            ended_on=conference.held_on,
            reason="Stepped up to a child protection plan",
        )
    plan = Plan(
        child=conference.child,
        referral=discussion.referral,
        plan_type=PlanType.CHILD_PROTECTION,
        started_on=conference.held_on,
        initial_category=conference.category,
        latest_category=conference.category,
        number_of_previous_cp_plans=previous,
        lead_agency=actor.agency,
        initial_conference=conference,
        contact=contact,
        stepped_from=stepped_from,
        review_due_on=timescales.child_protection_review_due(
            conference_on=conference.held_on, last_review_on=None
        ),
    )
    plan.full_clean()
    plan.save()
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.plan_start",
        summary=f"Child protection plan started, initial category {conference.category.label}",
        reference=f"plan:{plan.pk}",
        occurred_on=plan.started_on,
        significance=Significance.HIGH,
    )
    if stepped_from is not None:
        record_event(
            actor=actor,
            child=plan.child,
            event_type="casework.step_up",
            summary=(
                f"Stepped up from {stepped_from.get_plan_type_display().lower()}"
                " to a child protection plan"
            ),
            reference=f"plan:{plan.pk}",
            occurred_on=plan.started_on,
            significance=Significance.HIGH,
        )
    tell_referrers(
        contact=contact,
        child=plan.child,
        decision=f"a child protection plan has started ({conference.category.label.lower()})",
        why=conference.summary or "Decided at the initial child protection conference.",
        actor=actor,
    )
    return plan


def child_in_need_plan_start(
    *,
    actor: User,
    referral: Referral | None,
    started_on: dt.date,
    contact: Contact | None,
    stepped_from: Plan | None = None,
) -> Plan:
    """A child in need plan inside the caller's transaction; open early help plans end."""
    if referral is None or referral.closed_on is not None:
        raise TransitionRefusedError("A child in need plan needs an open referral")
    if referral.plans.filter(plan_type=PlanType.CHILD_IN_NEED, ended_on__isnull=True).exists():
        raise TransitionRefusedError("The child already has an open child in need plan")
    for lower in Plan.objects.filter(
        child=referral.child, ended_on__isnull=True, plan_type=PlanType.EARLY_HELP
    ):
        plan_end(
            actor=actor,
            plan=lower,
            ended_on=started_on,
            reason="Stepped up to a child in need plan",
        )
        stepped_from = stepped_from or lower
    plan = Plan.objects.create(
        child=referral.child,
        referral=referral,
        plan_type=PlanType.CHILD_IN_NEED,
        started_on=started_on,
        lead_agency=actor.agency,
        contact=contact,
        stepped_from=stepped_from,
        review_due_on=timescales.plan_review_due(
            plan_type=PlanType.CHILD_IN_NEED, started_on=started_on, last_review_on=None
        ),
    )
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.plan_start",
        summary="Child in need plan started",
        reference=f"plan:{plan.pk}",
        occurred_on=started_on,
    )
    tell_referrers(
        contact=contact,
        child=plan.child,
        decision="a child in need plan has started",
        why="Children's social care will work with the family under a child in need plan.",
        actor=actor,
    )
    return plan


@transaction.atomic
def looked_after_start(*, actor: User, referral_id: int, started_on: dt.date, reason: str) -> Plan:
    """The child becomes looked after; the episode stays open alongside any CP or CIN plan."""
    require_role(actor, SOCIAL_CARE_ROLES, SOCIAL_CARE)
    referral = locked(Referral, referral_id)
    require_child(actor, referral.child)
    if referral.closed_on is not None:
        raise TransitionRefusedError("This episode is closed")
    if referral.plans.filter(plan_type=PlanType.LOOKED_AFTER, ended_on__isnull=True).exists():
        raise TransitionRefusedError("The child is already looked after")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the child is looked after"})
    check_date(started_on, after=referral.referred_on, what="start", previous="referral")
    plan = Plan.objects.create(
        child=referral.child,
        referral=referral,
        plan_type=PlanType.LOOKED_AFTER,
        started_on=started_on,
        lead_agency=actor.agency,
        end_reason="",
        review_due_on=timescales.add_months(started_on, 1),
    )
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.plan_start",
        summary=f"Child looked after: {reason.strip()}",
        reference=f"plan:{plan.pk}",
        occurred_on=started_on,
        significance=Significance.HIGH,
    )
    return plan
