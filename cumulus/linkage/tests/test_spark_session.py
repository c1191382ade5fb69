"""The linkage Spark session can call Splink's similarity functions whatever ran before it.

One JVM serves a process, and its class path is fixed when it starts: a session started
earlier without Splink's jar (the indicators' one) must not leave linkage without them.
"""

from __future__ import annotations

import pytest

from cumulus.linkage import engine


def test_similarity_functions_exist_after_a_session_without_the_jar() -> None:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from cumulus.analytics.spark import local_session

    earlier = local_session()
    assert earlier.sql("SELECT 1").collect()[0][0] == 1
    earlier.stop()  # as a caller might: the session ends, its JVM stays

    spark = engine.spark_session("local[1]")
    try:
        row = spark.sql(
            "SELECT jaro_winkler('MARTHA', 'MARHTA'), damerau_levenshtein('JONES', 'JOENS')"
        ).collect()[0]
        assert row[0] == pytest.approx(0.961, abs=0.001)
        assert row[1] == 1
    finally:
        engine.stop_spark(spark)
