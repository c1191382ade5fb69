"""Record linkage engine: Splink 5 on DuckDB (or Spark), tables in and tables out, no Django.

    from cumulus.linkage import engine
    result = engine.link_to_register(register=children, records=feed)   # trains a model
    later = engine.link_to_register(register=children, records=new_feed, model=result.model)

See docs/linkage.md.
"""

from cumulus.linkage.engine.backends import BACKENDS, spark_session, stop_spark
from cumulus.linkage.engine.pipeline import (
    AUTOMATIC,
    DETERMINISTIC,
    NEW,
    OUTCOMES,
    REVIEW,
    LinkResult,
    Thresholds,
    connect,
    connect_with_register,
    dedupe,
    evidence,
    link_to_register,
    prepare_register_file,
)
from cumulus.linkage.engine.prepare import FIELDS, nicknames, prepare
from cumulus.linkage.engine.saved import default_model, model_fields

__all__ = [
    "AUTOMATIC",
    "BACKENDS",
    "DETERMINISTIC",
    "FIELDS",
    "NEW",
    "OUTCOMES",
    "REVIEW",
    "LinkResult",
    "Thresholds",
    "connect",
    "connect_with_register",
    "dedupe",
    "default_model",
    "evidence",
    "link_to_register",
    "model_fields",
    "nicknames",
    "prepare",
    "prepare_register_file",
    "spark_session",
    "stop_spark",
]
