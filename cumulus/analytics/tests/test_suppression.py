from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from cumulus.analytics.engine import RESULT_SCHEMA
from cumulus.analytics.suppression import suppress

DAY = dt.date(2026, 3, 31)


def _rows(groups: dict[str, int]) -> pa.Table:
    rows = [
        {
            "indicator": "x",
            "period_end": DAY,
            "breakdown": "all",
            "group": "all",
            "numerator": sum(groups.values()),
            "denominator": None,
            "value": float(sum(groups.values())),
        }
    ]
    for name, n in groups.items():
        rows.append(
            {
                "indicator": "x",
                "period_end": DAY,
                "breakdown": "sex",
                "group": name,
                "numerator": n,
                "denominator": None,
                "value": float(n),
            }
        )
    return pa.Table.from_pylist(rows, schema=RESULT_SCHEMA)


def _published(table: pa.Table) -> dict[str, int | None]:
    return {r["group"]: r["numerator"] for r in table.to_pylist() if r["breakdown"] == "sex"}


def test_counts_of_one_to_five_are_suppressed_and_zero_is_not() -> None:
    out = _published(suppress(_rows({"F": 5, "M": 0, "U": 6, "X": 40})))
    assert out["F"] is None
    assert out["M"] == 0


def test_a_lone_suppressed_cell_takes_the_next_smallest_with_it() -> None:
    out = _published(suppress(_rows({"F": 3, "M": 40, "U": 12})))
    assert out == {"F": None, "M": 40, "U": None}


def test_two_suppressed_cells_need_no_secondary_suppression() -> None:
    out = _published(suppress(_rows({"F": 3, "M": 40, "U": 2, "X": 12})))
    assert out == {"F": None, "M": 40, "U": None, "X": 12}


@settings(deadline=None)  # correctness, not timing: a loaded machine must not fail it
@given(st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 30), min_size=1))
def test_no_suppressed_cell_can_be_recovered_from_the_total(groups: dict[str, int]) -> None:
    table = suppress(_rows(groups))
    out = _published(table)
    total = next(r["numerator"] for r in table.to_pylist() if r["breakdown"] == "all")
    hidden = [g for g, n in out.items() if n is None]
    assert all(not 0 < n <= 5 for n in out.values() if n is not None)
    # Subtracting the published groups from a published total never pins down one hidden cell.
    assert total is None or len(hidden) != 1
