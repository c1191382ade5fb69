"""The headline indicators: the strategy's indicator profile at the quarter's last month, the
quarter before and a year before, with each indicator's trend. Reuses the booklet's content
(``cumulus.indicators.booklet``) so the board and the booklet never disagree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cumulus.governance.sections import GovernanceSection, ReportPeriod, Table, Trend
from cumulus.indicators.booklet import booklet_content
from cumulus.strategy.selectors import strategy_get


def _value_at(rows: list[dict[str, Any]], end: dt.date) -> float | None:
    found = [
        r for r in rows if r["period_end"] <= end and r["period_end"] > end - dt.timedelta(days=31)
    ]
    return found[-1]["value"] if found else None


def governance_section(period: ReportPeriod, strategy_slug: str) -> GovernanceSection:
    strategy = strategy_get(slug=strategy_slug)
    profile = strategy.config["indicator_profile"]
    content = booklet_content(profile=profile, month=period.end.replace(day=1))
    previous = period.start - dt.timedelta(days=1)
    year_before = period.end.replace(year=period.end.year - 1)
    rows: list[list[object]] = []
    trends: list[Trend] = []
    with_values = 0
    for section in content["sections"]:
        for item in section["items"]:
            ind = item["ind"]
            series = [r for r in item["rows"] if r.get("group", "all") == "all"]
            now = _value_at(series, period.end)
            with_values += now is not None
            rows.append(
                [
                    section["title"],
                    ind.title,
                    now,
                    _value_at(series, previous),
                    _value_at(series, year_before),
                    ind.unit.replace("_", " "),
                    " ".join(item["notes"]),
                ]
            )
            points = [
                (r["period_end"], float(r["value"])) for r in series if r["value"] is not None
            ]
            if len(points) >= 2:
                trends.append(
                    Trend(title=ind.title, points=points, unit=ind.unit.replace("_", " "))
                )
    summary = [
        f"The {profile} indicator profile: {len(rows)} indicators, {with_values} with a value "
        f"for the month ending {period.end:%d %B %Y}.",
    ]
    if not with_values:
        summary.append(
            "No indicator results cover this quarter yet: run `cumulus indicators_refresh`."
        )
    return GovernanceSection(
        key="headline_indicators",
        title="Headline indicators",
        summary=summary,
        tables=[
            Table(
                title="Indicators at the quarter's end",
                headers=[
                    "Section",
                    "Indicator",
                    "This quarter",
                    "Previous quarter",
                    "A year before",
                    "Unit",
                    "Data quality",
                ],
                rows=rows,
            )
        ],
        trends=trends,
    )
