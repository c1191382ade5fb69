"""Reads for the Continuum of Need: the configured continuum, the facts about a child, and the
suggestion. ``child`` arguments come through ``people.selectors.child_get``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from cumulus.casework.selectors import open_plans
from cumulus.chronology.models import ChronologyEvent
from cumulus.core import clock
from cumulus.instruments.selectors import current_assessments
from cumulus.people.models import Child
from cumulus.thresholds.engine.continuum import ChildFacts, Suggestion, load_continuum, suggest
from cumulus.thresholds.models import ThresholdDecision

EXAMPLE = Path(__file__).resolve().parent / "continua" / "example.yaml"
CHRONOLOGY_DAYS = 400


@dataclass(frozen=True)
class Continuum:
    data: dict[str, Any]
    sha256: str

    @property
    def levels(self) -> list[dict[str, Any]]:
        return list(self.data["levels"])


def continuum_path() -> Path:
    configured = getattr(settings, "CUMULUS_CONTINUUM_FILE", "")
    return Path(configured) if configured else EXAMPLE


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Continuum:
    data, sha = load_continuum(path)
    return Continuum(data=data, sha256=sha)


def continuum_get(path: Path | None = None) -> Continuum:
    """The partnership's continuum (``CUMULUS_CONTINUUM_FILE``, else the shipped example)."""
    where = path or continuum_path()
    return _load(where, where.stat().st_mtime)


def child_facts(*, child: Child, today: dt.date | None = None) -> ChildFacts:
    """Latest signed-off score per instrument, open plans and recent chronology events."""
    on = today or clock.today()
    scores: dict[str, dict[str, float | None]] = {}
    assessed: dict[str, dt.date] = {}
    for assessment in current_assessments(child=child):
        if assessment.instrument_id in scores:
            continue  # newest first: keep the latest only
        scores[assessment.instrument_id] = {
            key: result.get("value") for key, result in assessment.scores.items()
        }
        assessed[assessment.instrument_id] = assessment.assessed_on
    since = clock.now() - dt.timedelta(days=CHRONOLOGY_DAYS)
    events = [
        (code, occurred.date())
        for code, occurred in ChronologyEvent.objects.filter(
            child_id=child.pk, occurred_at__gte=since
        ).values_list("event_type__code", "occurred_at")
    ]
    return ChildFacts(
        today=on,
        scores=scores,
        assessed_on=assessed,
        open_plans=[p.plan_type for p in open_plans(child=child)],
        events=events,
    )


def suggestion_for_child(
    *, child: Child, continuum: Continuum | None = None
) -> tuple[Suggestion, ChildFacts]:
    facts = child_facts(child=child)
    return suggest((continuum or continuum_get()).data, facts), facts


def threshold_decisions_for_child(*, child: Child) -> QuerySet[ThresholdDecision]:
    return ThresholdDecision.objects.filter(child_id=child.pk).select_related("decided_by")
