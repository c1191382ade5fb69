"""Supervision writes: record a discussion with its decisions and actions; complete an action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.chronology.models import Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child
from cumulus.supervision.models import SupervisionAction, SupervisionKind, SupervisionRecord
from cumulus.supervision.policies import can_record_supervision


class SupervisionNotAllowedError(CumulusError):
    """The practitioner may not record this supervision."""


@dataclass(frozen=True)
class ActionInput:
    action: str
    owner: str
    due_on: dt.date


@transaction.atomic
def supervision_record(
    *,
    actor: User,
    child: Child,
    kind: SupervisionKind | str,
    held_on: dt.date,
    attendees: str,
    discussion: str,
    decisions: str,
    agencies: Sequence[Agency] = (),
    actions: Sequence[ActionInput] = (),
) -> SupervisionRecord:
    """Record one supervision or reflective discussion; every action needs who and by when."""
    if kind not in SupervisionKind.values:
        raise ValidationError({"kind": "Choose the kind of supervision"})
    if not can_record_supervision(actor, child, kind):
        raise SupervisionNotAllowedError(
            "Only a manager can record management oversight"
            if can_view_child(actor, child)
            else "You can only record supervision for a child you work with"
        )
    assert actor.agency is not None
    errors: dict[str, str] = {}
    if held_on > clock.today():
        errors["held_on"] = "The date it was held must be today or in the past"
    for field, value in (
        ("attendees", attendees),
        ("discussion", discussion),
        ("decisions", decisions),
    ):
        if not value.strip():
            errors[field] = f"Record the {field}" if field != "attendees" else "Say who took part"
    present = {a.pk: a for a in (actor.agency, *agencies)}
    if kind == SupervisionKind.MULTI_AGENCY and len(present) < 2:
        errors["agencies"] = "Multi-agency supervision needs at least two agencies present"
    for number, item in enumerate(actions, start=1):
        if not item.action.strip() or not item.owner.strip():
            errors["actions"] = f"Action {number} needs what is to be done and who does it"
        elif item.due_on < held_on:
            errors["actions"] = f"Action {number} is due before the supervision was held"
    if errors:
        raise ValidationError(errors)
    record = SupervisionRecord(
        child=child,
        kind=kind,
        held_on=held_on,
        recorded_by=actor,
        agency=actor.agency,
        attendees=attendees.strip(),
        discussion=discussion.strip(),
        decisions=decisions.strip(),
    )
    record.full_clean()
    record.save()
    record.agencies_present.set(present.values())
    SupervisionAction.objects.bulk_create(
        SupervisionAction(
            record=record, action=a.action.strip(), owner=a.owner.strip(), due_on=a.due_on
        )
        for a in actions
    )
    chronology_event_record(
        actor=actor,
        child=child,
        agency=actor.agency,
        event_type="supervision.recorded",
        occurred_at=clock.now(),
        summary=f"{record.get_kind_display()} held {held_on:%d %B %Y}: {record.decisions[:200]}",
        significance=Significance.LOW,
        source_reference=f"supervision:{record.pk}",
    )
    return record


@transaction.atomic
def supervision_action_complete(
    *, actor: User, action_id: int, done_on: dt.date
) -> SupervisionAction:
    action = (
        SupervisionAction.objects.select_for_update()
        .select_related("record__child")
        .get(pk=action_id)
    )
    if not can_view_child(actor, action.record.child):
        raise SupervisionNotAllowedError("You can only update actions for a child you work with")
    if action.done_on is not None:
        raise ValidationError({"done_on": f"This action was already done on {action.done_on}"})
    if done_on > clock.today() or done_on < action.record.held_on:
        raise ValidationError(
            {"done_on": "The date done must be between the supervision and today"}
        )
    action.done_on = done_on
    action.save()
    return action
