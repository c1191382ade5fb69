"""One model, two SQL dialects: the comparison levels and blocking rules for DuckDB or Spark.

The levels are written once, in DuckDB SQL (:mod:`cumulus.linkage.engine.model`), and a saved
model keeps the SQL of the backend it was trained on (its ``sql_dialect``). Everything else is
translated here with sqlglot, as Splink itself does for a ``CustomLevel`` with a base dialect,
plus the few functions sqlglot 30 gets wrong for Spark: DuckDB's ``list_has_any`` comes out as
``&&`` (Spark's logical AND) and ``jaro_winkler_similarity`` under a name Spark lacks. Spark gets
the similarity functions from the Scala jar shipped inside Splink's wheel (``jaro_winkler``,
``jaccard``, ``damerau_levenshtein``), registered by Splink's ``SparkAPI``.

Without the translation a DuckDB model on Spark would be silently wrong, not failing: Spark reads
``"forename_l" IS NULL`` as a string literal that is never null.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlglot
from sqlglot import expressions as exp

DIALECTS = ("duckdb", "spark")

# Concept -> function name per dialect, for what sqlglot cannot carry over by itself.
_FUNCTIONS: dict[str, dict[str, str]] = {
    "array_overlap": {"duckdb": "list_has_any", "spark": "arrays_overlap"},
    "jaro_winkler": {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"},
}
_BY_NAME = {
    name.upper(): concept for concept, names in _FUNCTIONS.items() for name in names.values()
}


def _concept(node: exp.Expression) -> str | None:
    if isinstance(node, exp.ArrayOverlaps):
        return "array_overlap"
    if type(node).__name__ == "JarowinklerSimilarity":
        return "jaro_winkler"
    if isinstance(node, exp.Anonymous):
        return _BY_NAME.get(str(node.name).upper())
    return None


def translate(sql: str, *, source: str, target: str) -> str:
    """``sql`` (a condition) written for ``source`` as the same condition for ``target``."""
    for name in (source, target):
        if name not in DIALECTS:
            raise ValueError(f"unknown SQL dialect {name!r}; expected one of {', '.join(DIALECTS)}")
    if source == target or sql.strip().upper() == "ELSE":
        return sql
    tree = sqlglot.parse_one(sql, read=source)

    def rename(node: exp.Expression) -> exp.Expression:
        concept = _concept(node)
        if concept is None:
            return node
        if isinstance(node, exp.ArrayOverlaps):
            arguments = [node.this, node.expression]
        else:
            arguments = list(node.expressions) or [node.this, node.expression]
        return exp.Anonymous(this=_FUNCTIONS[concept][target], expressions=arguments)

    return tree.transform(rename).sql(dialect=target)


def settings_for(settings: dict[str, Any], target: str) -> dict[str, Any]:
    """A copy of Splink ``settings`` (a saved model's) with every SQL condition in ``target``."""
    source = settings.get("sql_dialect") or "duckdb"
    if source == target:
        return settings
    out = copy.deepcopy(settings)
    out["sql_dialect"] = target
    for comparison in out.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            if "sql_condition" in level:
                level["sql_condition"] = translate(
                    level["sql_condition"], source=source, target=target
                )
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rule["blocking_rule"] = translate(rule["blocking_rule"], source=source, target=target)
            rule["sql_dialect"] = target
    return out
