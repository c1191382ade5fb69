"""The shipped continua: every file loads and validates, refers only to instruments, scores
and chronology event codes that exist, and each shipped strategy names its own continuum."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from cumulus.instruments.engine.definition import load_definition
from cumulus.instruments.engine.registry import DEFINITIONS_DIR
from cumulus.strategy.config import CONTINUA_DIR, SHIPPED_DIR, shipped_names, strategy_config_read
from cumulus.thresholds.engine.continuum import ChildFacts, load_continuum, suggest

TODAY = dt.date(2026, 6, 1)
SHIPPED = sorted(CONTINUA_DIR.glob("*.yaml"))
CODELISTS = Path(__file__).resolve().parents[2] / "codelists" / "data"
EVENT_CODES = CODELISTS / "chronology_event_type.csv"


def _scores() -> dict[str, set[str]]:
    scores = {}
    for path in DEFINITIONS_DIR.glob("*.yaml"):
        definition = load_definition(path)
        scores[definition["id"]] = {rule["id"] for rule in definition.get("scoring", [])}
    return scores


def _event_codes() -> set[str]:
    with EVENT_CODES.open(newline="", encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


def test_one_continuum_per_seed_partnership_besides_the_example():
    assert [p.stem for p in SHIPPED] == sorted([*shipped_names(), "example"])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_shipped_continuum_loads_and_its_conditions_can_match(path: Path):
    data, sha = load_continuum(path)
    assert len(sha) == 64
    scores, codes = _scores(), _event_codes()
    for indicator in data["indicators"]:
        when = indicator["when"]
        if "assessment" in when:
            assert when["assessment"] in scores, (path.name, indicator["id"])
            assert when["score"] in scores[when["assessment"]], (path.name, indicator["id"])
        for event in when.get("events", []):
            assert event in codes, (path.name, indicator["id"], event)
    # Every level but the lowest is reachable by some indicator, and nothing known suggests
    # the lowest.
    levels = sorted(lv["level"] for lv in data["levels"])
    assert {i["level"] for i in data["indicators"]} >= set(levels[1:]), path.name
    assert suggest(data, ChildFacts(today=TODAY)).level == levels[0]


@pytest.mark.parametrize("name", shipped_names())
def test_each_shipped_strategy_names_its_own_continuum(name: str):
    config = strategy_config_read(SHIPPED_DIR / f"{name}.toml")
    assert config.continuum == f"{name}.yaml"
    data, _ = load_continuum(CONTINUA_DIR / config.continuum)
    assert data["id"] == f"{name}-continuum"
    assert data["partnership"] == config.partnership


def test_cumbrias_day_in_my_life_tool_counts_where_the_example_ignores_it():
    facts = ChildFacts(
        today=TODAY,
        scores={"day-in-my-life": {"types_identified": 2}},
        assessed_on={"day-in-my-life": TODAY},
    )
    cumbria, _ = load_continuum(CONTINUA_DIR / "cumbria.yaml")
    example, _ = load_continuum(CONTINUA_DIR / "example.yaml")
    assert suggest(cumbria, facts).level == 2
    assert [m.id for m in suggest(cumbria, facts).matches] == ["day_in_my_life.several_types"]
    assert suggest(example, facts).level == 1
