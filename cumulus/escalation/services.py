"""Escalation writes: raise a disagreement, record each stage's outcome.

Each is one atomic function: check the actor may act, lock the escalation row, apply the
procedure's rule, write the stage, the chronology event and the notifications together.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cumulus.accounts.models import User
from cumulus.casework.models import Contact, Plan
from cumulus.chronology.models import Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.escalation.models import (
    DecisionKind,
    Escalation,
    EscalationStage,
    EscalationStatus,
    StageOutcome,
)
from cumulus.escalation.policies import can_act_on_escalation, can_raise_escalation
from cumulus.escalation.procedure import load_procedure
from cumulus.inbox.services import notification_send
from cumulus.people.models import Child


class EscalationNotAllowedError(CumulusError):
    """The practitioner may not raise or act on this escalation."""


class EscalationClosedError(CumulusError):
    """The escalation is resolved or withdrawn: nothing more can be recorded on it."""


class EscalationStageError(CumulusError):
    """The move does not follow the procedure (a skipped stage, a stage already past)."""


@transaction.atomic
def escalation_raise(
    *,
    actor: User,
    child: Child,
    disagreement: str,
    contact: Contact | None = None,
    plan: Plan | None = None,
    decision_summary: str = "",
    desired_outcome: str = "",
) -> Escalation:
    """Raise a disagreement with a decision about ``child``; stage 1 starts today."""
    if not can_raise_escalation(actor, child):
        raise EscalationNotAllowedError(
            "Only a practitioner involved with the child can raise an escalation"
        )
    assert actor.agency is not None
    errors: dict[str, str] = {}
    if contact is not None and plan is not None:
        errors["decision"] = "Escalate one decision at a time: a contact or a plan, not both"
    if contact is not None and contact.child_id != child.pk:
        errors["contact"] = "That contact is about another child"
    if plan is not None and plan.child_id != child.pk:
        errors["plan"] = "That plan is for another child"
    if contact is not None and not contact.is_decided:
        errors["contact"] = "The front door has not decided this contact yet"
    if not disagreement.strip():
        errors["disagreement"] = "Say why you disagree with the decision"
    if errors:
        raise ValidationError(errors)
    if contact is not None:
        kind = DecisionKind.FRONT_DOOR
        other_party = contact.decided_by
        summary = decision_summary.strip() or (
            f"{contact.get_outcome_display()}: {contact.decision_rationale}"
        )
    elif plan is not None:
        kind = DecisionKind.PLAN
        other_party = plan.lead_practitioner
        summary = decision_summary.strip()
    else:
        kind = DecisionKind.OTHER
        other_party = None
        summary = decision_summary.strip()
    if not summary:
        raise ValidationError({"decision_summary": "Describe the decision you disagree with"})
    procedure = load_procedure()
    now = clock.now()
    escalation = Escalation(
        child=child,
        decision_kind=kind,
        contact=contact,
        plan=plan,
        decision_summary=summary,
        disagreement=disagreement.strip(),
        desired_outcome=desired_outcome.strip(),
        raised_by=actor,
        raised_by_agency=actor.agency,
        raised_at=now,
        other_party=other_party if other_party != actor else None,
        procedure_version=procedure.version,
        current_stage=procedure.first_stage.number,
    )
    escalation.full_clean()
    escalation.save()
    stage = _stage_open(escalation, procedure.first_stage.number)
    _chronology(
        actor,
        escalation,
        f"Escalation raised ({escalation.get_decision_kind_display().lower()}): "
        f"stage {stage.number}, {stage.name}, due {stage.due_on:%d %B %Y}",
    )
    _notify(
        escalation,
        exclude=actor,
        subject=f"{actor.display_name} disagrees with a decision about {child.full_name}",
        body=(
            f"Decision: {escalation.decision_summary}\n\nWhy they disagree: "
            f"{escalation.disagreement}\n\nStage {stage.number} ({stage.name}) should reach an "
            f"outcome by {stage.due_on:%d %B %Y}."
        ),
    )
    return escalation


@transaction.atomic
def escalation_stage_outcome_record(
    *,
    actor: User,
    escalation_id: int,
    stage: int,
    outcome: StageOutcome | str,
    note: str,
    next_stage: int | None = None,
) -> Escalation:
    """Record the outcome of the current stage: resolved, withdrawn, or escalated to the next.

    ``stage`` is the stage the actor believes they are acting on, so a stale page cannot record
    an outcome on a stage that has already moved on; ``next_stage`` (for an escalation) must be
    the very next stage: the procedure does not allow skipping.
    """
    Escalation.objects.select_for_update().filter(pk=escalation_id).values_list("pk").get()
    escalation = Escalation.objects.select_related("child__person", "raised_by").get(
        pk=escalation_id
    )
    if not can_act_on_escalation(actor, escalation):
        raise EscalationNotAllowedError(
            "Only the practitioners in the disagreement or a manager can record an outcome"
        )
    if not escalation.is_open:
        raise EscalationClosedError(
            f"This escalation was {escalation.get_status_display().lower()} on "
            f"{timezone.localtime(escalation.closed_at):%d %B %Y}; nothing more can be recorded"
        )
    if stage != escalation.current_stage:
        raise EscalationStageError(
            f"This escalation is at stage {escalation.current_stage}, not stage {stage}"
        )
    if outcome not in StageOutcome.values:
        raise ValidationError({"outcome": "Choose resolved, escalated or withdrawn"})
    if not note.strip():
        raise ValidationError({"note": "Record what was agreed or why it moves on"})
    outcome = StageOutcome(outcome)
    procedure = load_procedure()
    current = EscalationStage.objects.get(escalation=escalation, number=stage)
    today = clock.today()
    if outcome == StageOutcome.ESCALATED:
        if stage == procedure.last_stage.number:
            raise EscalationStageError(
                f"Stage {stage} ({current.name}) is the last stage of the procedure: record it "
                "as resolved or withdrawn"
            )
        wanted = stage + 1 if next_stage is None else next_stage
        if wanted != stage + 1:
            raise EscalationStageError(
                f"An escalation moves from stage {stage} to stage {stage + 1}; "
                f"it cannot go to stage {wanted}"
            )
    current.outcome = outcome
    current.outcome_note = note.strip()
    current.outcome_recorded_by = actor
    current.outcome_recorded_on = today
    current.save()
    now = clock.now()
    if outcome == StageOutcome.ESCALATED:
        escalation.current_stage = stage + 1
        opened = _stage_open(escalation, stage + 1)
        what = f"escalated to stage {opened.number}, {opened.name}, due {opened.due_on:%d %B %Y}"
    else:
        escalation.status = (
            EscalationStatus.RESOLVED
            if outcome == StageOutcome.RESOLVED
            else EscalationStatus.WITHDRAWN
        )
        escalation.closed_at = now
        what = f"{outcome.label.lower()} at stage {stage}"
    escalation.save()
    _chronology(actor, escalation, f"Escalation {what}: {current.outcome_note[:150]}")
    _notify(
        escalation,
        exclude=actor,
        subject=f"Escalation about {escalation.child.full_name} {what}",
        body=f"Recorded by {actor.display_name}: {current.outcome_note}",
    )
    return escalation


def _stage_open(escalation: Escalation, number: int) -> EscalationStage:
    stage = load_procedure().stage(number)
    today = clock.today()
    return EscalationStage.objects.create(
        escalation=escalation,
        number=stage.number,
        name=stage.name,
        started_on=today,
        due_on=stage.due_on(today),
    )


def _chronology(actor: User, escalation: Escalation, summary: str) -> None:
    assert actor.agency is not None
    chronology_event_record(
        actor=actor,
        child=escalation.child,
        agency=actor.agency,
        event_type="escalation.disagreement",
        occurred_at=clock.now(),
        summary=summary[:500],
        significance=Significance.MEDIUM,
        source_reference=f"escalation:{escalation.pk}",
    )


def _notify(escalation: Escalation, *, exclude: User, subject: str, body: str) -> None:
    link = reverse("escalation:detail", args=[escalation.pk])
    for recipient in (escalation.raised_by, escalation.other_party):
        if recipient is not None and recipient.pk != exclude.pk:
            notification_send(recipient=recipient, subject=subject[:200], body=body, link=link)
