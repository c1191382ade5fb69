"""The golden test: hand-worked values for a written-out partnership must match exactly."""

from __future__ import annotations

import ibis
import pytest

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import compute
from cumulus.analytics.tests.golden import golden, golden_period_end, golden_tables

EXPECTED = golden()["expected"]


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, object]]:
    con = ibis.duckdb.connect()
    for name, table in golden_tables().items():
        con.create_table(name, table)
    inds = [CATALOGUE[i] for i in EXPECTED]
    table = compute(con, [golden_period_end()], inds, breakdowns=[])
    return {r["indicator"]: r for r in table.to_pylist() if r["breakdown"] == "all"}


@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_golden_value(results: dict[str, dict[str, object]], indicator: str) -> None:
    numerator, denominator, value = EXPECTED[indicator]
    row = results[indicator]
    assert (row["numerator"], row["denominator"]) == (numerator, denominator)
    assert row["value"] == pytest.approx(value, abs=1e-6)


def test_every_golden_indicator_is_in_the_catalogue() -> None:
    assert set(EXPECTED) <= set(CATALOGUE)


def test_every_catalogue_indicator_has_a_golden_value() -> None:
    assert set(CATALOGUE) <= set(EXPECTED), sorted(set(CATALOGUE) - set(EXPECTED))
