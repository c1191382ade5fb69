"""Action plan reads, filtered by what the viewer may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cumulus.actionplan.models import ActionItem, ItemStatus
from cumulus.actionplan.policies import can_view_action_item, is_business_unit
from cumulus.core import clock
from cumulus.strategy.models import Strategy


def action_item_list(*, viewer: Any, strategy: Strategy) -> QuerySet[ActionItem]:
    """The whole plan for the business unit; an agency lead's own agency's items otherwise."""
    items = ActionItem.objects.filter(strategy=strategy).select_related(
        "aim", "lead_agency", "strategy"
    )
    if is_business_unit(viewer):
        return items
    return items.filter(lead_agency_id=viewer.agency_id)


def action_item_get(*, viewer: Any, action_item_id: int) -> ActionItem:
    item = (
        ActionItem.objects.select_related("aim", "lead_agency", "strategy")
        .filter(pk=action_item_id)
        .first()
    )
    if item is None or not can_view_action_item(viewer, item):
        raise Http404
    return item


def is_overdue(item: ActionItem, *, today: dt.date | None = None) -> bool:
    return item.status == ItemStatus.OPEN and item.due_on < (today or clock.today())


def overdue_list(
    *, viewer: Any, strategy: Strategy, today: dt.date | None = None
) -> QuerySet[ActionItem]:
    """Open items past their due date, the longest overdue first."""
    return action_item_list(viewer=viewer, strategy=strategy).filter(
        status=ItemStatus.OPEN, due_on__lt=today or clock.today()
    )


def agency_plan(
    *, viewer: Any, strategy: Strategy, agency_id: int
) -> list[tuple[dict[str, str], list[ActionItem]]]:
    """One agency's plan: its items under each of the template's objectives, in order."""
    items = list(
        action_item_list(viewer=viewer, strategy=strategy).filter(lead_agency_id=agency_id)
    )
    return [
        (objective, [i for i in items if i.objective == objective["key"]])
        for objective in strategy.action_plan_objectives
    ]


def rag_counts(*, strategy: Strategy, on: dt.date | None = None) -> dict[str, int]:
    """Open items by RAG, plus completed and overdue, across the whole plan (for the report)."""
    today = on or clock.today()
    items = ActionItem.objects.filter(strategy=strategy)
    counts = {"red": 0, "amber": 0, "green": 0, "complete": 0, "overdue": 0}
    for item in items:
        if item.status == ItemStatus.COMPLETE and (item.completed_on or today) <= today:
            counts["complete"] += 1
            continue
        counts[item.rag] += 1
        if item.due_on < today:
            counts["overdue"] += 1
    return counts
