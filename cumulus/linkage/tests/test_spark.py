"""Splink on Spark (local mode) decides as Splink on DuckDB: same links, same probabilities.

One Spark session for the file (``--dist loadfile`` keeps the file on one worker), stopped
with its JVM at the end. Runs wherever the ``spark`` extra is installed (CI installs it).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from django.core.management import CommandError, call_command

from cumulus.linkage import engine
from cumulus.linkage.engine.dialect import translate
from cumulus.linkage.engine.synthetic import records_from_feeds, register_from_synth

TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    session = engine.spark_session("local[1]")
    yield session
    engine.stop_spark(session)


@pytest.fixture(scope="module")
def partnership() -> tuple[pa.Table, pa.Table]:
    """A small synthetic partnership: the children register and the agency feeds."""
    from cumulus.synth.engine.config import SynthConfig
    from cumulus.synth.engine.generate import generate

    tables = generate(SynthConfig(children=120, years=2, seed=3))
    register = register_from_synth(tables["children"], tables["households"])
    records = records_from_feeds(tables["feed_records"]).drop_columns(["true_person_id"])
    return register, records


def _by_record(result: engine.LinkResult) -> dict[str, dict[str, Any]]:
    return {row["record_id"]: row for row in result.decisions.to_pylist()}


def _assert_same(duck: engine.LinkResult, spark: engine.LinkResult) -> None:
    on_duckdb, on_spark = _by_record(duck), _by_record(spark)
    assert on_duckdb.keys() == on_spark.keys()
    for record_id, d in on_duckdb.items():
        s = on_spark[record_id]
        assert (d["outcome"], d["child_id"]) == (s["outcome"], s["child_id"]), record_id
        if d["match_probability"] is None:
            assert s["match_probability"] is None
        else:
            assert s["match_probability"] == pytest.approx(d["match_probability"], abs=TOLERANCE)
    pairs = {(r["record_id"], r["child_id"]): r for r in duck.pairs.to_pylist()}
    spark_pairs = {(r["record_id"], r["child_id"]): r for r in spark.pairs.to_pylist()}
    assert pairs.keys() == spark_pairs.keys()
    for key, row in pairs.items():
        for column, value in row.items():
            if column.startswith("mw_") or column == "match_probability":
                other = spark_pairs[key][column]
                assert (value is None) == (other is None), (key, column)
                if value is not None:
                    assert other == pytest.approx(value, abs=TOLERANCE), (key, column)


def test_saved_duckdb_model_links_the_same_on_spark(spark: Any, partnership: Any) -> None:
    register, records = partnership
    model = engine.default_model()  # trained on DuckDB
    assert model["sql_dialect"] == "duckdb"
    duck = engine.link_to_register(register=register, records=records, model=model)
    on_spark = engine.link_to_register(
        register=register, records=records, model=model, backend="spark", spark=spark
    )
    outcomes = {row["outcome"] for row in duck.decisions.to_pylist()}
    assert {engine.DETERMINISTIC, engine.AUTOMATIC} <= outcomes  # the model had work to do
    _assert_same(duck, on_spark)


def test_model_trained_on_spark_is_saved_and_runs_on_duckdb(spark: Any, partnership: Any) -> None:
    register, records = partnership
    trained = engine.link_to_register(
        register=register, records=records, backend="spark", spark=spark
    )
    model = json.loads(json.dumps(trained.model))  # as stored in the database
    assert model["sql_dialect"] == "spark"
    assert engine.model_fields(model) == engine.model_fields(engine.default_model())
    levels = [lv for c in model["comparisons"] for lv in c["comparison_levels"]]
    assert all(lv.get("m_probability") for lv in levels if not lv.get("is_null_level"))
    duck = engine.link_to_register(register=register, records=records, model=model)
    _assert_same(duck, trained)


def test_similarity_functions_agree_at_the_levels_thresholds(spark: Any) -> None:
    """DuckDB's built-ins and Splink's Spark jar on names that sit near each level's edge."""
    names = [
        "WILLIAM",
        "WILIAM",
        "WILLAIM",
        "WILLIAMS",
        "BILL",
        "HUGHES",
        "HUGHSE",
        "HUGH",
        "MARTHA",
        "MARHTA",
        "MARTA",
        "DIXON",
        "DICKSON",
        "DWAYNE",
        "DUANE",
        "JONES",
        "JOENS",
        "JOHNSON",
        "JOHNSTON",
        "1 HIGH STREET EASTMOOR",
        "1 HIGH ST EASTMOOR",
        "EASTMOOR 1 HIGH STREET",
        "2015-03-07",
        "2015-07-03",
        "2015-03-17",
        "A",
        "AB",
    ]
    pairs = pa.table({"a": [a for a in names for _ in names], "b": names * len(names)})
    functions = {
        "jaro_winkler": ("jaro_winkler_similarity(a, b) >= 0.88", 0.88),
        "jaccard": ("jaccard(a, b) >= 0.6", 0.6),
        "damerau_levenshtein": ("damerau_levenshtein(a, b) <= 1", 1),
    }
    con = duckdb.connect()
    con.register("pairs", pairs)
    spark.createDataFrame(pairs).createOrReplaceTempView("pairs")
    try:
        for name, (condition, _) in functions.items():
            on_duckdb = con.sql(f"SELECT a, b, {condition} FROM pairs").fetchall()  # noqa: S608
            spark_sql = translate(condition, source="duckdb", target="spark")
            on_spark = [
                tuple(row)
                for row in spark.sql(f"SELECT a, b, {spark_sql} FROM pairs").collect()  # noqa: S608
            ]
            assert sorted(on_duckdb) == sorted(on_spark), name
    finally:
        spark.catalog.dropTempView("pairs")


