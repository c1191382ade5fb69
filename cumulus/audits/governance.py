"""The audits section of the board's governance report: the rounds held in or near the
quarter, the agreed grades per criterion, the change since the previous round, and the
actions still outstanding."""

from __future__ import annotations

import datetime as dt

from cumulus.audits import selectors
from cumulus.audits.models import AuditRound
from cumulus.governance.sections import BarChart, GovernanceSection, ReportPeriod, Table

# A round held up to this long before the quarter is still reported (audits are annual or
# six-monthly; the board reads the latest one).
NEAR_DAYS = 183
THEME = "neglect"


def _rounds_near(period: ReportPeriod) -> list[AuditRound]:
    since = period.start - dt.timedelta(days=NEAR_DAYS)
    return [r for r in selectors.rounds_of_theme(THEME, until=period.end) if r.held_on >= since]


def governance_section(period: ReportPeriod, strategy_slug: str) -> GovernanceSection:
    rounds = _rounds_near(period)
    outstanding = list(selectors.actions_outstanding(on=period.end))
    overdue = [a for a in outstanding if a.due_on and a.due_on < period.end]
    if not rounds:
        return GovernanceSection(
            key="audits",
            title="Multi-agency audits",
            summary=[
                f"No multi-agency neglect audit was held in {period.label} or the six months "
                "before it.",
                f"{len(outstanding)} audit actions outstanding.",
            ],
        )
    latest = rounds[-1]
    previous = selectors.previous_round(latest)
    labels = selectors.labels_for(latest)
    grades = sorted(labels, reverse=True)
    now = selectors.grade_distribution(latest)
    before = {x.criterion: x for x in selectors.grade_distribution(previous)} if previous else {}
    voice, agreed = selectors.voice_evident_share(latest)
    summary = [
        f"Latest round: {latest.title}, held {latest.held_on:%d %B %Y}; {agreed} cases with "
        f"agreed grades (population {latest.population_size or 0}).",
        f"The voice of the child was evident in {voice} of {agreed} audited cases.",
        f"{len(outstanding)} audit actions outstanding, {len(overdue)} past their due date.",
    ]
    if previous:
        summary.append(
            f"Compared with the previous round, {previous.title} ({previous.held_on:%B %Y})."
        )
    history = selectors.longitudinal(THEME, until=period.end)
    return GovernanceSection(
        key="audits",
        title="Multi-agency audits",
        summary=summary,
        tables=[
            Table(
                title=f"Agreed grades per criterion, {latest.title}",
                headers=[
                    "Criterion",
                    *[labels[g] for g in grades],
                    "Good or better (%)",
                    "Previous round (%)",
                ],
                rows=[
                    [
                        x.title,
                        *[x.counts.get(g, 0) for g in grades],
                        x.share_good_or_better(),
                        before[x.criterion].share_good_or_better()
                        if x.criterion in before
                        else None,
                    ]
                    for x in now
                ],
            ),
            Table(
                title="Good or better, round by round (%)",
                headers=["Criterion", *[f"{r.held_on:%b %Y}" for r in history.rounds]],
                rows=[[title, *[s for s, _ in history.shares[c]]] for c, title in history.criteria],
            ),
            Table(
                title="Audit actions outstanding",
                headers=["Action", "Agency", "Due", "Round"],
                rows=[
                    [
                        a.text,
                        a.agency.name if a.agency else "",
                        a.due_on.isoformat() if a.due_on else None,
                        a.case.audit_round.title,
                    ]
                    for a in outstanding
                ],
            ),
        ],
        charts=[
            BarChart(
                title="Share of cases good or better, by criterion",
                categories=[x.title for x in now],
                values=[float(x.share_good_or_better() or 0) for x in now],
                unit="%",
            )
        ],
    )
