"""The journey's first steps: a concern recorded (about a child or an unborn child), the
designated safeguarding lead's review of it, and the front door's decision.

Each is one atomic function that takes the acting practitioner, checks they may act, writes the
change, the chronology event and any notification in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cumulus.accounts.models import Role, User
from cumulus.accounts.selectors import front_door_agency
from cumulus.casework import timescales
from cumulus.casework.models import (
    ACCEPTED_OUTCOMES,
    Assessment,
    AssessmentType,
    Contact,
    FrontDoorOutcome,
    Referral,
    StrategyDiscussion,
)
from cumulus.casework.services._common import (
    NotAllowedError,
    TransitionRefusedError,
    early_help_agency,
    ensure_involvement,
    locked,
    tell_referrers,
)
from cumulus.chronology.models import Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.inbox.services import notification_send
from cumulus.people.models import Child, Involvement
from cumulus.people.policies import can_view_child

FRONT_DOOR_ROLE = "Front door (MASH)"
# Referral source (CIN census) by the referring agency's type.
REFERRAL_SOURCE_BY_AGENCY = {
    "school": "2A",
    "early_years": "8",
    "gp": "3A",
    "health_visiting": "3B",
    "school_nursing": "3C",
    "hospital": "3E",
    "midwifery": "3D",
    "camhs": "3F",
    "police": "6",
    "probation": "7",
    "housing": "4",
    "early_help": "5D",
    "childrens_social_care": "5A",
    "adult_mental_health": "5C",
    "substance_misuse": "5C",
    "voluntary_sector": "8",
}


class ContactAlreadyDecidedError(CumulusError):
    """Someone else decided this contact first."""


@transaction.atomic
def concern_record(
    *,
    actor: User,
    child: Child,
    summary: str,
    neglect_types: Sequence[str] = (),
    childs_words: str = "",
    already_tried: str = "",
) -> Contact:
    """Record a concern about a child the actor works with; the front door must decide it
    within one working day."""
    if not can_view_child(actor, child):
        raise NotAllowedError("You can only record a concern about a child you work with")
    if actor.agency is None:
        raise NotAllowedError("Only a practitioner of an agency can record a concern")
    codes = list(Code.objects.filter(scheme=Scheme.NEGLECT_TYPE, code__in=neglect_types))
    unknown = set(neglect_types) - {c.code for c in codes}
    if unknown:
        raise ValidationError(
            {"neglect_types": f"Unknown neglect type: {', '.join(sorted(unknown))}"}
        )
    today = clock.today()
    contact = Contact(
        child=child,
        received_on=today,
        agency=actor.agency,
        recorded_by=actor,
        summary=summary.strip(),
        is_neglect_concern=bool(codes),
        childs_words=childs_words.strip(),
        already_tried=already_tried.strip(),
        decision_due_on=timescales.front_door_decision_due(today),
    )
    contact.full_clean()
    contact.save()
    contact.neglect_types.set(codes)
    front_door = front_door_agency()
    already_open = Involvement.objects.filter(
        child=child, agency=front_door, ended_on__isnull=True
    ).exists()
    if not already_open:
        Involvement.objects.create(
            child=child, agency=front_door, role=FRONT_DOOR_ROLE, started_on=today
        )
    chronology_event_record(
        actor=actor,
        child=child,
        agency=actor.agency,
        event_type="casework.contact",
        occurred_at=clock.now(),
        summary=f"Concern recorded: {contact.summary[:200]}",
        significance=Significance.MEDIUM,
        source_reference=f"contact:{contact.pk}",
    )
    return contact


@transaction.atomic
def front_door_decide(
    *,
    actor: User,
    contact_id: int,
    outcome: FrontDoorOutcome | str,
    rationale: str,
    expected_of_referrer: str = "",
) -> Contact:
    """Decide a contact once; the referrer is told in their inbox what happened and why.

    The contact row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite takes the
    database write lock at the start of the transaction), so of two decision-makers acting at
    once one wins and the other gets ``ContactAlreadyDecidedError``.
    """
    if actor.role != Role.FRONT_DOOR_DECISION_MAKER:
        raise NotAllowedError("Only a front door decision-maker can decide a contact")
    contact = locked(Contact, contact_id)
    if not can_view_child(actor, contact.child):
        raise NotAllowedError("This contact is not for your front door")
    if contact.is_decided:
        raise ContactAlreadyDecidedError(
            f"This contact was already decided by {contact.decided_by} at "
            f"{contact.decided_at:%H:%M on %d %B %Y}"
        )
    errors = {}
    if outcome not in FrontDoorOutcome.values:
        errors["outcome"] = "Choose one of the front door decisions"
    if not rationale.strip():
        errors["rationale"] = "Give the reason for the decision"
    if errors:
        raise ValidationError(errors)
    outcome = FrontDoorOutcome(outcome)
    now = clock.now()
    contact.outcome = outcome
    contact.decision_rationale = rationale.strip()
    contact.expected_of_referrer = expected_of_referrer.strip()
    contact.decided_at = now
    contact.decided_by = actor
    contact.save()
    if outcome in ACCEPTED_OUTCOMES:
        _open_referral(contact, outcome)
    elif outcome == FrontDoorOutcome.EARLY_HELP and contact.step_up_from is None:
        # (A step-up sent back to early help: the early help plan is still open.)
        _open_early_help(contact)
    chronology_event_record(
        actor=actor,
        child=contact.child,
        agency=front_door_agency(),
        event_type="casework.front_door_decision",
        occurred_at=now,
        summary=f"{outcome.label}: {contact.decision_rationale[:200]}",
        significance=Significance.HIGH if outcome in ACCEPTED_OUTCOMES else Significance.MEDIUM,
        source_reference=f"contact:{contact.pk}",
    )
    if contact.recorded_by is not None:
        verdict = (
            "accepted by children's social care"
            if outcome in ACCEPTED_OUTCOMES
            else "not accepted as a referral"
        )
        notification_send(
            recipient=contact.recorded_by,
            subject=f"Your concern about {contact.child.full_name} was {verdict}",
            body="\n\n".join(
                part
                for part in (
                    f"Decision: {outcome.label}.",
                    f"Why: {contact.decision_rationale}",
                    f"What we ask of you next: {contact.expected_of_referrer}"
                    if contact.expected_of_referrer
                    else "",
                )
                if part
            ),
            link=reverse("web:child-detail", args=[contact.child_id]),
        )
    if contact.step_up_from is not None:
        # A step-up from early help: whoever raised the original concern is told as well.
        tell_referrers(
            contact=contact.step_up_from.contact,
            child=contact.child,
            decision=f"the front door decided the step-up: {outcome.label.lower()}",
            why=contact.decision_rationale,
            actor=actor,
        )
    return contact


def _open_referral(contact: Contact, outcome: FrontDoorOutcome) -> Referral:
    source = REFERRAL_SOURCE_BY_AGENCY.get(contact.agency.agency_type, "10")
    referral = Referral.objects.create(
        child=contact.child,
        contact=contact,
        referred_on=contact.received_on,
        source=Code.objects.get(scheme=Scheme.REFERRAL_SOURCE, code=source),
        primary_need=Code.objects.get(
            scheme=Scheme.PRIMARY_NEED, code="N1" if contact.is_neglect_concern else "N4"
        ),
        is_neglect_concern=contact.is_neglect_concern,
    )
    today = clock.today()
    if outcome == FrontDoorOutcome.STRATEGY_DISCUSSION:
        strategy_discussion_open(
            child=contact.child,
            referral=referral,
            held_on=today,
            rationale=contact.decision_rationale,
            contact=contact,
        )
    else:
        Assessment.objects.create(
            child=contact.child,
            referral=referral,
            contact=contact,
            assessment_type=AssessmentType.CHILD_AND_FAMILY,
            started_on=today,
            due_on=timescales.child_and_family_assessment_due(today),
        )
    return referral


def strategy_discussion_open(
    *,
    child: Child,
    referral: Referral,
    held_on: dt.date,
    rationale: str,
    contact: Contact | None,
) -> StrategyDiscussion:
    """A strategy discussion that found cause for a s47 enquiry: the enquiry starts, and the
    initial conference falls due 15 working days from the discussion."""
    section_47 = Assessment.objects.create(
        child=child,
        referral=referral,
        contact=contact,
        assessment_type=AssessmentType.SECTION_47,
        started_on=held_on,
        due_on=timescales.section_47_due(held_on),
    )
    return StrategyDiscussion.objects.create(
        child=child,
        referral=referral,
        held_on=held_on,
        rationale=rationale,
        section_47=section_47,
        initial_conference_due_on=timescales.initial_conference_due(held_on),
    )


def _open_early_help(contact: Contact) -> Assessment | None:
    """Early help: the service sees the child and the family waits for a lead practitioner.
    A partnership without an early help service on Cumulus only tells the referrer."""
    try:
        agency = early_help_agency()
    except TransitionRefusedError:
        return None
    ensure_involvement(child=contact.child, agency=agency, role="Early help service")
    today = clock.today()
    return Assessment.objects.create(
        child=contact.child,
        contact=contact,
        agency=agency,
        assessment_type=AssessmentType.EARLY_HELP,
        started_on=today,
        due_on=timescales.early_help_assessment_due(today),
    )


@transaction.atomic
def concern_dsl_review(*, actor: User, contact_id: int, note: str) -> Contact:
    """The designated safeguarding lead of the referring agency records their view of a concern
    (agree, add context, follow up); the front door sees it beside the concern."""
    contact = locked(Contact, contact_id)
    if actor.role != Role.DESIGNATED_SAFEGUARDING_LEAD or actor.agency_id != contact.agency_id:
        raise NotAllowedError(
            "Only the designated safeguarding lead of the referring agency can review this concern"
        )
    if not note.strip():
        raise ValidationError({"note": "Write what you think of the concern"})
    contact.dsl_reviewed_at = clock.now()
    contact.dsl_reviewed_by = actor
    contact.dsl_review_note = note.strip()
    contact.save()
    chronology_event_record(
        actor=actor,
        child=contact.child,
        agency=contact.agency,
        event_type="education.dsl_concern"
        if contact.agency.agency_type == "school"
        else "casework.contact",
        occurred_at=clock.now(),
        summary=(
            f"Concern reviewed by the designated safeguarding lead: {contact.dsl_review_note[:200]}"
        ),
        significance=Significance.MEDIUM,
        source_reference=f"contact:{contact.pk}",
    )
    return contact