def test_translation_keeps_identifiers_and_array_overlap() -> None:
    spark_sql = translate(
        '"forename_l" IS NULL OR list_has_any(forename_variants_l, forename_variants_r)',
        source="duckdb",
        target="spark",
    )
    # Spark reads "x" as a string, and && as AND: both would be silently wrong.
    assert spark_sql == (
        "`forename_l` IS NULL OR ARRAYS_OVERLAP(forename_variants_l, forename_variants_r)"
    )
    assert translate(spark_sql, source="spark", target="duckdb") == (
        '"forename_l" IS NULL OR LIST_HAS_ANY(forename_variants_l, forename_variants_r)'
    )
    with pytest.raises(ValueError, match="unknown SQL dialect 'oracle'"):
        translate("a = b", source="duckdb", target="oracle")


MAPPING = "id: ref\nforename: first\nsurname: last\ndate_of_birth: born\nsex: sex\n" \
    "postcode: pc\nnhs_number: nhs\nupn: upn\n"  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, partnership: Any) -> Path:
    root = tmp_path_factory.mktemp("spark_cli")
    register, records = partnership
    for name, table in (("a", register), ("b", records)):
        with (root / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["ref", "first", "last", "born", "sex", "pc", "nhs", "upn"])
            for row in table.to_pylist():
                writer.writerow(
                    [row["unique_id"], row["forename"], row["surname"], row["date_of_birth"],
                     row["sex"], row["postcode"], row["nhs_number"], row["upn"]]
                )  # fmt: skip
    (root / "map.yaml").write_text(MAPPING)
    (root / "model.json").write_text(json.dumps(engine.default_model()))
    return root


def _read(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def _run(files: Path, out: str, *args: Any) -> dict[str, list[dict[str, str]]]:
    call_command(*args, "--map", files / "map.yaml", "--out", files / out,
                 "--model", files / "model.json")  # fmt: skip
    return {p.stem: _read(p) for p in (files / out).glob("*.csv")}


@pytest.mark.parametrize("mode", ["link", "dedupe"])
def test_cli_backend_spark_writes_what_duckdb_writes(spark: Any, files: Path, mode: str) -> None:
    args: list[Any] = (
        ["link", "--dedupe", files / "b.csv"]
        if mode == "dedupe"
        else ["link", "--left", files / "a.csv", "--right", files / "b.csv"]
    )
    on_duckdb = _run(files, f"{mode}-duckdb", *args)
    on_spark = _run(files, f"{mode}-spark", *args, "--backend", "spark")
    assert set(on_spark) == (
        {"pairs", "links", "clusters"} if mode == "dedupe" else {"pairs", "links"}
    )
    assert on_spark == on_duckdb
    assert on_spark["links"]
    assert spark.sparkContext._jsc is not None  # the command left the test's session running


def test_cli_refuses_an_unknown_backend(files: Path) -> None:
    with pytest.raises(CommandError, match="--backend 'postgres' is not a linkage backend; "
                       "choose one of duckdb, spark"):  # fmt: skip
        _run(files, "bad", "link", "--dedupe", files / "b.csv", "--backend", "postgres")


def test_engine_refuses_spark_without_a_session(partnership: Any) -> None:
    register, records = partnership
    with pytest.raises(ValueError, match="backend 'spark' needs a SparkSession"):
        engine.link_to_register(
            register=register, records=records, model=engine.default_model(), backend="spark"
        )
    with pytest.raises(ValueError, match="unknown linkage backend 'sparky'"):
        engine.dedupe(records=records, backend="sparky")
