"""The audit instrument: a definition for the shared instrument engine, kept with the audits
app (not in ``instruments/definitions``) so it never appears among the tools used on a child's
record. It is checked against the same schema and scored by the same engine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from cumulus.instruments.engine.registry import Instrument, load_instruments

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
AUDIT_INSTRUMENT_ID = "multi-agency-neglect-audit"
# The criteria, in the order the report reads them: (section id, grade item id).
GRADE_SUFFIX = ".grade"


@lru_cache(maxsize=1)
def audit_instruments() -> dict[str, Instrument]:
    return load_instruments(definitions_dir=DEFINITIONS_DIR).instruments


def audit_instrument(instrument_id: str = AUDIT_INSTRUMENT_ID) -> Instrument:
    return audit_instruments()[instrument_id]


def criteria(definition: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(criterion id, title, grade item id) for each section with a grade item."""
    out = []
    for section in definition["sections"]:
        for item in section["items"]:
            if item["type"] == "grade":
                out.append((section["id"], section["title"], item["id"]))
    return out


def grade_labels(definition: dict[str, Any]) -> dict[int, str]:
    scale = next(iter(definition["scales"].values()))
    return {int(k): v.split(":")[0] for k, v in scale["labels"].items()}
