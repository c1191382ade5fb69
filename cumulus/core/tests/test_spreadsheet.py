"""One gate for every CSV and XLSX cell: formula-like text gets an apostrophe, numbers do not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cumulus.core.spreadsheet import FORMULA_STARTS, neutralise, neutralise_row
from cumulus.testing.formulas import FORMULA_PAYLOADS


@pytest.mark.parametrize("value", [*FORMULA_PAYLOADS, "=1+1", "-2", "\0=1"])
def test_text_that_starts_like_a_formula_is_prefixed_with_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [-2, -0.125, Decimal("-3.50"), 0, True, None, dt.date(2026, 1, 2), "Neglect", "", " =1"],
)
def test_numbers_dates_and_ordinary_text_pass_through_unchanged(value):
    assert neutralise(value) is value


def test_a_row_is_neutralised_cell_by_cell_keeping_each_numbers_type():
    assert neutralise_row(["=1", -2, "-2", 1.5, "ok"]) == ["'=1", -2, "'-2", 1.5, "ok"]


@given(st.text())
def test_no_text_comes_out_starting_like_a_formula_and_none_loses_a_character(text):
    out = neutralise(text)
    assert not out.startswith(FORMULA_STARTS)
    assert out in (text, "'" + text)
