"""Change over repeat assessments: each compared score over time, a plain-language summary of
what improved, worsened or stayed the same, and a server-side SVG chart (no JavaScript).

Pure Python. Input is the scores stored on each completed assessment, oldest first, and the
definition of the latest one (for labels, ranges and which way is better)::

    comparison = compare(definition, [Snapshot(on=date, scores={...}), ...])
    comparison.summary      # ["Better since 3 March 2026: physical (4 to 2).", ...]
    chart_svg(comparison)   # "<svg ...>"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from cumulus.instruments.engine.definition import items_by_id, scale_of
from cumulus.instruments.engine.scoring import score_direction


@dataclass(frozen=True)
class Snapshot:
    on: dt.date
    scores: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    better: str
    low: float
    high: float
    values: tuple[float | None, ...]

    def change(self, start: int, end: int) -> str:
        """``improved``, ``worsened``, ``same`` or ``unknown`` between two snapshots."""
        a, b = self.values[start], self.values[end]
        if a is None or b is None:
            return "unknown"
        if a == b:
            return "same"
        improved = b < a if self.better == "lower" else b > a
        return "improved" if improved else "worsened"


@dataclass(frozen=True)
class Comparison:
    dates: tuple[dt.date, ...]
    domains: tuple[Domain, ...]
    summary: tuple[str, ...] = field(default=())


def _range(definition: Mapping[str, Any], rule: Mapping[str, Any]) -> tuple[float, float]:
    if "range" in rule:
        return float(rule["range"][0]), float(rule["range"][1])
    items = items_by_id(definition)
    for item_id in rule.get("items", []):
        if item_id in items and items[item_id]["type"] in ("grade", "number", "person_scale"):
            low, high = scale_of(definition, items[item_id])
            return float(low), float(high)
    return 0.0, 10.0


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _day(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


def _phrase(domains: Sequence[Domain], start: int, end: int, kind: str) -> str:
    parts = []
    for domain in domains:
        if domain.change(start, end) == kind:
            a, b = domain.values[start], domain.values[end]
            assert a is not None
            assert b is not None
            parts.append(
                domain.label if kind == "same" else f"{domain.label} ({_number(a)} to {_number(b)})"
            )
    return "; ".join(parts)


def compare(definition: Mapping[str, Any], snapshots: Sequence[Snapshot]) -> Comparison:
    """Compare the ``compare: true`` scores across ``snapshots`` (oldest first)."""
    domains = []
    for rule in definition.get("scoring", []):
        if not rule.get("compare"):
            continue
        low, high = _range(definition, rule)
        values = tuple(
            (None if (v := s.scores.get(rule["id"], {}).get("value")) is None else float(v))
            for s in snapshots
        )
        domains.append(
            Domain(
                id=rule["id"],
                label=rule["label"],
                better=score_direction(definition, rule["id"]),
                low=low,
                high=high,
                values=values,
            )
        )
    dates = tuple(s.on for s in snapshots)
    summary: list[str] = []
    if len(snapshots) >= 2:
        pairs = [(len(snapshots) - 2, "the last assessment")]
        if len(snapshots) > 2:
            pairs.append((0, "the first assessment"))
        end = len(snapshots) - 1
        for start, name in pairs:
            when = f"since {name} ({_day(dates[start])})"
            for kind, lead in (
                ("improved", "Better"),
                ("worsened", "Worse"),
                ("same", "No change"),
            ):
                text = _phrase(domains, start, end, kind)
                if text:
                    summary.append(f"{lead} {when}: {text}.")
            if not any(d.change(start, end) != "unknown" for d in domains):
                summary.append(f"Nothing can be compared {when}: the scores are missing.")
    return Comparison(dates=dates, domains=tuple(domains), summary=tuple(summary))


ROW_HEIGHT = 70
LEFT = 190
RIGHT = 60
WIDTH = 680


def chart_svg(
    comparison: Comparison, *, title: str = "Scores over time", id_prefix: str = "chart"
) -> str:
    """Small multiples: one row per domain, one point per assessment, better at the top.
    ``id_prefix`` keeps the title's and description's ids unique when a page (a plan) shows
    several charts."""
    n = len(comparison.dates)
    height = 40 + ROW_HEIGHT * len(comparison.domains) + 30
    plot = WIDTH - LEFT - RIGHT
    xs = [LEFT + (plot * i / (n - 1) if n > 1 else plot / 2) for i in range(n)]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'class="cumulus-chart" data-testid="comparison-chart">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">The same figures are in the table that follows.</desc>',
        f'<text x="{LEFT}" y="18" font-size="12" fill="#505a5f">'
        "Higher on each row is better</text>",
    ]
    for r, domain in enumerate(comparison.domains):
        top = 30 + r * ROW_HEIGHT
        span = (domain.high - domain.low) or 1.0

        def y(v: float, top: int = top, domain: Domain = domain, span: float = span) -> float:
            frac = (v - domain.low) / span
            if domain.better == "higher":
                frac = 1 - frac
            return top + 8 + frac * (ROW_HEIGHT - 30)

        out.append(
            f'<text x="{LEFT - 10}" y="{top + ROW_HEIGHT / 2 - 4:.0f}" text-anchor="end" '
            f'font-size="13" fill="#0b0c0c">{escape(domain.label[:28])}</text>'
        )
        out.append(
            f'<line x1="{LEFT}" y1="{top + ROW_HEIGHT - 18}" x2="{WIDTH - RIGHT}" '
            f'y2="{top + ROW_HEIGHT - 18}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        points = [(x, v) for x, v in zip(xs, domain.values, strict=True) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="3"/>')
        for x, v in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="5" fill="#1d70b8"/>')
            out.append(
                f'<text x="{x + 8:.1f}" y="{y(v) - 6:.1f}" font-size="12" '
                f'fill="#0b0c0c">{_number(v)}</text>'
            )
    base = 30 + ROW_HEIGHT * len(comparison.domains) + 14
    for x, on in zip(xs, comparison.dates, strict=True):
        out.append(
            f'<text x="{x:.1f}" y="{base}" text-anchor="middle" font-size="12" '
            f'fill="#505a5f">{on:%d %b %Y}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
