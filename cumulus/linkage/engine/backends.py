"""Where Splink runs: DuckDB (embedded, the default) or Spark (a regional or national pool).

Only Splink's work moves: training and scoring, whose cost grows with the number of
comparisons. Normalising, the deterministic rules and the thresholds stay in the run's DuckDB
connection on both backends, so those rules have one definition; the prepared tables go to
Spark as Arrow, and Splink's pairs and clusters come back the same way.
"""

from __future__ import annotations

from typing import Any

import duckdb

BACKENDS = ("duckdb", "spark")

# Splink's similarity UDFs that the model's levels call on Spark (see engine/dialect.py).
SPARK_FUNCTIONS = ("jaro_winkler", "jaccard", "damerau_levenshtein")


def check_backend(backend: str) -> str:
    """``backend`` if linkage can run on it, else a ValueError naming the choices."""
    if backend not in BACKENDS:
        raise ValueError(
            f"unknown linkage backend {backend!r}; choose one of {', '.join(BACKENDS)}"
        )
    return backend


def spark_session(master: str = "local[2]") -> Any:
    """A local Spark session (the analytics engines' one) with Splink's similarity functions
    registered, from the jar shipped inside Splink's wheel: nothing is downloaded."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    from cumulus.analytics.spark import local_session, stop_jvm

    jar = similarity_jar_location()
    active = SparkSession.getActiveSession()
    if active is None or jar not in active.sparkContext.getConf().get("spark.jars", ""):
        # A JVM started without the jar (the indicators' session, say, even once stopped)
        # can never load it, and getOrCreate would hand back its session: start afresh.
        if active is not None:
            active.stop()
        stop_jvm()
    spark = local_session("cumulus-linkage", master=master, jars=[jar])
    register_similarity_functions(spark)
    return spark


def register_similarity_functions(spark: Any) -> None:
    """Register Splink's similarity functions in ``spark``'s catalogue (Splink itself does so
    only when a linker is made), so plain Spark SQL can call them too."""
    from splink.internals.spark.jar_location import get_scala_udfs

    for udf in get_scala_udfs():
        spark.udf.registerJavaFunction(*udf)


def stop_spark(spark: Any) -> None:
    """Stop ``spark`` and the JVM behind it (a later session starts a fresh JVM)."""
    from cumulus.analytics.spark import stop_session

    stop_session(spark)


class Splink:
    """Splink on one backend for one run, beside the run's DuckDB connection ``con``."""

    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        from splink import DuckDBAPI

        self.con = con
        self.db_api: Any = DuckDBAPI(connection=con)

    def __enter__(self) -> Splink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: Splink's tables live and die with ``con``."""

    def register(self, table: str, display_name: str) -> Any:
        """The DuckDB table ``table`` of ``con`` as a Splink input."""
        return self.db_api.register(self.con.table(table), dataset_display_name=display_name)

    def fetch(self, sdf: Any, name: str) -> str:
        """The name under which Splink's output ``sdf`` can be queried in ``con``."""
        return str(sdf.physical_name)


class SparkSplink(Splink):
    """Splink's ``SparkAPI`` on ``spark``. Intermediate tables are persisted, unless the
    session has a checkpoint directory (then Splink's default, parquet, which a cluster with
    data larger than its memory needs)."""

    dialect = "spark"

    def __init__(self, con: duckdb.DuckDBPyConnection, spark: Any) -> None:
        from splink.backends.spark import SparkAPI

        self.con = con
        self.spark = spark
        self.registered: list[str] = []
        has_checkpoints = not spark._jsc.sc().getCheckpointDir().isEmpty()
        self.db_api = SparkAPI(
            spark_session=spark, break_lineage_method=None if has_checkpoints else "persist"
        )
        missing = [f for f in SPARK_FUNCTIONS if not spark.catalog.functionExists(f)]
        if missing:
            raise ValueError(
                "this Spark session cannot call Splink's similarity functions "
                f"({', '.join(missing)}): start it with spark.jars set to "
                "splink.backends.spark.similarity_jar_location(), as "
                "cumulus.linkage.engine.spark_session() does"
            )

    def register(self, table: str, display_name: str) -> Any:
        sdf = self.db_api.register(
            self.con.table(table).to_arrow_table(), dataset_display_name=display_name
        )
        self.registered.append(sdf.physical_name)
        return sdf

    def close(self) -> None:
        """Drop this run's views and Splink's cached tables from the session, which outlives
        the run (and would refuse the next run's inputs under the same names)."""
        self.db_api.delete_tables_created_by_splink_from_db()
        for name in self.registered:
            self.spark.catalog.dropTempView(name)
        self.registered.clear()

    def fetch(self, sdf: Any, name: str) -> str:
        arrow = sdf.as_spark_dataframe().toArrow()
        self.con.register(f"__{name}", arrow)
        try:
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "__{name}"')  # noqa: S608 - our own table names
        finally:
            self.con.unregister(f"__{name}")
        return name


def splink_on(backend: str, con: duckdb.DuckDBPyConnection, spark: Any = None) -> Splink:
    """Splink on ``backend`` for a run in ``con``; Spark needs a session (:func:`spark_session`)."""
    if check_backend(backend) == "duckdb":
        return Splink(con)
    if spark is None:
        raise ValueError(
            "backend 'spark' needs a SparkSession (spark=...); "
            "cumulus.linkage.engine.spark_session() starts a local one"
        )
    return SparkSplink(con, spark)
