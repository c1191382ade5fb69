"""Reads for the dashboard and booklet: published (suppressed) results and benchmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
from django.db.models import Avg

from cumulus.indicators.benchmarks import Benchmark, shipped
from cumulus.indicators.extract import extract_path
from cumulus.indicators.models import Commentary, NeighbourFigure


def results_available(*, database: Path | None = None) -> bool:
    path = database or extract_path()
    if not path.exists():
        return False
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute(
            "select count(*) from information_schema.tables where table_name = 'results'"
        ).fetchall()
        return bool(found[0][0])
    finally:
        con.close()


def result_list(
    *,
    indicator: str | None = None,
    breakdown: str = "all",
    database: Path | None = None,
) -> list[dict[str, Any]]:
    """Published rows (suppressed cells are null), oldest period first."""
    if not results_available(database=database):
        return []
    con = duckdb.connect(str(database or extract_path()), read_only=True)
    try:
        sql = "select * from results where breakdown = ?"
        params: list[Any] = [breakdown]
        if indicator:
            sql += " and indicator = ?"
            params.append(indicator)
        rel = con.execute(sql + ' order by indicator, period_end, "group"', params)
        columns = [d[0] for d in rel.description]
        return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]
    finally:
        con.close()


def benchmark_list(*, indicator: str) -> list[Benchmark]:
    """Shipped figures and the statistical-neighbour average of figures the partnership added."""
    figures = [b for b in shipped() if b.indicator == indicator]
    added = NeighbourFigure.objects.filter(indicator=indicator)
    for year in sorted(set(added.values_list("year", flat=True))):
        mean = added.filter(year=year).aggregate(v=Avg("value"))["v"]
        names = ", ".join(added.filter(year=year).values_list("authority", flat=True))
        figures.append(
            Benchmark(indicator, "statistical_neighbours", year, float(mean), f"added: {names}")
        )
    return figures


def commentary_for(*, month: dt.date) -> dict[str, str]:
    return dict(
        Commentary.objects.filter(month=month.replace(day=1)).values_list("indicator", "text")
    )


def commentary_detail(*, indicator: str, month: dt.date) -> tuple[Commentary | None, list[Any]]:
    """The commentary for ``indicator`` in ``month`` and its revisions, newest first."""
    commentary = (
        Commentary.objects.filter(indicator=indicator, month=month.replace(day=1))
        .select_related("updated_by")
        .first()
    )
    if commentary is None:
        return None, []
    return commentary, list(commentary.revisions.select_related("written_by").order_by("-id"))


def commentary_month_list(*, month: dt.date) -> dict[str, Commentary]:
    """Each indicator's commentary for ``month``, by indicator id."""
    rows = Commentary.objects.filter(month=month.replace(day=1)).select_related("updated_by")
    return {c.indicator: c for c in rows}
