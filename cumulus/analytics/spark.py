"""Running the catalogue on Apache Spark (the optional ``spark`` extra: ``uv sync --extra spark``).

The same Ibis expressions run on Spark once the extract's tables are registered under their
names. A regional alliance would point ``ibis.pyspark.connect`` at its cluster's session and
register each authority's extract; locally, ``local_session`` is enough to prove equality::

    spark = local_session()
    register_tables(spark, tables, tmp)   # Arrow tables by name, e.g. read from DuckDB
    results = compute(ibis.pyspark.connect(spark), ends, single_query=True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cumulus.analytics.schema import TABLES


def local_session(
    app_name: str = "cumulus-analytics", *, master: str = "local[2]", jars: Sequence[str] = ()
) -> Any:
    """A small local Spark session: two threads, few partitions, no UI, UTC; ``jars`` are
    local jar files to load (linkage loads Splink's similarity functions this way)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if jars:
        builder = builder.config("spark.jars", ",".join(jars))
    return (
        builder.master(master)
        .appName(app_name)
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )


def stop_session(spark: Any) -> None:
    """Stop ``spark`` and the JVM behind it, so no Java process outlives the caller's work.

    One JVM serves every session of a process and its class path is fixed when it starts, so
    a later session that needs jars (linkage's similarity functions) must find no JVM left.
    """
    spark.stop()
    stop_jvm()


def stop_jvm() -> None:
    """Shut down this process's Spark JVM, if one is running; the next session starts anew."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    process = getattr(gateway, "proc", None)
    gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if process is not None:
        process.stdin.close()  # the JVM exits when its parent closes its standard input
        try:
            process.wait(timeout=30)
        except Exception:  # a JVM that will not exit is killed
            process.kill()


def register_tables(spark: Any, tables: Mapping[str, pa.Table], directory: Path) -> None:
    """Register each extract table as a Spark temporary view, through Parquet in ``directory``.

    Parquet keeps the extract's types exactly (dates, nullable integers) and lets Spark read
    the data itself, with no Python worker in the query.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        path = directory / f"{name}.parquet"
        pq.write_table(tables[name], path)
        spark.read.parquet(str(path)).createOrReplaceTempView(name)
