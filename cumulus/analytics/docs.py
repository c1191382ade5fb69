"""docs/indicators.md, generated from the catalogue so the two cannot drift.

python3 -m uv run python -m cumulus.analytics.docs --write    # regenerate
python3 -m uv run python -m cumulus.analytics.docs --check    # exit 1 if stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import BREAKDOWNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
UNITS = {
    "count": "count",
    "per_10000": "rate per 10,000 children aged 0-17",
    "percentage": "percentage",
    "median_days": "median days",
    "median_working_days": "median working days",
    "ratio": "ratio",
}
PERIODS = {
    "month": "the calendar month",
    "rolling_12_months": "the 12 months to the period end (the March value is the DfE year)",
    "snapshot": "a snapshot at the period end (the March value is 'at 31 March')",
}
GOOD = {
    "up": "higher is better",
    "down": "lower is better",
    "context": "context: no good direction",
}
SEEDS = {
    "national": "DfE national statistics",
    "newcastle": "Newcastle",
    "hillingdon": "Hillingdon",
    "bury": "Bury",
    "norfolk": "Norfolk",
    "cumbria": "Cumbria",
}


def render() -> str:
    lines = [
        "# Indicators",
        "",
        "Generated from `cumulus/analytics/catalogue.py` by `python -m cumulus.analytics.docs "
        "--write`; do not edit by hand. How they are computed: [analytics.md](analytics.md).",
        "",
        "| id | title | unit | period | asked for by |",
        "|---|---|---|---|---|",
    ]
    for ind in CATALOGUE.values():
        seeds = ", ".join(SEEDS[s] for s in ind.seeds)
        lines.append(
            f"| [`{ind.id}`](#{ind.id.replace('_', '-')}) | {ind.title} | {UNITS[ind.unit]} "
            f"| {ind.period.replace('_', ' ')} | {seeds} |"
        )
    for ind in CATALOGUE.values():
        breakdowns = [BREAKDOWNS[b] for b in ind.breakdowns]
        if ind.extra:
            breakdowns.append(ind.extra.replace("_", " "))
        lines += [
            "",
            f"## {ind.id.replace('_', '-')}",
            "",
            f"**{ind.title}.** {ind.definition}",
            "",
            f"- Numerator: {ind.numerator}",
            f"- Denominator: {ind.denominator}",
            f"- Period: {PERIODS[ind.period]}",
            f"- Unit: {UNITS[ind.unit]}; counts {'children' if ind.count == 'children' else 'rows'}",  # noqa: E501
            f"- Direction: {GOOD[ind.good]}",
            f"- Breakdowns: {', '.join(breakdowns) or 'none (partnership total only)'}",
            f"- Asked for by: {', '.join(SEEDS[s] for s in ind.seeds)}",
            f"- Extract tables: {', '.join(f'`{s}`' for s in ind.sources)}",
        ]
        if ind.national:
            lines.append(f"- National figure: {ind.national}")
        if ind.caveat:
            lines.append(f"- Caveat: {ind.caveat}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if "--write" in argv:
        DOC.write_text(render())
        return 0
    if "--check" in argv:
        return 0 if DOC.exists() and DOC.read_text() == render() else 1
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
