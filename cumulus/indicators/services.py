"""Writes: refresh the extract and the published results; commentary; neighbours' figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import ibis
from django.conf import settings
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import CompiledSQL, compute, month_ends
from cumulus.analytics.suppression import suppress
from cumulus.indicators.extract import extract_path, extract_refresh
from cumulus.indicators.models import Commentary, CommentaryRevision, NeighbourFigure


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
    cache = CompiledSQL(Path(settings.VAR_DIR) / "sql-cache")  # compiled once per code version
    published = suppress(compute(con, month_ends(month_end, months), chosen, cache=cache))
    con.disconnect()
    raw = duckdb.connect(str(path))
    try:
        raw.register("published", published)
        raw.execute("create or replace table results as select * from published")
    finally:
        raw.close()
    return published.num_rows


class CommentaryInvalidError(ValueError):
    """The commentary cannot be saved as given (empty, too long, or changed by someone else)."""


COMMENTARY_MAX_CHARS = 4000


@transaction.atomic
def commentary_save(
    *,
    actor: User,
    indicator: str,
    month: dt.date,
    text: str,
    based_on: int | None = None,
) -> Commentary:
    """Write the commentary for ``indicator`` in ``month`` and keep the text as a revision.

    ``based_on`` is the revision the writer started from (``0``: none yet): if someone saved
    another since, nothing is written and the writer is told, so no one's words are lost.
    """
    if indicator not in CATALOGUE:
        raise IndicatorUnknownError(f"No indicator {indicator!r}")
    text = text.strip()
    if not text:
        raise CommentaryInvalidError("Write the commentary: it cannot be empty.")
    if len(text) > COMMENTARY_MAX_CHARS:
        raise CommentaryInvalidError(
            f"The commentary is {len(text)} characters; the booklet takes at most "
            f"{COMMENTARY_MAX_CHARS}."
        )
    commentary = (
        Commentary.objects.select_for_update()
        .filter(indicator=indicator, month=month.replace(day=1))
        .first()
    )
    latest = commentary.revisions.order_by("-id").first() if commentary else None
    if based_on is not None and based_on != (latest.id if latest else 0):
        raise CommentaryInvalidError(
            "Someone else saved this commentary while you were writing: "
            "read their version below and save again."
        )
    if commentary is None:
        commentary = Commentary.objects.create(
            indicator=indicator, month=month.replace(day=1), text=text, updated_by=actor
        )
    else:
        commentary.text, commentary.updated_by = text, actor
        commentary.save(update_fields=["text", "updated_by", "updated_at"])
    CommentaryRevision.objects.create(commentary=commentary, text=text, written_by=actor)
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
