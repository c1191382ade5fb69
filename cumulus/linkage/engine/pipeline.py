"""Link person records: deterministic rules first, then the Splink model, then thresholds.

Tables in, tables out (pyarrow), all work in one DuckDB connection but Splink's training and
scoring, which run there too or on Spark (``backend="spark"``, see ``backends.py``). No Django
here: the Django side (``cumulus.linkage.services``) turns the decisions into links, review
items and new children, and the ``cumulus link`` command writes them to CSV.
"""

# ruff: noqa: S608 - SQL is built from our own table names and quoted column names; values are
# always parameters or registered tables.

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from cumulus.linkage.engine import saved
from cumulus.linkage.engine.backends import check_backend, splink_on
from cumulus.linkage.engine.prepare import prepare, present_fields

AUTOMATIC = "automatic"
DETERMINISTIC = "deterministic"
REVIEW = "review"
NEW = "new"
OUTCOMES = (DETERMINISTIC, AUTOMATIC, REVIEW, NEW)


@dataclass(frozen=True)
class Thresholds:
    """Match probability cut-offs: at or above ``upper`` link, below ``lower`` a new person,
    between them a person decides. Over-linking merges two children's histories, so ``upper``
    is set high; see docs/linkage.md for how the defaults were measured."""

    upper: float = 0.999
    lower: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 < self.lower < self.upper < 1.0:
            raise ValueError(
                f"thresholds must satisfy 0 < lower < upper < 1; got lower={self.lower}, "
                f"upper={self.upper}"
            )


@dataclass
class LinkResult:
    """What a run decided. ``decisions``: one row per record (``record_id``, ``child_id``,
    ``outcome``, ``method``, ``match_probability``, ``match_weight``). ``pairs``: every
    candidate pair at or above the lower threshold, with each comparison's match weight
    (``mw_<field>``; :func:`evidence` names the levels)."""

    decisions: pa.Table
    pairs: pa.Table
    model: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


