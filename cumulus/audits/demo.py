"""Three annual multi-agency neglect audit rounds for the demo partnership (Bury audits every
year), run through the real services: sample, two auditors from different agencies per case,
moderation, with practice improving a little each year so the comparison has a story."""

from __future__ import annotations

import datetime as dt
import random

from cumulus.accounts.models import User
from cumulus.audits import services
from cumulus.audits.instrument import audit_instrument, criteria
from cumulus.audits.models import RoundStatus
from cumulus.audits.selectors import population
from cumulus.core.errors import CumulusError

ROUNDS = (
    (730, "Neglect audit, year 1"),
    (365, "Neglect audit, year 2"),
    (30, "Neglect audit, year 3"),
)


def load_demo_audits(
    *, unit: User, auditors: list[User], today: dt.date, seed: int, cases: int = 10
) -> int:
    """Returns the number of rounds made (a round is skipped if nobody meets its criteria)."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    items = [item for _, _, item in criteria(audit_instrument().definition)]
    made = 0
    for year, (days_ago, title) in enumerate(ROUNDS):
        held_on = today - dt.timedelta(days=days_ago)
        audit_round = services.round_create(
            actor=unit,
            title=title,
            held_on=held_on,
            plan_types=["child_in_need", "child_protection"],
            sample_size=cases,
            seed=seed + year,
            strata=["plan_type"],
            minimum_per_stratum=2,
        )
        size = len(population(audit_round=audit_round))
        if size < 4:
            continue
        audit_round.sample_size = min(cases, size)
        audit_round.save()
        try:
            services.sample_draw(actor=unit, audit_round=audit_round)
        except CumulusError:
            continue
        services.auditors_assign(actor=unit, audit_round=audit_round, auditors=auditors)
        good = 0.35 + 0.15 * year  # the chance a criterion is graded good or better
        for case in audit_round.cases.all():
            agreed: dict[str, object] = {}
            for item in items:
                agreed[item] = rng.choice((3, 4)) if rng.random() < good else rng.choice((1, 2, 2))
            agreed["voice.evident"] = rng.random() < good + 0.2
            agreed["assessment.gcp2_used"] = rng.random() < good
            agreed["assessment.family_history"] = rng.random() < 0.7
            for n, assignment in enumerate(case.assignments.all()):
                raw = {
                    k: ("yes" if v else "no") if isinstance(v, bool) else str(v)
                    for k, v in agreed.items()
                }
                if n == 1 and rng.random() < 0.3:  # the second auditor sees one criterion otherwise
                    item = rng.choice(items)
                    raw[item] = str(max(1, min(4, int(raw[item]) + rng.choice((-1, 1)))))
                services.grading_submit(
                    actor=assignment.auditor,
                    assignment=assignment,
                    raw=raw,
                    actions=["Record the child's own words in the plan"]
                    if rng.random() < 0.2
                    else [],
                    due_on=held_on + dt.timedelta(days=90),
                )
            final = {
                k: ("yes" if v else "no") if isinstance(v, bool) else str(v)
                for k, v in agreed.items()
            }
            services.moderation_record(
                actor=unit, case=case, raw=final, note="Agreed at the moderation panel."
            )
        if year < len(ROUNDS) - 1:
            services.round_close(actor=unit, audit_round=audit_round)
        made += 1
    assert all(r in RoundStatus.values for r in (RoundStatus.SAMPLED, RoundStatus.CLOSED))
    return made
