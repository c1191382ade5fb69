"""The whole catalogue gives identical results on DuckDB and on Spark (local mode), and its
results keep their invariants on a small synthetic partnership.

The Spark test runs wherever the ``spark`` extra is installed (CI installs it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pytest

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import compute
from cumulus.analytics.extract_synth import extract_from_synth
from cumulus.analytics.schema import TABLES
from cumulus.analytics.tests.golden import golden_period_end, golden_tables
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.parquet import write_parquet

ENDS = [dt.date(2026, 3, 31)]
BREAKDOWNS = ["agency", "age_band", "deprivation_decile"]


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, pa.Table]]:
    root = tmp_path_factory.mktemp("engines")
    write_parquet(generate(SynthConfig(children=150, years=3, seed=7)), root / "synth")
    database = root / "extract.duckdb"
    extract_from_synth(root / "synth", database, secret=b"k" * 32)
    con = duckdb.connect(str(database), read_only=True)
    tables = {
        name: con.sql(f"select * from {name}").to_arrow_table()  # noqa: S608
        for name in TABLES
    }
    con.close()
    return database, tables


@pytest.fixture(scope="module")
def on_duckdb(extract: tuple[Path, dict[str, pa.Table]]) -> pa.Table:
    con = ibis.duckdb.connect(str(extract[0]), read_only=True)
    return compute(con, ENDS, breakdowns=BREAKDOWNS)


def test_rates_are_in_range_and_numerators_never_exceed_denominators(on_duckdb: pa.Table) -> None:
    units = {ind.id: ind.unit for ind in CATALOGUE.values()}
    for row in on_duckdb.to_pylist():
        unit = units[row["indicator"]]
        assert row["numerator"] >= 0
        if unit == "percentage" and row["value"] is not None:
            assert 0 <= row["value"] <= 100, row
            assert row["numerator"] <= row["denominator"], row
        if unit == "count":
            assert row["value"] == row["numerator"], row
        if unit == "per_10000" and row["denominator"]:
            assert row["value"] >= 0, row


def test_the_whole_catalogue_is_identical_on_duckdb_and_spark(tmp_path: Path) -> None:
    """Every indicator on the golden partnership: small, so Spark stays quick."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from cumulus.analytics.spark import local_session, register_tables, stop_session

    tables = golden_tables()
    ends = [golden_period_end()]
    con = ibis.duckdb.connect()
    for name, table in tables.items():
        con.create_table(name, table)
    on_duckdb = compute(con, ends, breakdowns=[])
    spark = local_session()
    try:
        register_tables(spark, tables, tmp_path / "spark")
        on_spark = compute(ibis.pyspark.connect(spark), ends, breakdowns=[])
    finally:
        # Stop the JVM now, not at interpreter exit after pytest has closed its streams.
        stop_session(spark)
    assert on_duckdb.num_rows > 0
    assert on_spark.to_pylist() == on_duckdb.to_pylist()
