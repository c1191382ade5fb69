"""Demo data: the catalogue, and a plausible handful of referrals from the demo's open plans."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from cumulus.accounts.models import User
from cumulus.casework.models import Plan
from cumulus.core import clock
from cumulus.interventions.models import Completion
from cumulus.interventions.selectors import eligible_interventions
from cumulus.interventions.services import (
    intervention_catalogue_load,
    intervention_referral_create,
    intervention_referral_end,
    intervention_referral_start,
)
from cumulus.people.policies import can_view_child

DEMO_REFERRALS = 12
MEASURE = "Parenting change scale (demo, 0-40)"


def load_demo_interventions(*, actor: User, seed: int = 2026) -> int:
    """Load the catalogue and refer up to ``DEMO_REFERRALS`` open plans the actor can see;
    returns how many referrals were made. Older referrals have ended, with scores."""
    intervention_catalogue_load()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = clock.today()
    made = 0
    plans = Plan.objects.filter(ended_on__isnull=True, started_on__lt=today).select_related(
        "child__person"
    )
    for plan in plans.order_by("started_on", "pk")[: DEMO_REFERRALS * 3]:
        if made >= DEMO_REFERRALS or not can_view_child(actor, plan.child):
            continue
        choices = eligible_interventions(plan=plan)
        if not choices:
            continue
        intervention = rng.choice(choices)
        days_open = (today - plan.started_on).days
        referred_on = plan.started_on + dt.timedelta(days=min(14, days_open))
        before = Decimal(rng.randint(8, 20))
        referral = intervention_referral_create(
            actor=actor,
            plan=plan,
            intervention=intervention,
            referred_on=referred_on,
            measure=MEASURE,
            score_before=before,
        )
        made += 1
        started_on = referred_on + dt.timedelta(days=14)
        if started_on > today:
            continue
        if rng.random() < 0.15:
            intervention_referral_end(
                actor=actor,
                referral_id=referral.pk,
                ended_on=started_on,
                completion=Completion.DECLINED,
            )
            continue
        intervention_referral_start(actor=actor, referral_id=referral.pk, started_on=started_on)
        ended_on = started_on + dt.timedelta(days=120)
        if ended_on > today:
            continue
        completed = rng.random() < 0.7
        intervention_referral_end(
            actor=actor,
            referral_id=referral.pk,
            ended_on=ended_on,
            completion=Completion.COMPLETED if completed else Completion.DROPPED_OUT,
            score_after=before + Decimal(rng.randint(2, 12) if completed else rng.randint(-3, 3)),
        )
    return made
