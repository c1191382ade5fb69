"""Annex A workbook: every list and column from the spec, filled from casework, neutralised."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from cumulus.casework.models import PlanType
from cumulus.codelists.models import Code, Scheme
from cumulus.core.spreadsheet import neutralise
from cumulus.interchange.annex_a import annex_a_lists, export_annex_a
from cumulus.testing.factories import ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_every_list_and_column_of_the_spec_is_in_the_workbook(tmp_path):
    path = tmp_path / "annex-a.xlsx"
    export_annex_a(path=path, as_of=dt.date(2025, 3, 31))
    book = load_workbook(path)
    assert book.sheetnames == [f"List {n}" for n in range(1, 12)]
    for name, columns in annex_a_lists().items():
        assert [c.value for c in book[name][1]] == columns


def test_a_child_protection_plan_is_in_list_7_with_lettered_codes(tmp_path):
    child = ChildFactory(la_child_id="AA1")
    neg = Code.objects.get(scheme=Scheme.CATEGORY_OF_ABUSE, code="NEG")
    PlanFactory(
        child=child,
        plan_type=PlanType.CHILD_PROTECTION,
        started_on=dt.date(2025, 1, 10),
        initial_category=neg,
        latest_category=neg,
        number_of_previous_cp_plans=0,
    )
    path = tmp_path / "annex-a.xlsx"
    result = export_annex_a(path=path, as_of=dt.date(2025, 3, 31))
    assert result.rows["List 7"] == 1
    sheet = load_workbook(path)["List 7"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Child Unique ID"] == "AA1"
    assert row["Initial Category of Abuse"] == "a) Neglect"
    assert row["Child Protection Plan Start Date"].date() == dt.date(2025, 1, 10)


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx"])
def test_a_cell_that_starts_like_a_formula_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_ordinary_values_pass_through():
    assert neutralise("Neglect") == "Neglect"
    assert neutralise(3) == 3
