"""What the family sees of a plan, in plain words, with everything marked not for the family
left out here (never only hidden in a template)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from cumulus.casework.models import (
    OutcomeStatus,
    Plan,
    PlanType,
    ProgressRating,
    StatementKind,
)
from cumulus.core import clock
from cumulus.family.models import FamilyAccount, FamilyFeedback
from cumulus.family.policies import family_child_ids, family_plans

PLAIN_PLAN_NAMES = {
    PlanType.EARLY_HELP: "Your family's plan with early help",
    PlanType.CHILD_IN_NEED: "Your family's plan with children's services (child in need plan)",
    PlanType.CHILD_PROTECTION: "The plan to keep {name} safe (child protection plan)",
    PlanType.LOOKED_AFTER: "{name}'s care plan",
}
PLAIN_STATUS = {
    OutcomeStatus.NOT_STARTED: "Not started yet",
    OutcomeStatus.IN_PROGRESS: "Happening now",
    OutcomeStatus.ACHIEVED: "Done",
    OutcomeStatus.NOT_ACHIEVED: "Not done yet",
}
PLAIN_PROGRESS = {
    ProgressRating.GOOD: "Things have got a lot better",
    ProgressRating.SOME: "Things have got a bit better",
    ProgressRating.INSUFFICIENT: "Things have not got better enough yet",
    ProgressRating.NONE: "Things have not changed yet",
}


@dataclass(frozen=True)
class FamilyGoal:
    what: str
    who: str
    due_on: dt.date
    status: str
    progress: str


@dataclass(frozen=True)
class FamilyHelper:
    name: str
    agency: str
    role: str


@dataclass(frozen=True)
class FamilyPlanView:
    plan_id: int
    child_name: str
    title: str
    started_on: dt.date
    worries: list[str]
    safety_goals: list[str]
    goals: list[FamilyGoal]
    helpers: list[FamilyHelper]
    next_due: list[tuple[dt.date, str]]
    progress: list[tuple[dt.date, str]]


def family_children_names(*, account: FamilyAccount) -> list[str]:
    """The names of the account's own children (or their own name, for a young person)."""
    from cumulus.people.models import Person

    people = Person.objects.filter(pk__in=family_child_ids(account)).order_by("given_name")
    return [p.full_name for p in people]


def family_plan_list(*, account: FamilyAccount) -> QuerySet[Plan]:
    return family_plans(account).select_related("child__person").order_by("started_on", "pk")


def family_plan_get(*, account: FamilyAccount, plan_id: int) -> FamilyPlanView:
    """The plan as the family sees it; ``Plan.DoesNotExist`` if it is not theirs."""
    plan = family_plan_list(account=account).get(pk=plan_id)
    name = plan.child.person.given_name or plan.child.full_name
    statements = plan.statements.filter(not_for_family=False)
    outcomes = list(plan.outcomes.filter(not_for_family=False).order_by("due_on", "pk"))
    today = clock.today()
    next_due = [
        (o.due_on, o.what)
        for o in outcomes
        if o.status not in (OutcomeStatus.ACHIEVED,) and o.due_on >= today
    ][:3]
    if plan.review_due_on:
        next_due.append((plan.review_due_on, "Everyone meets to look at how the plan is going"))
    return FamilyPlanView(
        plan_id=plan.pk,
        child_name=plan.child.full_name,
        title=PLAIN_PLAN_NAMES[PlanType(plan.plan_type)].format(name=name),
        started_on=plan.started_on,
        worries=[s.text for s in statements if s.kind == StatementKind.DANGER],
        safety_goals=[s.text for s in statements if s.kind == StatementKind.SAFETY_GOAL],
        goals=[
            FamilyGoal(o.what, o.who, o.due_on, PLAIN_STATUS[OutcomeStatus(o.status)], o.progress)
            for o in outcomes
        ],
        helpers=[
            FamilyHelper(
                m.practitioner.display_name if m.practitioner else "",
                m.agency.name,
                m.role,
            )
            for m in plan.team.filter(left_on__isnull=True).select_related("agency", "practitioner")
        ],
        next_due=sorted(next_due),
        progress=[
            (
                r.held_on,
                PLAIN_PROGRESS.get(ProgressRating(r.progress), "")
                if r.progress
                else "A review was held",
            )
            for r in plan.reviews.order_by("-held_on", "-pk")
        ],
    )


def family_feedback_list(*, account: FamilyAccount, plan_id: int) -> QuerySet[FamilyFeedback]:
    return FamilyFeedback.objects.filter(account=account, plan_id=plan_id)


def plan_feedback_list(*, plan: Plan) -> QuerySet[FamilyFeedback]:
    """What every family member said about the plan, for the practitioners (caller checks)."""
    return FamilyFeedback.objects.filter(plan_id=plan.pk).select_related("account__person")
