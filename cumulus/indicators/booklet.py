"""The performance indicator booklet: a PDF (WeasyPrint) and a machine-readable XLSX workbook.

One section per profile section; for each indicator the month's value, the previous month and
the same month a year before, a trend chart (SVG), national benchmarks, the business unit's
commentary, and data quality notes (suppression, missing sources).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.schema import FROM_SYNTH_ONLY, NO_SOURCE_YET, SYNTH_ONLY_OUTCOMES
from cumulus.core.months import month_end
from cumulus.core.spreadsheet import neutralise_row
from cumulus.indicators import charts, selectors
from cumulus.indicators.profiles import PROFILES

_NO_ROW = dict.fromkeys(("period_end", "numerator", "denominator", "value", "suppressed"))


class ProfileUnknownError(ValueError):
    """No booklet profile has that name."""


def _quality_notes(ind_id: str, rows: list[dict[str, Any]]) -> list[str]:
    ind = CATALOGUE[ind_id]
    notes = []
    if any(s in NO_SOURCE_YET for s in ind.sources):
        notes.append("No source yet: no values can be computed.")
    if any(s in FROM_SYNTH_ONLY for s in ind.sources):
        notes.append("Source not in the operational record yet (neglect tool uses).")
    if any(s in SYNTH_ONLY_OUTCOMES for s in ind.sources):
        notes.append("Source not in the operational record yet (education status, NEET).")
    if any(r.get("suppressed") for r in rows):
        notes.append("Some figures are suppressed (counts of 1 to 5).")
    if ind.caveat:
        notes.append(ind.caveat)
    return notes


def booklet_content(*, profile: str, month: dt.date) -> dict[str, Any]:
    if profile not in PROFILES:
        raise ProfileUnknownError(
            f"No booklet profile {profile!r}: choose from {', '.join(PROFILES)}"
        )
    end = month_end(month)
    commentary = selectors.commentary_for(month=month)
    sections = []
    for title, ids in PROFILES[profile].items():
        items = []
        for ind_id in ids:
            rows = [r for r in selectors.result_list(indicator=ind_id) if r["period_end"] <= end]
            current = next((r for r in rows if r["period_end"] == end), None)
            items.append(
                {
                    "ind": CATALOGUE[ind_id],
                    "current": current,
                    "rows": rows,
                    "svg": charts.trend_svg(rows),
                    "benchmarks": selectors.benchmark_list(indicator=ind_id),
                    "commentary": commentary.get(ind_id, ""),
                    "notes": _quality_notes(ind_id, rows),
                }
            )
        sections.append({"title": title, "items": items})
    return {"profile": profile, "month": month, "month_end": end, "sections": sections}


def booklet_write(
    *, profile: str, month: dt.date, out_dir: Path, partnership: str
) -> tuple[Path, Path]:
    """Write ``booklet-<profile>-<yyyy-mm>.pdf`` and ``.xlsx`` into ``out_dir``."""
    from weasyprint import HTML

    content = booklet_content(profile=profile, month=month)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"booklet-{profile}-{month:%Y-%m}"
    html = render_to_string("indicators/booklet.html", {**content, "partnership": partnership})
    pdf = out_dir / f"{stem}.pdf"
    HTML(string=html).write_pdf(pdf)
    xlsx = out_dir / f"{stem}.xlsx"
    wb = Workbook()
    wb.remove(wb.active)
    for section in content["sections"]:
        ws = wb.create_sheet(section["title"][:31].replace(":", ""))
        ws.append(
            [
                "indicator",
                "title",
                "period_end",
                "numerator",
                "denominator",
                "value",
                "unit",
                "suppressed",
                "commentary",
                "data_quality",
            ]
        )
        for item in section["items"]:
            ind = item["ind"]
            notes = " ".join(item["notes"])
            for r in item["rows"] or [_NO_ROW]:
                # The commentary is the business unit's free text: no formulas (ASVS 1.2.10).
                ws.append(
                    neutralise_row(
                        [
                            ind.id,
                            ind.title,
                            r["period_end"],
                            r["numerator"],
                            r["denominator"],
                            r["value"],
                            ind.unit,
                            bool(r["suppressed"]),
                            item["commentary"],
                            notes,
                        ]
                    )
                )
    wb.save(xlsx)
    return pdf, xlsx
