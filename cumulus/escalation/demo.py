"""Demo data: one escalation about a plan decision, left past its stage 1 timescale, so the
team manager's oversight page has something to act on."""

from __future__ import annotations

import datetime as dt

from cumulus.accounts.models import User
from cumulus.casework.models import Plan
from cumulus.core import clock
from cumulus.core.working_days import add_working_days
from cumulus.escalation.models import Escalation, EscalationStage
from cumulus.escalation.procedure import load_procedure
from cumulus.escalation.services import escalation_raise
from cumulus.people.policies import can_view_child

DAYS_AGO = 10  # working days since it was raised


def load_demo_escalation(*, raisers: list[User], manager: User) -> Escalation | None:
    """Raise one escalation from the first demo practitioner who shares an open-plan child with
    the manager, then move it back in time so its first stage is overdue."""
    plans = Plan.objects.filter(ended_on__isnull=True).select_related("child__person")
    for plan in plans.order_by("started_on", "pk")[:200]:
        if not can_view_child(manager, plan.child):
            continue
        raiser = next((u for u in raisers if can_view_child(u, plan.child)), None)
        if raiser is None:
            continue
        escalation = escalation_raise(
            actor=raiser,
            child=plan.child,
            plan=plan,
            decision_summary=f"Decision to keep the {plan} without a review of progress",
            disagreement="Nothing has changed at home for months; the plan is drifting.",
            desired_outcome="A review of the plan with every agency this month.",
        )
        raised_on = add_working_days(clock.today(), -DAYS_AGO)
        stage = EscalationStage.objects.get(escalation=escalation)
        stage.started_on = raised_on
        stage.due_on = add_working_days(
            raised_on, load_procedure().stage(stage.number).working_days
        )
        stage.save()
        Escalation.objects.filter(pk=escalation.pk).update(
            raised_at=escalation.raised_at - dt.timedelta(days=(clock.today() - raised_on).days)
        )
        return escalation
    return None
