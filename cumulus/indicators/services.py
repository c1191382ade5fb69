"""Writes: refresh the extract and the published results; commentary; neighbours' figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import ibis
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import compute, month_ends
from cumulus.analytics.suppression import suppress
from cumulus.indicators.extract import extract_path, extract_refresh
from cumulus.indicators.models import Commentary, NeighbourFigure


class IndicatorUnknownError(ValueError):
    """No indicator has that id."""


def results_refresh(
    *,
    month_end: dt.date,
    months: int = 36,
    database: Path | None = None,
    indicators: list[str] | None = None,
) -> int:
    """Refresh the extract, compute every indicator for ``months`` months to ``month_end``,
    suppress small numbers and store the published table ``results``; returns its rows."""
    path = database or extract_path()
    extract_refresh(database=path)
    con = ibis.duckdb.connect(str(path))
    chosen = [CATALOGUE[i] for i in indicators] if indicators is not None else None
    published = suppress(compute(con, month_ends(month_end, months), chosen))
    con.disconnect()
    raw = duckdb.connect(str(path))
    try:
        raw.register("published", published)
        raw.execute("create or replace table results as select * from published")
    finally:
        raw.close()
    return published.num_rows


@transaction.atomic
def commentary_save(*, actor: User, indicator: str, month: dt.date, text: str) -> Commentary:
    if indicator not in CATALOGUE:
        raise IndicatorUnknownError(f"No indicator {indicator!r}")
    commentary, _ = Commentary.objects.update_or_create(
        indicator=indicator,
        month=month.replace(day=1),
        defaults={"text": text.strip(), "updated_by": actor},
    )
    return commentary


@transaction.atomic
def neighbour_figure_add(
    *, actor: User, indicator: str, authority: str, year: str, value: float, source: str
) -> NeighbourFigure:
    if indicator not in CATALOGUE:
        raise IndicatorUnknownError(f"No indicator {indicator!r}")
    figure, _ = NeighbourFigure.objects.update_or_create(
        indicator=indicator,
        authority=authority.strip(),
        year=year.strip(),
        defaults={"value": value, "source": source.strip(), "added_by": actor},
    )
    return figure
