"""Load the code list CSVs in ``data/`` into the ``Code`` table (idempotent).

Used by the initial data migration and by ``cumulus load_codelists`` after a list changes.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
LIST_VERSION = "2026.1"


def read_scheme(scheme: str) -> list[dict[str, Any]]:
    """Rows of one scheme's CSV, with dates parsed."""
    path = DATA_DIR / f"{scheme}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = []
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rows.append(
                    {
                        "code": row["code"].strip(),
                        "label": row["label"].strip(),
                        "valid_from": dt.date.fromisoformat(row["valid_from"]),
                        "valid_to": dt.date.fromisoformat(row["valid_to"])
                        if row["valid_to"]
                        else None,
                    }
                )
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path.name} line {line}: {exc}") from exc
    return rows


def load_all(code_model: Any, schemes: list[str]) -> int:
    """Create or update every code of the given schemes; returns how many rows were written."""
    written = 0
    for scheme in schemes:
        for row in read_scheme(scheme):
            code_model.objects.update_or_create(
                scheme=scheme,
                code=row["code"],
                defaults={
                    "label": row["label"],
                    "valid_from": row["valid_from"],
                    "valid_to": row["valid_to"],
                    "list_version": LIST_VERSION,
                },
            )
            written += 1
    return written
