"""Saved models: what a model compares, its Splink settings, and the model Cumulus ships.

Kept apart from the Splink code so that reading a saved model (the web app does, on every
page about the model) does not import Splink.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

MODEL_FORMAT = "cumulus-linkage/1"


def model_fields(model: dict[str, Any]) -> list[str]:
    """The fields a saved model compares."""
    meta = model.get("cumulus") or {}
    if meta.get("format") != MODEL_FORMAT:
        raise ValueError("not a Cumulus linkage model (missing cumulus.format)")
    return list(meta["fields"])


def splink_settings(model: dict[str, Any], dialect: str = "duckdb") -> dict[str, Any]:
    """The Splink part of a saved model (Splink rejects keys it does not know), its SQL in
    ``dialect``: a model trained on DuckDB runs on Spark and the other way round."""
    from cumulus.linkage.engine.dialect import settings_for

    settings = {key: value for key, value in model.items() if key != "cumulus"}
    return settings_for(settings, dialect)


def default_model() -> dict[str, Any]:
    """The model shipped with Cumulus, trained on the synthetic partnership's agency feeds
    (20,000 children, seed 1; ``benchmarks/linkage_synthetic.py --save-default``). A
    partnership retrains on its own data; this one lets a new installation link on day one."""
    text = resources.files("cumulus.linkage.engine").joinpath("data/default_model.json")
    model: dict[str, Any] = json.loads(text.read_text())
    return model
