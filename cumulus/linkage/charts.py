"""The match weights chart, drawn as SVG on the server (no JavaScript, nothing fetched).

One horizontal bar per comparison level: to the right (evidence for a match) when the level
is likelier among matches than non-matches, to the left (against) otherwise, as in Splink's
own match weights chart.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

ROW = 18
LABEL_WIDTH = 330
PLOT_WIDTH = 360
PAD = 8


def match_weights_svg(comparisons: list[dict[str, Any]], *, title: str) -> str:
    """SVG markup for ``comparisons`` as returned by ``selectors.model_summary``."""
    rows: list[tuple[str, float | None, bool]] = []
    for comparison in comparisons:
        rows.append((str(comparison["description"] or comparison["name"]), None, True))
        for level in comparison["levels"]:
            rows.append((str(level["label"]), level["match_weight"], False))
    weights = [abs(w) for _, w, _ in rows if w is not None]
    limit = max(weights, default=1.0) or 1.0
    height = PAD * 2 + ROW * (len(rows) + 1)
    width = LABEL_WIDTH + PLOT_WIDTH + PAD * 2
    zero = LABEL_WIDTH + PLOT_WIDTH / 2
    scale = (PLOT_WIDTH / 2 - 30) / limit
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="mw-title" '
        f'viewBox="0 0 {width} {height}" width="100%" class="linkage-chart">',
        f'<title id="mw-title">{escape(title)}</title>',
        f'<line x1="{zero}" y1="{PAD}" x2="{zero}" y2="{height - PAD}" stroke="#505a5f"/>',
    ]
    y = PAD + ROW
    for label, weight, heading in rows:
        if heading:
            parts.append(
                f'<text x="{PAD}" y="{y}" font-weight="bold" font-size="13">{escape(label)}</text>'
            )
        else:
            parts.append(f'<text x="{PAD + 12}" y="{y}" font-size="12">{escape(label)}</text>')
            if weight is not None:
                length = abs(weight) * scale
                x = zero if weight >= 0 else zero - length
                colour = "#00703c" if weight >= 0 else "#d4351c"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y - 11}" width="{max(length, 1):.1f}" height="12" '
                    f'fill="{colour}"/>'
                )
                text_x = zero + length + 4 if weight >= 0 else zero - length - 4
                anchor = "start" if weight >= 0 else "end"
                parts.append(
                    f'<text x="{text_x:.1f}" y="{y}" font-size="11" text-anchor="{anchor}">'
                    f"{weight:+.1f}</text>"
                )
        y += ROW
    parts.append("</svg>")
    return "".join(parts)
