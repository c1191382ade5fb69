"""Synthetic action plan for the demo and the report tests: items under every objective of the
strategy's template, led by several agencies, with mixed RAG, dated history, some complete and
some overdue. The same seed and date give the same plan."""

from __future__ import annotations

import datetime as dt
import random

from cumulus.accounts.models import Agency, User
from cumulus.actionplan.models import ActionItem, Rag
from cumulus.actionplan.services import action_item_create, action_item_update
from cumulus.core import clock
from cumulus.strategy.models import Strategy

ACTIVITIES = [
    "Run two basic neglect awareness sessions for front-line staff",
    "Audit a sample of neglect cases for use of the graded care tool",
    "Publish a 7-minute briefing on adolescent neglect",
    "Add neglect screening to the agency's induction for new starters",
    "Review the referral pathway with the front door and agree changes",
    "Report the agency's neglect figures to the subgroup each quarter",
    "Hold a reflective practice session on a neglect case",
    "Check that the child's voice is recorded in every neglect plan",
    "Train safeguarding leads to use the neglect toolkit",
    "Survey practitioners' confidence before and after training",
]
EVIDENCE = {
    Rag.RED: "Sessions cancelled twice through staff shortage; no new date agreed.",
    Rag.AMBER: "Half the planned work done; the rest depends on the new team manager starting.",
    Rag.GREEN: "Work on schedule: attendance lists and minutes held by the agency lead.",
}


def load_demo_action_plan(
    *,
    strategy: Strategy,
    actor: User,
    agencies: list[Agency],
    seed: int = 2026,
    today: dt.date | None = None,
) -> list[ActionItem]:
    """Two or three items per template objective; about a third overdue, a few complete."""
    rng = random.Random(f"actionplan:{strategy.slug}:{seed}")  # noqa: S311 - demo data
    today = today or clock.today()
    aims = list(strategy.aims.filter(withdrawn=False))
    items: list[ActionItem] = []
    for o_index, objective in enumerate(strategy.action_plan_objectives):
        for n in range(2 + (o_index % 2)):
            agency = agencies[(o_index + n) % len(agencies)]
            overdue = rng.random() < 0.35
            due = today + dt.timedelta(
                days=-rng.randint(5, 60) if overdue else rng.randint(20, 200)
            )
            first = rng.choice([Rag.GREEN, Rag.AMBER])
            item = action_item_create(
                actor=actor,
                strategy=strategy,
                aim=aims[(o_index + n) % len(aims)],
                objective=objective["key"],
                activity=rng.choice(ACTIVITIES),
                lead_agency=agency,
                lead_person=f"{agency.name} safeguarding lead",
                due_on=due,
                rag=first,
                evidence="Agreed at the subgroup; baseline recorded.",
            )
            later = rng.choice([Rag.RED, Rag.AMBER, Rag.GREEN])
            if later != first:
                action_item_update(
                    actor=actor,
                    item=item,
                    rag=later,
                    evidence=EVIDENCE[Rag(later)],
                    recorded_on=today - dt.timedelta(days=rng.randint(3, 40)),
                )
            if not overdue and later == Rag.GREEN and rng.random() < 0.4:
                action_item_update(
                    actor=actor,
                    item=item,
                    rag=Rag.GREEN,
                    evidence="Completed: the agency lead sent the attendance record and feedback.",
                    complete=True,
                    recorded_on=today - dt.timedelta(days=1),
                )
            items.append(item)
    return items
