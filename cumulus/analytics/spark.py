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
