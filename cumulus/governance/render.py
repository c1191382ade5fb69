"""Render the board report: sections (``sections.py``) to a PDF (WeasyPrint, charts as SVG)
and an XLSX workbook (openpyxl: one sheet per section, native bar and line charts).

    sections = report_sections(period=ReportPeriod.quarter("2026Q3"), strategy=strategy)
    pdf, xlsx = report_write(period=..., strategy=..., sections=sections, out_dir=Path("out"))
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.chart import BarChart as XlBarChart
from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from cumulus.core.spreadsheet import neutralise_row
from cumulus.governance.sections import (
    BarChart,
    GovernanceSection,
    ReportPeriod,
    Trend,
    providers,
)
from cumulus.indicators import charts
from cumulus.strategy.models import Strategy


def report_sections(*, period: ReportPeriod, strategy: Strategy) -> list[GovernanceSection]:
    """Every provider's section, in the board's order."""
    return [provider(period, strategy.slug) for provider in providers()]


def bar_svg(chart: BarChart, width: int = 480, bar_height: int = 18) -> str:
    """Horizontal bars with their values, as SVG (WeasyPrint draws it; no JavaScript)."""
    label_width, gap = 150, 6
    height = len(chart.values) * (bar_height + gap) + gap
    top = max(chart.values, default=0) or 1
    bars = []
    for n, (category, value) in enumerate(zip(chart.categories, chart.values, strict=True)):
        y = gap + n * (bar_height + gap)
        length = (width - label_width - 40) * value / top
        bars.append(
            f'<text x="0" y="{y + bar_height - 5}" font-size="9">{escape(category[:28])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="#1d70b8"/><text x="{label_width + length + 4:.1f}" y="{y + bar_height - 5}" '
            f'font-size="9">{value:g}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(chart.title)}">{"".join(bars)}</svg>'
    )


def _trend_svg(trend: Trend) -> str:
    return charts.trend_svg([{"period_end": d, "value": v} for d, v in trend.points])


def _pdf_html(
    *, period: ReportPeriod, strategy: Strategy, sections: list[GovernanceSection]
) -> str:
    rendered = [
        {
            "section": s,
            "bars": [(c, bar_svg(c)) for c in s.charts],
            "trends": [(t, _trend_svg(t)) for t in s.trends],
        }
        for s in sections
    ]
    return render_to_string(
        "governance/report.html",
        {
            "period": period,
            "strategy": strategy,
            "aims": strategy.config["aims"],
            "sections": rendered,
            "partnership": strategy.partnership,
            "service": settings.CUMULUS_PARTNERSHIP_NAME,
        },
    )


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Section"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _write_section(ws: Worksheet, section: GovernanceSection, period: ReportPeriod) -> None:
    """One sheet; every cell through ``neutralise_row``: titles and rows carry people's text."""
    ws.append(neutralise_row([section.title, period.label]))
    for line in section.summary:
        ws.append(neutralise_row([line]))
    ws.append([])
    for table in section.tables:
        ws.append(neutralise_row([table.title]))
        ws.append(neutralise_row(table.headers))
        for row in table.rows:
            ws.append(neutralise_row(row))
        if not table.rows:
            ws.append(["(none)"])
        ws.append([])
    anchor_col = max(8, max((len(t.headers) for t in section.tables), default=0) + 2)
    for n, chart in enumerate(section.charts):
        ws.append(neutralise_row([chart.title, chart.unit or "value"]))
        first = ws.max_row + 1
        for category, value in zip(chart.categories, chart.values, strict=True):
            ws.append(neutralise_row([category, value]))
        last = ws.max_row
        xl = XlBarChart()
        xl.type = "bar"
        xl.title = chart.title
        xl.legend = None
        xl.add_data(
            Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True
        )
        xl.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        ws.add_chart(xl, f"{_column(anchor_col)}{2 + n * 16}")
        ws.append([])
    for n, trend in enumerate(section.trends[:12]):
        ws.append(neutralise_row([trend.title, trend.unit or "value"]))
        first = ws.max_row + 1
        for day, value in trend.points:
            ws.append(neutralise_row([day, value]))
        last = ws.max_row
        line = LineChart()
        line.title = trend.title[:60]
        line.legend = None
        line.add_data(
            Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True
        )
        line.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        ws.add_chart(line, f"{_column(anchor_col + 10)}{2 + n * 16}")
        ws.append([])


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def report_write(
    *,
    period: ReportPeriod,
    strategy: Strategy,
    out_dir: Path,
    sections: list[GovernanceSection] | None = None,
) -> tuple[Path, Path]:
    """Write ``governance-<strategy>-<quarter>.pdf`` and ``.xlsx`` into ``out_dir``."""
    from weasyprint import HTML

    sections = (
        sections if sections is not None else report_sections(period=period, strategy=strategy)
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"governance-{strategy.slug}-{period.label.replace(' ', '')}"
    pdf = out_dir / f"{stem}.pdf"
    HTML(string=_pdf_html(period=period, strategy=strategy, sections=sections)).write_pdf(pdf)
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Report"
    cover.append(neutralise_row([f"{strategy.partnership}: governance report", period.label]))
    cover.append(neutralise_row(["Strategy", strategy.title]))
    cover.append(neutralise_row(["Period", period.start, period.end]))
    cover.append([])
    cover.append(["Aim", "Title", "Strategy section"])
    for aim in strategy.config["aims"]:
        cover.append(neutralise_row([aim["code"], aim["title"], aim["section"]]))
    used = {"Report"}
    for section in sections:
        _write_section(wb.create_sheet(_sheet_title(section.title, used)), section, period)
    xlsx = out_dir / f"{stem}.xlsx"
    wb.save(xlsx)
    return pdf, xlsx
