"""The engine's fast path gives the same catalogue as slow, plain ways of computing it.

Two references on a generated partnership, every indicator and breakdown: the catalogue run
one month at a time (the way a monthly refresh would), and each indicator's grouping done in
plain Python from its base rows (distinct children, sums, medians), so a change to how the
engine groups, shares summaries or batches periods cannot change a published figure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

import ibis
import pyarrow as pa
import pytest

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import (
    ALL,
    Tables,
    compute,
    indicator_base,
    month_ends,
    periods_table,
)
from cumulus.analytics.extract_synth import extract_from_synth
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.parquet import write_parquet

ENDS = month_ends(dt.date(2026, 3, 31), 3)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("reference")
    write_parquet(generate(SynthConfig(children=200, years=3, seed=11)), root / "synth")
    database = root / "extract.duckdb"
    extract_from_synth(root / "synth", database, secret=b"r" * 32)
    connection = ibis.duckdb.connect(str(database), read_only=True)
    yield connection
    connection.disconnect()


@pytest.fixture(scope="module")
def catalogue(con: Any) -> pa.Table:
    return compute(con, ENDS)


def _cells(table: pa.Table) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {
        (r["indicator"], r["period_end"], r["breakdown"], r["group"]): r for r in table.to_pylist()
    }


def test_all_months_at_once_equal_one_month_at_a_time(con: Any, catalogue: pa.Table) -> None:
    monthly = [row for end in ENDS for row in compute(con, [end]).to_pylist()]
    assert len(monthly) == catalogue.num_rows
    assert _cells(pa.Table.from_pylist(monthly, schema=catalogue.schema)) == _cells(catalogue)


def _reference(ind: Any, rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """(period, breakdown, group) -> (numerator, denominator, median), grouped in Python."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for b in [ALL, *ind.breakdowns, *(["extra"] if ind.extra else [])]:
            group = "all" if b == ALL else r[b]
            name = ind.extra if b == "extra" else b
            groups[(r["period_end"], name, "not recorded" if group is None else str(group))].append(
                r
            )
    out = {}
    for key, members in groups.items():
        if ind.count == "children":
            num = len(
                {m["child_key"] for m in members if m["child_key"] is not None and m["num"] > 0}
            )
            den = len(
                {m["child_key"] for m in members if m["child_key"] is not None and m["den"] > 0}
            )
            median = None
        else:
            num = sum(m["num"] or 0 for m in members)
            den = sum(m["den"] or 0 for m in members)
            values = [m["value"] for m in members if m["value"] is not None]
            median = float(statistics.median(values)) if values else None
        out[key] = (num, den, median)
    return out


def test_every_cell_equals_grouping_the_base_rows_in_python(con: Any, catalogue: pa.Table) -> None:
    t = Tables(periods_table(ENDS))
    cells = _cells(catalogue)
    checked = 0
    for ind in CATALOGUE.values():
        rows = con.to_pyarrow(indicator_base(ind, t)).to_pylist()
        expected = _reference(ind, rows)
        got = {k[1:]: v for k, v in cells.items() if k[0] == ind.id}
        assert set(got) == set(expected), ind.id
        for key, (num, den, median) in expected.items():
            cell = got[key]
            assert cell["numerator"] == num, (ind.id, key)
            if ind.unit in ("percentage", "ratio"):
                assert cell["denominator"] == den, (ind.id, key)
            if ind.unit.startswith("median"):
                assert cell["value"] == median, (ind.id, key)
            checked += 1
    assert checked > 1000  # the partnership is big enough to fill most groups


def _band(age: int) -> str:
    for limit, name in ((1, "under 1"), (5, "1-4"), (10, "5-9"), (16, "10-15")):
        if age < limit:
            return name
    return "16-17"


def test_rates_per_10000_children_use_the_population_counted_child_by_child(
    con: Any, catalogue: pa.Table
) -> None:
    dims = con.to_pyarrow(Tables(periods_table(ENDS)).child_dims).to_pylist()
    population: dict[tuple[Any, ...], int] = defaultdict(int)
    for end in ENDS:
        for c in dims:
            born, start, stop = c["birth_on"], c["resident_from"], c["resident_to"]
            if born is None or born > end or (start and start > end) or (stop and stop < end):
                continue
            age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
            if age >= 18:
                continue
            population[(end, "all", "all")] += 1
            population[(end, "age_band", _band(age))] += 1
            for b in ("sex", "ethnicity", "disability", "locality", "deprivation_decile"):
                population[(end, b, str(c[b]))] += 1
    rates = [r for r in catalogue.to_pylist() if CATALOGUE[r["indicator"]].unit == "per_10000"]
    assert rates
    for r in rates:
        key = (r["period_end"], "all", "all")
        if r["breakdown"] != "agency":
            key = (r["period_end"], r["breakdown"], r["group"])
        assert r["denominator"] == population.get(key, 0), (r["indicator"], key)
