"""Early help: a lead practitioner takes the family on, assesses, runs a plan with a team around
the family from several agencies, and asks for a step-up when progress is not enough."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Agency, Role, User
from cumulus.casework import timescales
from cumulus.casework.models import (
    Assessment,
    AssessmentType,
    Contact,
    Plan,
    PlanType,
    TeamMember,
)
from cumulus.casework.services._common import (
    EARLY_HELP_ROLES,
    NotAllowedError,
    TransitionRefusedError,
    check_date,
    ensure_involvement,
    locked,
    plan_changed,
    record_event,
    require_child,
    require_role,
    tell_referrers,
)
from cumulus.chronology.models import Significance
from cumulus.core import clock

EARLY_HELP_ASSESSMENT_OUTCOMES = {
    "early_help_plan": "An early help plan with the family",
    "universal_services": "No plan needed: universal services",
}


@transaction.atomic
def early_help_take_on(*, actor: User, assessment_id: int) -> Assessment:
    """An early help practitioner becomes the family's lead practitioner and starts assessing."""
    if actor.role != Role.EARLY_HELP_PRACTITIONER:
        raise NotAllowedError("Only an early help practitioner can take on a family")
    assessment = locked(Assessment, assessment_id)
    if assessment.assessment_type != AssessmentType.EARLY_HELP or not assessment.is_open:
        raise TransitionRefusedError("This is not an early help assessment waiting to start")
    if assessment.agency_id is not None and assessment.agency_id != actor.agency_id:
        raise NotAllowedError("This family is waiting for another early help service")
    if assessment.lead_practitioner_id is not None:
        raise TransitionRefusedError(
            f"{assessment.lead_practitioner} is already the lead practitioner for this family"
        )
    assessment.lead_practitioner = actor
    assessment.save()
    assert actor.agency is not None
    ensure_involvement(
        child=assessment.child,
        agency=actor.agency,
        role="Early help lead practitioner",
        practitioner=actor,
    )
    record_event(
        actor=actor,
        child=assessment.child,
        event_type="casework.early_help_assessment",
        summary=f"Early help assessment started; lead practitioner {actor.display_name}",
        reference=f"assessment:{assessment.pk}",
    )
    tell_referrers(
        contact=assessment.contact,
        child=assessment.child,
        decision="an early help lead practitioner is working with the family",
        why=f"{actor.display_name} ({actor.agency}) will lead the early help assessment.",
        actor=actor,
    )
    return assessment


@transaction.atomic
def early_help_assessment_complete(
    *, actor: User, assessment_id: int, completed_on: dt.date, summary: str, outcome: str
) -> Plan | None:
    """The lead practitioner completes the assessment; with the family's agreement an early help
    plan starts the same day, led by them."""
    assessment = locked(Assessment, assessment_id)
    if assessment.assessment_type != AssessmentType.EARLY_HELP:
        raise TransitionRefusedError("This is not an early help assessment")
    if not assessment.is_open:
        raise TransitionRefusedError("This assessment is already complete")
    if assessment.lead_practitioner_id != actor.pk:
        raise NotAllowedError("Only the lead practitioner can complete the early help assessment")
    if outcome not in EARLY_HELP_ASSESSMENT_OUTCOMES:
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
        summary=f"Early help assessment completed: {EARLY_HELP_ASSESSMENT_OUTCOMES[outcome]}",
        reference=f"assessment:{assessment.pk}",
        occurred_on=completed_on,
    )
    if outcome != "early_help_plan":
        tell_referrers(
            contact=assessment.contact,
            child=assessment.child,
            decision="no early help plan is needed",
            why=assessment.summary,
            actor=actor,
        )
        return None
    plan = early_help_plan_start(
        actor=actor,
        child_id=assessment.child_id,
        started_on=completed_on,
        contact=assessment.contact,
    )
    return plan