def connect(
    *, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection, optionally limited to ``threads`` and ``memory_limit``."""
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    return con


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._last
        self._last = now


def _deterministic(con: duckdb.DuckDBPyConnection, fields: set[str]) -> None:
    """Records whose valid NHS number or UPN and date of birth agree with exactly one child."""
    parts = []
    for identifier in ("nhs_number", "upn"):
        if identifier in fields and "date_of_birth" in fields:
            parts.append(f"""
                SELECT r.unique_id AS record_id, c.unique_id AS child_id,
                       '{identifier}' AS method
                FROM p_records r JOIN p_register c
                  ON r.{identifier} = c.{identifier} AND r.date_of_birth = c.date_of_birth""")
    if not parts:
        parts.append(
            "SELECT CAST(NULL AS VARCHAR) record_id, CAST(NULL AS VARCHAR) child_id, "
            "CAST(NULL AS VARCHAR) method WHERE false"
        )
    con.execute(f"""
        CREATE OR REPLACE TABLE deterministic AS
        SELECT record_id, min(child_id) AS child_id, min(method) AS method
        FROM ({" UNION ALL ".join(parts)})
        GROUP BY record_id
        HAVING min(child_id) = max(child_id)
    """)


def link_to_register(
    *,
    register: pa.Table | None,
    records: pa.Table,
    model: dict[str, Any] | None = None,
    thresholds: Thresholds | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    seed: int = 1,
    train_sample: int = 200_000,
    backend: str = "duckdb",
    spark: Any = None,
) -> LinkResult:
    """Match each of ``records`` to at most one person of ``register`` (e.g. the children).

    Both tables need ``unique_id`` and any of the person fields. ``register=None`` reuses
    the register already prepared in ``con`` (:func:`prepare_register_file`). With ``model``
    (a saved model) nothing is trained: only the records are scored against the register, which is
    how a daily feed is linked incrementally. Without it the model is trained on these two
    tables first (on at most ``train_sample`` rows of each, which bounds training time and
    memory whatever the size of the inputs) and returned in the result. ``backend`` is where
    Splink runs: ``"duckdb"`` (in ``con``) or ``"spark"`` (on the SparkSession ``spark``).
    """
    from splink import Linker

    from cumulus.linkage.engine import model as modelling

    check_backend(backend)
    thresholds = thresholds or Thresholds()
    con = con or connect()
    clock = _Clock()
    if register is not None:
        prepare(con, register, name="p_register")
    elif not con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'p_register'"
    ).fetchall()[0][0]:
        raise ValueError("register is None but con holds no prepared register (p_register)")
    prepare(con, records, name="p_records")
    clock.lap("prepare")

    with splink_on(backend, con, spark) as splink:
        register_sdf = splink.register("p_register", "register")
        if model is None:
            fields = present_fields(con, "p_register", "p_records")
            samples = []
            for name in ("p_register", "p_records"):
                con.execute(f"""
                    CREATE OR REPLACE TABLE {name}_sample AS SELECT * FROM {name}
                    USING SAMPLE reservoir({int(train_sample)} ROWS) REPEATABLE ({int(seed)})
                """)
                samples.append(splink.register(f"{name}_sample", f"{name}_train"))
            _, model = modelling.train(samples, fields, link_type="link_only", seed=seed)
            clock.lap("train")
        fields = set(saved.model_fields(model))

        _deterministic(con, fields)
        con.execute("""
            CREATE OR REPLACE TABLE p_remaining AS
            SELECT * FROM p_records r ANTI JOIN deterministic d ON d.record_id = r.unique_id
        """)
        clock.lap("deterministic")

        remaining_sdf = splink.register("p_remaining", "incoming")
        linker = Linker(
            [register_sdf, remaining_sdf],
            saved.splink_settings(model, splink.dialect),
            log_level=logging.WARNING,
        )
        predictions = linker.inference.predict_between(
            register_sdf,
            remaining_sdf,
            threshold_match_probability=thresholds.lower,
            warning_mode="never",
        )
        clock.lap("predict")
        weight_columns = [f"mw_{name}" for name in sorted(fields)]
        predicted = splink.fetch(predictions, "predicted")
        available = {row[0] for row in con.execute(f"DESCRIBE {predicted}").fetchall()}
        extra = ", ".join(c for c in weight_columns if c in available)
        con.execute(f"""
            CREATE OR REPLACE TABLE pairs AS
            SELECT unique_id_r AS record_id, unique_id_l AS child_id, match_probability,
                   match_weight{", " + extra if extra else ""}
            FROM {predicted}
        """)
        decisions = _classify(con, thresholds)
        clock.lap("classify")
        pairs = con.sql("""
            SELECT 'deterministic' AS kind, record_id, child_id, 1.0 AS match_probability,
                   NULL AS match_weight
            FROM deterministic ORDER BY record_id
        """).to_arrow_table()
        probabilistic = con.sql("SELECT * FROM pairs ORDER BY record_id, child_id").to_arrow_table()
        predictions.drop_table_from_database_and_remove_from_cache()
        return LinkResult(
            decisions=decisions,
            pairs=_with_deterministic(pairs, probabilistic),
            model=model,
            timings=clock.timings,
        )


def prepare_register_file(register: pa.Table, path: str) -> None:
    """Prepare the register once into a DuckDB file, for daily runs to start from.

    The register changes slowly (new children, corrected names), the feeds daily: preparing
    hundreds of thousands of children for every 10,000-record feed would cost more than
    linking the feed. Open it with :func:`connect_with_register`.
    """
    con = duckdb.connect(path)
    try:
        prepare(con, register, name="p_register")
    finally:
        con.close()


def connect_with_register(path: str, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding a copy of the register prepared in ``path``."""
    con = connect(threads=threads)
    con.execute("ATTACH ? AS prepared (READ_ONLY)", [path])
    con.execute("CREATE TABLE p_register AS SELECT * FROM prepared.p_register")
    con.execute("DETACH prepared")
    return con


def _with_deterministic(deterministic: pa.Table, probabilistic: pa.Table) -> pa.Table:
    """One pairs table: the deterministic links (probability 1) then the model's pairs."""
    columns = {
        name: pa.nulls(deterministic.num_rows, probabilistic.schema.field(name).type)
        for name in probabilistic.column_names
    }
    columns["record_id"] = deterministic.column("record_id").cast(pa.string())
    columns["child_id"] = deterministic.column("child_id").cast(pa.string())
    columns["match_probability"] = pa.array([1.0] * deterministic.num_rows, pa.float64())
    head = pa.table(
        {name: columns[name] for name in probabilistic.column_names}, schema=probabilistic.schema
    )
    method = pa.array(
        ["deterministic"] * head.num_rows + ["probabilistic"] * probabilistic.num_rows
    )
    return pa.concat_tables([head, probabilistic]).append_column("method", method)


def _classify(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> pa.Table:
    """One decision per record. Automatic only when the best child clears ``upper`` and no
    other child does; two strong candidates (twins, duplicates in the register) go to review."""
    return con.sql(
        """
        WITH ranked AS (
            SELECT record_id, child_id, match_probability, match_weight,
                   row_number() OVER (PARTITION BY record_id
                                      ORDER BY match_probability DESC, child_id) AS rank
            FROM pairs
        ),
        best AS (
            SELECT record_id,
                   max(CASE WHEN rank = 1 THEN child_id END) AS child_id,
                   max(CASE WHEN rank = 1 THEN match_probability END) AS match_probability,
                   max(CASE WHEN rank = 1 THEN match_weight END) AS match_weight,
                   max(CASE WHEN rank = 2 THEN match_probability END) AS runner_up
            FROM ranked GROUP BY record_id
        )
        SELECT r.unique_id AS record_id,
               CASE WHEN d.record_id IS NOT NULL THEN d.child_id
                    WHEN b.match_probability >= $upper AND coalesce(b.runner_up, 0) < $upper
                        THEN b.child_id
                    WHEN b.child_id IS NOT NULL THEN b.child_id
               END AS child_id,
               CASE WHEN d.record_id IS NOT NULL THEN 'deterministic'
                    WHEN b.match_probability >= $upper AND coalesce(b.runner_up, 0) < $upper
                        THEN 'automatic'
                    WHEN b.child_id IS NOT NULL THEN 'review'
                    ELSE 'new'
               END AS outcome,
               CASE WHEN d.record_id IS NOT NULL THEN d.method
                    WHEN b.child_id IS NOT NULL THEN 'probabilistic'
               END AS method,
               CASE WHEN d.record_id IS NOT NULL THEN 1.0 ELSE b.match_probability END
                   AS match_probability,
               b.match_weight
        FROM p_records r
        LEFT JOIN deterministic d ON d.record_id = r.unique_id
        LEFT JOIN best b ON b.record_id = r.unique_id
        ORDER BY r.unique_id
        """,
        params={"upper": thresholds.upper},
    ).to_arrow_table()


def dedupe(
    *,
    records: pa.Table,
    model: dict[str, Any] | None = None,
    thresholds: Thresholds | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    seed: int = 1,
    backend: str = "duckdb",
    spark: Any = None,
) -> tuple[pa.Table, pa.Table, dict[str, Any]]:
    """Find the records of one table that are the same person.

    Returns ``(pairs, clusters, model)``: ``pairs`` every pair at or above the lower threshold
    (``left_id``, ``right_id``, ``match_probability``), ``clusters`` each record's
    ``cluster_id`` (records joined by pairs at or above the upper threshold). ``backend`` and
    ``spark`` as for :func:`link_to_register`.
    """
    from splink import Linker

    from cumulus.linkage.engine import model as modelling

    check_backend(backend)
    thresholds = thresholds or Thresholds()
    con = con or connect()
    prepare(con, records, name="p_records")
    with splink_on(backend, con, spark) as splink:
        sdf = splink.register("p_records", "records")
        if model is None:
            fields = present_fields(con, "p_records")
            _, model = modelling.train([sdf], fields, link_type="dedupe_only", seed=seed)
        settings = dict(saved.splink_settings(model, splink.dialect), link_type="dedupe_only")
        linker = Linker(sdf, settings, log_level=logging.WARNING)
        predictions = linker.inference.predict(threshold_match_probability=thresholds.lower)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, thresholds.upper
        )
        pairs = con.sql(f"""
            SELECT unique_id_l AS left_id, unique_id_r AS right_id, match_probability
            FROM {splink.fetch(predictions, "predicted")} ORDER BY left_id, right_id
        """).to_arrow_table()
        cluster_table = con.sql(f"""
            SELECT unique_id AS record_id, cluster_id FROM {splink.fetch(clusters, "clusters")}
            ORDER BY record_id
        """).to_arrow_table()
        return pairs, cluster_table, model


DESCRIPTIONS = {
    "forename": "Forename",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "address": "Address",
    "nhs_number": "NHS number",
    "upn": "Unique pupil number",
    "other_ids": "Other identifiers",
}


def evidence(model: dict[str, Any], pair: dict[str, Any]) -> list[dict[str, Any]]:
    """For one pair (a row of ``LinkResult.pairs``): each comparison's level and its match
    weight, the evidence for (positive) and against (negative) the two being one person.

    Splink's ``predict_between`` returns each comparison's match weight but not its level, so
    the level is the one whose weight, log2(m/u), it is (each level's weight is its own).
    """
    rows = []
    for comparison in model.get("comparisons", []):
        name = comparison["output_column_name"]
        weight = pair.get(f"mw_{name}")
        rows.append(
            {
                "field": name,
                "description": DESCRIPTIONS.get(name, name),
                "level": "" if weight is None else _level_label(comparison, float(weight)),
                "match_weight": None if weight is None else float(weight),
            }
        )
    return rows


def _level_label(comparison: dict[str, Any], weight: float) -> str:
    best, distance = "", 1e-6
    for level in comparison["comparison_levels"]:
        if level.get("is_null_level"):
            level_weight = 0.0
        else:
            m, u = level.get("m_probability"), level.get("u_probability")
            if not m or not u:
                continue
            level_weight = math.log2(m / u)
        if abs(level_weight - weight) < distance:
            best, distance = str(level.get("label_for_charts") or ""), abs(level_weight - weight)
    return best
