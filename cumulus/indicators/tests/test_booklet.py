"""The booklet: every profile renders; the PDF and the workbook hold the indicators."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.casework.models import PlanType
from cumulus.codelists.models import Scheme
from cumulus.indicators.booklet import booklet_content, booklet_write
from cumulus.indicators.profiles import PROFILES
from cumulus.indicators.services import commentary_save, results_refresh
from cumulus.testing.factories import ChildFactory, PlanFactory, UserFactory, code

pytestmark = pytest.mark.django_db


def test_every_profile_names_only_catalogue_indicators_and_renders() -> None:
    for profile, sections in PROFILES.items():
        assert {i for ids in sections.values() for i in ids} <= set(CATALOGUE), profile
        content = booklet_content(profile=profile, month=dt.date(2026, 10, 1))
        assert [s["title"] for s in content["sections"]] == list(sections)


def test_every_seed_indicator_is_in_its_partnerships_profile() -> None:
    for ind in CATALOGUE.values():
        for seed in set(ind.seeds) - {"national"}:
            named = {i for ids in PROFILES[seed].values() for i in ids}
            assert ind.id in named, (seed, ind.id)


def test_the_booklet_pdf_and_workbook_hold_the_indicators(tmp_path: Path, settings: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    for n in range(7):
        PlanFactory(
            child=ChildFactory(),
            plan_type=PlanType.CHILD_PROTECTION,
            started_on=dt.date(2026, 2, 1 + n),
            initial_category=code(Scheme.CATEGORY_OF_ABUSE, "NEG"),
        )
    ids = [i for ids in PROFILES["cumbria"].values() for i in ids]
    results_refresh(
        month_end=dt.date(2026, 10, 31), months=2, indicators=[*ids, "children_on_cp_plan_neglect"]
    )
    commentary_save(
        actor=UserFactory.create(),
        indicator=ids[0],
        month=dt.date(2026, 10, 1),
        text="The business unit's reading of October.",
    )
    pdf, xlsx = booklet_write(
        profile="cumbria",
        month=dt.date(2026, 10, 1),
        out_dir=tmp_path / "out",
        partnership="Test SCP",
    )
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Test SCP" in text
    assert "October 2026" in text
    for ind_id in ids:
        assert CATALOGUE[ind_id].title.split(":")[0][:30] in text.replace("\n", " ")
    book = load_workbook(xlsx)
    assert book.sheetnames == [s[:31].replace(":", "") for s in PROFILES["cumbria"]]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("indicator", "title", "period_end")
    assert {r[0] for r in rows[1:]} == set(ids)
    column = rows[0].index("commentary")
    written = {r[0]: r[column] for r in rows[1:]}
    assert written[ids[0]] == "The business unit's reading of October."
    assert "reading of October" in text.replace("\n", " ")


def test_every_profiles_booklet_pdf_and_workbook_hold_its_indicators(
    tmp_path: Path, settings: object
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    PlanFactory(
        child=ChildFactory(),
        plan_type=PlanType.CHILD_PROTECTION,
        started_on=dt.date(2026, 2, 1),
        initial_category=code(Scheme.CATEGORY_OF_ABUSE, "NEG"),
    )
    results_refresh(month_end=dt.date(2026, 10, 31), months=1)
    for profile, sections in PROFILES.items():
        pdf, xlsx = booklet_write(
            profile=profile,
            month=dt.date(2026, 10, 1),
            out_dir=tmp_path / profile,
            partnership="SCP",
        )
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", " ")
        book = load_workbook(xlsx)
        assert book.sheetnames == [s[:31].replace(":", "") for s in sections], profile
        for sheet, ids in zip(book.worksheets, sections.values(), strict=True):
            rows = list(sheet.iter_rows(values_only=True))
            assert {r[0] for r in rows[1:]} == set(ids), (profile, sheet.title)
            for ind_id in ids:
                assert CATALOGUE[ind_id].title.split(":")[0][:30] in text, (profile, ind_id)


def test_the_command_refuses_a_bad_month(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("booklet", month="October", profile="bury", out=tmp_path, stdout=io.StringIO())
