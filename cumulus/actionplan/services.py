"""Action plan writes: create an item, record an update. Each is atomic, checks the actor, and
writes the item's history row in the same transaction; a RAG change needs its evidence."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.actionplan.models import ActionItem, ActionItemUpdate, ItemStatus, Rag
from cumulus.actionplan.policies import can_manage_action_plan, can_update_action_item
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.strategy.models import Strategy, StrategyAim


class ActionPlanNotAllowedError(CumulusError):
    """The user may not create or change this action plan item."""


class ActionItemClosedError(CumulusError):
    """The item is complete: nothing more can be recorded on it."""


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    strategy: Strategy,
    aim: StrategyAim,
    objective: str,
    activity: str,
    lead_agency: Agency,
    lead_person: str,
    due_on: dt.date,
    rag: str = Rag.AMBER,
    evidence: str = "",
) -> ActionItem:
    """Add an item to ``strategy``'s plan under one of its template objectives."""
    if not can_manage_action_plan(actor):
        raise ActionPlanNotAllowedError("Only the business unit adds items to the action plan")
    errors: dict[str, str] = {}
    if aim.strategy_id != strategy.pk or aim.withdrawn:
        errors["aim"] = "Choose one of this strategy's aims"
    keys = [o["key"] for o in strategy.action_plan_objectives]
    if objective not in keys:
        errors["objective"] = f"Choose one of the plan's objectives: {', '.join(keys)}"
    if not activity.strip():
        errors["activity"] = "Say what the activity is"
    if not lead_person.strip():
        errors["lead_person"] = "Name the person who leads it"
    if rag not in Rag.values:
        errors["rag"] = "Choose red, amber or green"
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        strategy=strategy,
        aim=aim,
        objective=objective,
        activity=activity.strip(),
        lead_agency=lead_agency,
        lead_person=lead_person.strip(),
        due_on=due_on,
        rag=rag,
        rag_evidence=evidence.strip(),
        created_by=actor,
    )
    ActionItemUpdate.objects.create(
        item=item,
        recorded_at=clock.now(),
        recorded_on=clock.today(),
        recorded_by=actor,
        rag_after=rag,
        evidence=evidence.strip(),
        note="Added to the action plan.",
    )
    return item


@transaction.atomic
def action_item_update(
    *,
    actor: User,
    item: ActionItem,
    rag: str,
    evidence: str = "",
    note: str = "",
    complete: bool = False,
    recorded_on: dt.date | None = None,
) -> ActionItemUpdate:
    """Record progress on ``item``: a new RAG (with evidence), a note, or its completion."""
    if not can_update_action_item(actor, item):
        raise ActionPlanNotAllowedError("Only the lead agency or the business unit updates this")
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    if locked.status == ItemStatus.COMPLETE:
        raise ActionItemClosedError("This item is complete; add a new item for further work")
    errors: dict[str, str] = {}
    if rag not in Rag.values:
        errors["rag"] = "Choose red, amber or green"
    elif rag != locked.rag and not evidence.strip():
        errors["evidence"] = (
            f"Give the evidence for changing the status from {locked.get_rag_display()} "
            f"to {Rag(rag).label}"
        )
    if complete and not evidence.strip():
        errors["evidence"] = "Give the evidence that the activity is complete"
    if rag == locked.rag and not (evidence.strip() or note.strip() or complete):
        errors["note"] = "Say what has happened since the last update"
    on = recorded_on or clock.today()
    if on > clock.today():
        errors["recorded_on"] = "An update cannot be dated in the future"
    if errors:
        raise ValidationError(errors)
    update = ActionItemUpdate.objects.create(
        item=locked,
        recorded_at=clock.now(),
        recorded_on=on,
        recorded_by=actor,
        rag_before=locked.rag,
        rag_after=rag,
        evidence=evidence.strip(),
        note=note.strip(),
        completed=complete,
    )
    locked.rag = rag
    if evidence.strip():
        locked.rag_evidence = evidence.strip()
    if complete:
        locked.status = ItemStatus.COMPLETE
        locked.completed_on = on
    locked.save()
    item.refresh_from_db()
    return update
