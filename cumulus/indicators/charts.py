"""Chart specifications: Vega-Lite for the browser, plain SVG for the PDF booklet."""

from __future__ import annotations

from typing import Any

from cumulus.analytics.engine import Indicator
from cumulus.indicators.benchmarks import Benchmark

LABELS = {"national": "England", "statistical_neighbours": "Statistical neighbours"}


def trend_spec(
    ind: Indicator, rows: list[dict[str, Any]], benchmarks: list[Benchmark]
) -> dict[str, Any]:
    """A line per group over the period ends, with benchmark rules."""
    values = [
        {"period": r["period_end"].isoformat(), "group": r["group"], "value": r["value"]}
        for r in rows
        if r["value"] is not None
    ]
    rules = [{"label": f"{LABELS[b.kind]} {b.year}", "value": b.value} for b in benchmarks]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "period", "type": "temporal", "title": "Period end"},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": ind.unit.replace("_", " "),
                },
                "color": {"field": "group", "type": "nominal", "title": "Group"},
            },
        }
    ]
    if rules:
        layers.append(
            {
                "data": {"values": rules},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": {"field": "label"},
                },
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": f"{ind.title}: trend over 36 months",
        "width": "container",
        "height": 260,
        "layer": layers,
    }


def trend_svg(rows: list[dict[str, Any]], width: int = 480, height: int = 140) -> str:
    """A small line chart of the 'all' series as SVG (for WeasyPrint; no JavaScript)."""
    points = [(r["period_end"], r["value"]) for r in rows if r["value"] is not None]
    if len(points) < 2:
        return ""
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 20) / (len(points) - 1)

    def y(v: float) -> float:
        return height - 10 - (v - low) / span * (height - 20)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{10 + i * step:.1f},{y(v):.1f}" for i, (_, v) in enumerate(points)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="trend"><rect width="{width}" height="{height}" fill="#f3f2f1"/>'
        f'<path d="{path}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
        f'<text x="10" y="12" font-size="10">{high:g}</text>'
        f'<text x="10" y="{height - 2}" font-size="10">{low:g}</text></svg>'
    )
