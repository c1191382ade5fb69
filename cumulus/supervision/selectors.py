"""Reads of supervision, and the manager's list of cases without recorded oversight."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from cumulus.accounts.models import User
from cumulus.casework.models import Plan, PlanType
from cumulus.core import clock
from cumulus.people.models import Child
from cumulus.people.policies import visible_children
from cumulus.supervision.models import SupervisionAction, SupervisionRecord
from cumulus.supervision.standards import strictest_standard


def supervision_for_child(*, child: Child) -> QuerySet[SupervisionRecord]:
    return (
        SupervisionRecord.objects.filter(child_id=child.pk)
        .select_related("recorded_by", "agency")
        .prefetch_related("agencies_present", "actions")
        .order_by("-held_on", "-pk")
    )


def open_actions_for_child(*, child: Child) -> QuerySet[SupervisionAction]:
    return SupervisionAction.objects.filter(record__child_id=child.pk, done_on__isnull=True)


@dataclass(frozen=True)
class CaseWithoutOversight:
    child: Child
    plan_type: str
    standard_days: int
    last_oversight_on: dt.date | None
    since_on: dt.date
    days_without: int

    @property
    def plan_label(self) -> str:
        return str(PlanType(self.plan_type).label)


def last_oversight_by_child(child_ids: list[int]) -> dict[int, dt.date]:
    rows = (
        SupervisionRecord.objects.filter(child_id__in=child_ids)
        .values("child_id")
        .annotate(last=Max("held_on"))
    )
    return {row["child_id"]: row["last"] for row in rows}


def cases_without_oversight(
    *, viewer: User, today: dt.date | None = None
) -> list[CaseWithoutOversight]:
    """Open cases the viewer may see whose last recorded oversight (or, if none, the start of
    the open plan) is longer ago than the standard for the case's strictest open plan; the
    longest without oversight first."""
    day = today or clock.today()
    plans = Plan.objects.filter(
        ended_on__isnull=True, started_on__lte=day, child__in=visible_children(user=viewer)
    ).values_list("child_id", "plan_type", "started_on")
    by_child: dict[int, list[tuple[str, dt.date]]] = {}
    for child_id, plan_type, started_on in plans:
        by_child.setdefault(child_id, []).append((plan_type, started_on))
    last = last_oversight_by_child(list(by_child))
    late: list[tuple[int, str, int, dt.date | None, dt.date, int]] = []
    for child_id, open_plans in by_child.items():
        standard = strictest_standard(t for t, _ in open_plans)
        if standard is None:
            continue
        plan_type, days = standard
        since = last.get(child_id) or min(s for _, s in open_plans)
        without = (day - since).days
        if without > days:
            late.append((child_id, plan_type, days, last.get(child_id), since, without))
    children = Child.objects.select_related("person").in_bulk([row[0] for row in late])
    result = [
        CaseWithoutOversight(
            child=children[child_id],
            plan_type=plan_type,
            standard_days=days,
            last_oversight_on=last_on,
            since_on=since,
            days_without=without,
        )
        for child_id, plan_type, days, last_on, since, without in late
    ]
    return sorted(result, key=lambda row: (-row.days_without, row.child.pk))
