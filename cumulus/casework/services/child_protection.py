"""Child protection conferences and the plans they start: the initial conference's decision,
the child protection plan (only from a conference that decided one, with an initial category
from the census code list: NEG, EMO, PHY, SAB, MUL), child in need plans, looked-after episodes.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.casework import timescales
from cumulus.casework.models import (
    ConferenceDecision,
    Contact,
    InitialConference,
    Plan,
    PlanType,
    Referral,
)
from cumulus.casework.services._common import (
    SOCIAL_CARE_ROLES,
    TransitionRefusedError,
    check_date,
    locked,
    record_event,
    require_child,
    require_role,
    tell_referrers,
)
from cumulus.casework.services.plans import plan_end
from cumulus.chronology.models import Significance
from cumulus.codelists.models import Code, Scheme

SOCIAL_CARE = "a social worker or team manager"


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
        review_due_on=timescales.looked_after_first_review_due(started_on),
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
