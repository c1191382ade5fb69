"""The training section of the board's governance report: uptake by agency, places filled,
confidence before and after, and 7-minute briefings read, for the report's quarter."""

from __future__ import annotations

from cumulus.governance.sections import BarChart, GovernanceSection, ReportPeriod, Table
from cumulus.training import selectors


def governance_section(period: ReportPeriod, strategy_slug: str) -> GovernanceSection:
    start, end = period.start, period.end
    uptake = selectors.uptake_by_agency(start=start, end=end)
    months = sorted({r.month for r in uptake})
    agencies = sorted({r.agency for r in uptake})
    cell = {(r.agency, r.month): r.attended for r in uptake}
    by_agency = {a: sum(cell.get((a, m), 0) for m in months) for a in agencies}
    filled = selectors.places_filled(start=start, end=end)
    evaluations = selectors.evaluation_summary(start=start, end=end)
    briefings = selectors.briefing_reads(start=start, end=end)
    rated = sum(e.rated for e in evaluations)
    improved = sum(e.improved for e in evaluations)
    summary = [
        f"{filled.attended} of {filled.offered} training places filled on {filled.sessions} "
        f"sessions" + (f" ({filled.percent}%)." if filled.percent is not None else "."),
        (
            f"Confidence rose for {improved} of {rated} attendees who rated it before and after "
            f"({round(100 * improved / rated, 1)}%)."
            if rated
            else "No attendee rated their confidence before and after this quarter."
        ),
        f"{len(briefings)} 7-minute briefings sent, read {sum(b.reads for b in briefings)} times.",
    ]
    return GovernanceSection(
        key="training",
        title="Training and 7-minute briefings",
        summary=summary,
        tables=[
            Table(
                title="Attended places by agency and month",
                headers=["Agency", *[f"{m:%b %Y}" for m in months], "Total"],
                rows=[[a, *[cell.get((a, m), 0) for m in months], by_agency[a]] for a in agencies],
            ),
            Table(
                title="Confidence before and after (1 to 5)",
                headers=["Course", "Rated", "Mean before", "Mean after", "Confidence rose (%)"],
                rows=[
                    [e.course, e.rated, e.mean_before, e.mean_after, e.improved_percent]
                    for e in evaluations
                ],
            ),
            Table(
                title="7-minute briefings",
                headers=["Briefing", "Sent", "Agencies", "Read by"],
                rows=[
                    [b.title, b.published_on.isoformat(), b.agencies, b.reads] for b in briefings
                ],
            ),
        ],
        charts=[
            BarChart(
                title="Attended places by agency",
                categories=list(by_agency),
                values=[float(v) for v in by_agency.values()],
                unit="places",
            )
        ],
    )
