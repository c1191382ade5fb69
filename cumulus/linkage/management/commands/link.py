"""``cumulus link``: link any two files of person records, or find duplicates in one.

    cumulus link --left A.csv --right B.csv --map MAPPING.yaml --out DIR
    cumulus link --dedupe A.csv --map MAPPING.yaml --out DIR
    cumulus link ... --backend spark     # Splink on a local Spark session instead of DuckDB

Writes DIR/pairs.csv (left_id,right_id,match_probability: every pair at or above the lower
threshold), DIR/links.csv (left_id,right_id: the pairs it would link automatically) and, with
--dedupe, DIR/clusters.csv (record_id,cluster_id). The model is trained on the files unless
--model names a saved one. See docs/linkage.md.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.core.spreadsheet import neutralise
from cumulus.linkage import engine
from cumulus.linkage.mapping import MappingError, load_mapping, read_records


class Command(BaseCommand):
    help = "Link two CSV files of person records (or dedupe one) with the linkage pipeline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--left", type=Path, help="the first file (e.g. the register)")
        parser.add_argument("--right", type=Path, help="the second file, linked to --left")
        parser.add_argument("--dedupe", type=Path, help="one file to find duplicates in")
        parser.add_argument("--map", dest="mapping", type=Path, required=True)
        parser.add_argument("--out", type=Path, required=True, help="directory for the CSVs")
        parser.add_argument("--upper", type=float, default=engine.Thresholds().upper)
        parser.add_argument("--lower", type=float, default=engine.Thresholds().lower)
        parser.add_argument("--model", type=Path, help="a saved model JSON instead of training")
        parser.add_argument("--save-model", type=Path, help="write the model used to this file")
        parser.add_argument("--threads", type=int, default=None)
        parser.add_argument(
            "--backend",
            default="duckdb",
            help=f"where Splink runs: {' or '.join(engine.BACKENDS)} (default duckdb); spark "
            "uses the running Spark session, or starts a local one (needs the spark extra)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        dedupe_path, left, right = options["dedupe"], options["left"], options["right"]
        if dedupe_path and (left or right):
            raise CommandError("Give either --dedupe FILE or --left and --right, not both")
        if not dedupe_path and not (left and right):
            raise CommandError("Give --left and --right (to link two files) or --dedupe FILE")
        try:
            thresholds = engine.Thresholds(upper=options["upper"], lower=options["lower"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        backend = options["backend"]
        if backend not in engine.BACKENDS:
            raise CommandError(
                f"--backend {backend!r} is not a linkage backend; choose one of "
                + ", ".join(engine.BACKENDS)
            )
        model = self._model(options["model"])
        try:
            mapping = load_mapping(options["mapping"])
            inputs = [
                read_records(p, mapping) for p in ([dedupe_path] if dedupe_path else [left, right])
            ]
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        con = engine.connect(threads=options["threads"])
        spark, started_spark = _spark(backend)
        try:
            if dedupe_path:
                pairs, clusters, model = engine.dedupe(
                    records=inputs[0],
                    model=model,
                    thresholds=thresholds,
                    con=con,
                    backend=backend,
                    spark=spark,
                )
                links = pairs.filter(
                    pa.compute.greater_equal(pairs["match_probability"], thresholds.upper)
                )
                _write(out / "pairs.csv", ["left_id", "right_id", "match_probability"], pairs)
                _write(out / "links.csv", ["left_id", "right_id"], links)
                _write(out / "clusters.csv", ["record_id", "cluster_id"], clusters)
                counts = f"{pairs.num_rows} pairs, {links.num_rows} links, clusters.csv"
            else:
                result = engine.link_to_register(
                    register=inputs[0],
                    records=inputs[1],
                    model=model,
                    thresholds=thresholds,
                    con=con,
                    backend=backend,
                    spark=spark,
                )
                model = result.model
                pairs = result.pairs.rename_columns(
                    [
                        "right_id" if c == "record_id" else "left_id" if c == "child_id" else c
                        for c in result.pairs.column_names
                    ]
                )
                decided = result.decisions.filter(
                    pa.compute.is_in(
                        result.decisions["outcome"],
                        value_set=pa.array([engine.DETERMINISTIC, engine.AUTOMATIC]),
                    )
                ).rename_columns(
                    [
                        "right_id" if c == "record_id" else "left_id" if c == "child_id" else c
                        for c in result.decisions.column_names
                    ]
                )
                _write(out / "pairs.csv", ["left_id", "right_id", "match_probability"], pairs)
                _write(out / "links.csv", ["left_id", "right_id"], decided)
                counts = f"{pairs.num_rows} pairs, {decided.num_rows} links"
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if started_spark:
                engine.stop_spark(spark)
        if options["save_model"]:
            options["save_model"].write_text(json.dumps(model, indent=1, sort_keys=True))
        self.stdout.write(f"Wrote {counts} to {out} in {time.perf_counter() - started:.1f} s")

    def _model(self, path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        try:
            model: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            engine.model_fields(model)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: not a saved Cumulus linkage model ({exc})") from None
        return model


def _spark(backend: str) -> tuple[Any, bool]:
    """The Spark session to link on and whether this command started it (and so stops it)."""
    if backend != "spark":
        return None, False
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise CommandError(
            "--backend spark needs pyspark: install the spark extra (uv sync --extra spark)"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    return engine.spark_session(), True


def _write(path: Path, columns: list[str], table: pa.Table) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        data = [table.column(c).to_pylist() for c in columns]
        for row in zip(*data, strict=True):  # ids come from agency files: no formulas
            writer.writerow([_cell(neutralise(v)) for v in row])


def _cell(value: object) -> object:
    """A probability to six places (after ``neutralise``, so a number stays a number)."""
    if isinstance(value, float):
        return f"{value:.6f}"
    return "" if value is None else value