def early_help_plan_start(
    *,
    actor: User,
    child_id: int,
    started_on: dt.date,
    contact: Contact | None,
    lead_practitioner: User | None = None,
    stepped_from: Plan | None = None,
) -> Plan:
    """An early help plan with its lead practitioner as the first member of the team around the
    family. Called inside the transaction of the step that starts it."""
    lead = lead_practitioner or actor
    if lead.role != Role.EARLY_HELP_PRACTITIONER or lead.agency is None:
        raise ValidationError(
            {"lead_practitioner": "The lead practitioner must be an early help practitioner"}
        )
    if Plan.objects.filter(
        child_id=child_id, plan_type=PlanType.EARLY_HELP, ended_on__isnull=True
    ).exists():
        raise TransitionRefusedError("The child already has an open early help plan")
    plan = Plan.objects.create(
        child_id=child_id,
        plan_type=PlanType.EARLY_HELP,
        started_on=started_on,
        lead_agency=lead.agency,
        lead_practitioner=lead,
        contact=contact,
        stepped_from=stepped_from,
        review_due_on=timescales.plan_review_due(
            plan_type=PlanType.EARLY_HELP, started_on=started_on, last_review_on=None
        ),
    )
    TeamMember.objects.create(
        plan=plan,
        agency=lead.agency,
        practitioner=lead,
        role="Lead practitioner",
        joined_on=started_on,
    )
    ensure_involvement(
        child=plan.child, agency=lead.agency, role="Early help lead practitioner", practitioner=lead
    )
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.plan_start",
        summary=f"Early help plan started; lead practitioner {lead.display_name}",
        reference=f"plan:{plan.pk}",
        occurred_on=started_on,
    )
    tell_referrers(
        contact=contact,
        child=plan.child,
        decision="an early help plan has started",
        why=(
            f"{lead.display_name} is the lead practitioner. "
            "You may be asked to join the team around the family."
        ),
        actor=actor,
    )
    return plan


@transaction.atomic
def team_member_add(
    *, actor: User, plan_id: int, agency: Agency, role: str, practitioner: User | None = None
) -> TeamMember:
    """Add a practitioner from any agency to the team around the family (or core group)."""
    plan = locked(Plan, plan_id)
    require_child(actor, plan.child)
    if not plan.is_open:
        raise TransitionRefusedError("This plan has ended")
    if not role.strip():
        raise ValidationError({"role": "Say what this person does for the family"})
    if practitioner is not None and practitioner.agency_id != agency.pk:
        raise ValidationError({"practitioner": "The practitioner must belong to the agency chosen"})
    member = TeamMember.objects.create(
        plan=plan,
        agency=agency,
        practitioner=practitioner,
        role=role.strip(),
        joined_on=clock.today(),
    )
    if practitioner is not None:
        ensure_involvement(
            child=plan.child, agency=agency, role=role.strip(), practitioner=practitioner
        )
    who = f"{practitioner.display_name} ({agency})" if practitioner is not None else str(agency)
    plan_changed(actor=actor, plan=plan, what=f"{who} joined the team: {member.role}")
    return member


@transaction.atomic
def early_help_step_up(*, actor: User, plan_id: int, reason: str) -> Contact:
    """Progress is not enough: the lead practitioner asks children's social care to step in. The
    request goes to the front door as a contact; the early help plan stays open until a
    statutory plan takes over."""
    require_role(actor, EARLY_HELP_ROLES, "the lead practitioner or their manager")
    plan = locked(Plan, plan_id)
    require_child(actor, plan.child)
    if plan.plan_type != PlanType.EARLY_HELP or not plan.is_open:
        raise TransitionRefusedError(
            "Only an open early help plan can be stepped up to social care"
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why early help is not enough"})
    if Contact.objects.filter(step_up_from=plan, decided_at__isnull=True).exists():
        raise TransitionRefusedError("A step-up for this plan is already waiting at the front door")
    from cumulus.casework.services.front_door import concern_record

    contact = concern_record(
        actor=actor,
        child=plan.child,
        summary=f"Step-up from the early help plan: {reason.strip()}",
        neglect_types=list(
            plan.contact.neglect_types.values_list("code", flat=True) if plan.contact else []
        ),
    )
    contact.step_up_from = plan
    contact.save(update_fields=["step_up_from", "updated_at"])
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.step_up",
        summary=f"Step-up to children's social care requested: {reason.strip()}",
        reference=f"plan:{plan.pk}",
        significance=Significance.HIGH,
    )
    tell_referrers(
        contact=plan.contact,
        child=plan.child,
        decision="early help has asked children's social care to step in",
        why=reason.strip(),
        actor=actor,
    )
    return contact
