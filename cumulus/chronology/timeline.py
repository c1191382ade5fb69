"""The chronology's timeline chart, drawn on the server as accessible SVG (no script, no CDN).

Stacked bars count events per month by agency (the busiest agencies, the rest as "Other");
plan and episode bands (early help, child in need, child protection, looked after) sit behind
the bars so a manager sees at a glance whether concerns rose before, during or after help.
The chart has a title and a description; the page carries the same numbers as a table.

    >>> svg = timeline_svg(
    ...     counts=[(dt.date(2026, 1, 1), "School", 2)],
    ...     bands=[Band("Early help", dt.date(2026, 1, 5), None)],
    ...     title="Events per month",
    ... )
    >>> svg.startswith("<svg")
    True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

# Colour-blind-safe palette (Okabe-Ito), each at least 3:1 against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8B6B00", "#56449B", "#505a5f")
BAND_FILL = {
    "early_help": "#e8f1f8",
    "child_in_need": "#fff4d6",
    "child_protection": "#fbe3e1",
    "looked_after": "#ece7f5",
}
MAX_SERIES = 6
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 30, 60


@dataclass(frozen=True)
class Band:
    label: str
    started_on: dt.date
    ended_on: dt.date | None
    kind: str = ""


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def series_for(counts: list[tuple[dt.date, str, int]]) -> list[str]:
    """The agencies drawn as their own series, busiest first; the rest become "Other"."""
    totals: dict[str, int] = {}
    for _, agency, n in counts:
        totals[agency] = totals.get(agency, 0) + n
    ranked = sorted(totals, key=lambda a: (-totals[a], a))
    if len(ranked) > MAX_SERIES:
        return [*ranked[: MAX_SERIES - 1], "Other"]
    return ranked


def month_table(counts: list[tuple[dt.date, str, int]]) -> tuple[list[str], list[list[object]]]:
    """The chart's numbers as rows (month, count per series..., total) for the table view."""
    series = series_for(counts)
    by_month: dict[dt.date, dict[str, int]] = {}
    for month, agency, n in counts:
        key = agency if agency in series else "Other"
        by_month.setdefault(month, {}).setdefault(key, 0)
        by_month[month][key] += n
    rows: list[list[object]] = []
    for month in sorted(by_month):
        cells = [by_month[month].get(s, 0) for s in series]
        rows.append([month, *cells, sum(cells)])
    return series, rows


def month_table_html(series: list[str], rows: list[list[object]]) -> str:
    """The head and body of the timeline's table, built here rather than in the template:
    six years of months by agency are hundreds of cells, which Django's template engine
    renders tens of times slower than a join of escaped strings."""
    head = "".join(
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{escape(s)}</th>'
        for s in series
    )
    body = "".join(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
        f"{row[0]:%B %Y}</th>"
        + "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{int(n)}</td>'  # type: ignore[call-overload]
            for n in row[1:]
        )
        + "</tr>"
        for row in rows
    )
    return (
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Month</th>'
        f'{head}<th scope="col" class="govuk-table__header govuk-table__header--numeric">All</th>'
        f'</tr></thead><tbody class="govuk-table__body">{body}</tbody>'
    )


def timeline_svg(
    *,
    counts: list[tuple[dt.date, str, int]],
    bands: list[Band],
    title: str,
    today: dt.date | None = None,
) -> str:
    """Stacked monthly bars by agency over plan bands, as one ``<svg>`` string."""
    if not counts:
        return ""
    series, rows = month_table(counts)
    first = min(month for month, _, _ in counts)
    last = max(month for month, _, _ in counts)
    assert isinstance(first, dt.date)
    assert isinstance(last, dt.date)
    months = _months(first, last)
    peak = max(int(r[-1]) for r in rows)  # type: ignore[call-overload]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(months)
    index = {m: i for i, m in enumerate(months)}
    end_of_range = (months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)

    def x_of(day: dt.date) -> float:
        day = min(max(day, months[0]), end_of_range)
        whole = (day.year - months[0].year) * 12 + day.month - months[0].month
        month_start = day.replace(day=1)
        month_end = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        frac = (day - month_start).days / (month_end - month_start).days
        return LEFT + (whole + frac) * slot

    described = ", ".join(
        f"{b.label} from {b.started_on:%B %Y}"
        + (f" to {b.ended_on:%B %Y}" if b.ended_on else " (open)")
        for b in bands
    )
    desc = (
        f"Events per month from {first:%B %Y} to {last:%B %Y}, by agency, at most {peak} "
        f"in a month. Shaded bands: {described or 'none'}. The table below gives every number."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="timeline-title timeline-desc" class="cumulus-timeline" '
        f'data-testid="timeline-chart" width="100%">',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{escape(desc)}</desc>',
    ]
    for band in bands:
        x0 = x_of(band.started_on)
        x1 = x_of(band.ended_on or today or end_of_range)
        if x1 <= LEFT or x0 >= LEFT + plot_w:
            continue
        out.append(
            f'<rect x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 1):.1f}" height="{plot_h}" '
            f'fill="{BAND_FILL.get(band.kind, "#f3f2f1")}" data-band="{escape(band.kind)}"/>'
        )
        out.append(
            f'<text x="{x0 + 2:.1f}" y="{TOP - 6}" font-size="10" fill="#0b0c0c">'
            f"{escape(band.label)}</text>"
        )
    bar_w = max(slot * 0.7, 1)
    for row in rows:
        month = row[0]
        assert isinstance(month, dt.date)
        y = TOP + plot_h
        for name, n in zip(series, row[1:-1], strict=True):
            assert isinstance(n, int)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            colour = PALETTE[series.index(name) % len(PALETTE)]
            out.append(
                f'<rect x="{LEFT + index[month] * slot + (slot - bar_w) / 2:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{month:%B %Y}, {escape(name)}: {n}</title></rect>"
            )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        f'stroke="#0b0c0c"/>'
    )
    out.append(f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="10" text-anchor="end">{peak}</text>')
    out.append(f'<text x="{LEFT - 4}" y="{TOP + plot_h}" font-size="10" text-anchor="end">0</text>')
    step = max(1, len(months) // 12)
    for i, month in enumerate(months):
        if i % step == 0:
            out.append(
                f'<text x="{LEFT + i * slot + slot / 2:.1f}" y="{TOP + plot_h + 14}" '
                f'font-size="10" text-anchor="middle">{month:%b %y}</text>'
            )
    for i, name in enumerate(series):
        lx = LEFT + (i % 3) * (plot_w / 3)
        ly = HEIGHT - 26 + (i // 3) * 14
        out.append(
            f'<rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{lx + 14:.1f}" y="{ly}" font-size="10">{escape(name[:40])}</text>'
        )
    out.append("</svg>")
    return "".join(out)
