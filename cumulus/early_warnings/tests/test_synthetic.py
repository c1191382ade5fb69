"""Rules over a small synthetic partnership, checked against the generator's ground truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from cumulus.early_warnings import engine
from cumulus.early_warnings.extract import synth_tables
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.parquet import write_parquet

RULES = {r.code: r for r in engine.load_ruleset("default")}


@pytest.fixture(scope="module")
def partnership(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pa.Table]]:
    config = SynthConfig(children=4_000, years=3, seed=1)
    tables = generate(config)
    directory = tmp_path_factory.mktemp("synth")
    write_parquet(tables, directory)
    return directory, tables


def test_household_toxic_trio_fires_only_for_households_with_all_three_risks(partnership):
    directory, tables = partnership
    con = duckdb.connect()
    engine.register_tables(con, synth_tables(directory))
    fires = engine.evaluate_rule(con, RULES["household_toxic_trio"], as_of=dt.date(2026, 3, 31))
    con.register("fires", fires)
    con.register("children_t", tables["children"])
    con.register("households_t", tables["households"])
    fired, trio_fired, trio_households = con.execute(
        """
        SELECT count(DISTINCT h.household_id),
          count(DISTINCT h.household_id) FILTER (WHERE h.domestic_abuse
            AND h.parental_mental_health AND h.substance_misuse),
          (SELECT count(*) FROM households_t WHERE domestic_abuse AND parental_mental_health
            AND substance_misuse)
        FROM fires f JOIN children_t c ON c.person_id = f.child_id
        JOIN households_t h USING (household_id)
        """
    ).fetchone()
    assert trio_households >= 10
    # Each agency records only what the household's own risks bring, so every fire is a trio.
    assert fired == trio_fired
    # Over three years, a fair share of trio households have all three recorded within a year
    # (10 of 25 here: each service records a concern about every two years per child).
    assert fired >= trio_households / 4
    # And every child of a household it fires for is alerted, not only the one the police saw.
    alerted = set(fires["child_id"].to_pylist())
    household_of = dict(
        zip(
            tables["children"]["person_id"].to_pylist(),
            tables["children"]["household_id"].to_pylist(),
            strict=True,
        )
    )
    fired_households = {household_of[c] for c in alerted}
    siblings = {c for c, h in household_of.items() if h in fired_households}
    assert alerted == siblings
