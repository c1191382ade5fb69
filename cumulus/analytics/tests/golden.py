"""Load the hand-built golden partnership (``golden.yaml``) as extract tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from cumulus.analytics.schema import TABLES, arrow_schema

GOLDEN = Path(__file__).with_name("golden.yaml")
DEFAULTS: dict[str, Any] = {"is_neglect": False, "no_further_action": False}


def golden() -> dict[str, Any]:
    return yaml.safe_load(GOLDEN.read_text())


def golden_tables() -> dict[str, pa.Table]:
    data = golden()
    tables = {}
    for name in TABLES:
        schema = arrow_schema(name)
        rows = [
            {f.name: row.get(f.name, DEFAULTS.get(f.name)) for f in schema}
            for row in data.get(name, [])
        ]
        tables[name] = pa.Table.from_pylist(rows, schema=schema)
    return tables


def golden_period_end() -> dt.date:
    value = golden()["period_end"]
    assert isinstance(value, dt.date)
    return value
