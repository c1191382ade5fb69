"""Small-number suppression of published cells, with secondary suppression.

A count of 1 to ``threshold`` (5: the brief's "suppress published counts of 1-5", which also
covers the issue's "below 5 but above 0") is never published, nor is any rate, percentage or
median computed from it. Because a breakdown's groups add up to the published "all" figure, a
single suppressed group could be recovered by subtraction; so when only one group of a
breakdown is suppressed, the next smallest non-zero group is suppressed too::

    published = suppress(results)          # same rows; suppressed cells are null
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

THRESHOLD = 5


def _small(count: int | None, threshold: int) -> bool:
    return count is not None and 0 < count <= threshold


def suppress(results: pa.Table, threshold: int = THRESHOLD) -> pa.Table:
    """``results`` (``engine.RESULT_SCHEMA``) with small cells blanked and a ``suppressed`` flag."""
    rows = results.to_pylist()
    for row in rows:
        row["suppressed"] = _small(row["numerator"], threshold) or _small(
            row["denominator"], threshold
        )
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["breakdown"] != "all":
            groups[(row["indicator"], row["period_end"], row["breakdown"])].append(row)
    for cells in groups.values():
        hidden = [c for c in cells if c["suppressed"]]
        if len(hidden) == 1:
            others = sorted(
                (c for c in cells if not c["suppressed"] and (c["numerator"] or 0) > 0),
                key=lambda c: (c["numerator"], c["group"]),
            )
            if others:
                others[0]["suppressed"] = True
    for row in rows:
        if row["suppressed"]:
            row["numerator"] = row["denominator"] = row["value"] = None
    schema = results.schema.append(pa.field("suppressed", pa.bool_()))
    return pa.Table.from_pylist(rows, schema=schema)
