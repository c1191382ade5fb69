"""The governance report renders for each of the five shipped strategies from synthetic data:
the PDF holds every section's title, the workbook one sheet per section with a native chart for
each bar chart; the command rejects a bad quarter, profile or output directory."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from cumulus.accounts.models import Role
from cumulus.actionplan.demo import load_demo_action_plan
from cumulus.core import clock
from cumulus.governance.render import report_sections, report_write
from cumulus.governance.sections import SECTION_PROVIDERS, QuarterFormatError, ReportPeriod
from cumulus.learning.demo import load_demo_learning
from cumulus.strategy.config import shipped_names
from cumulus.strategy.services import strategy_load
from cumulus.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _this_quarter() -> str:
    today = clock.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def _synthetic(slug):
    strategy = strategy_load(name_or_path=slug, activate=False)
    unit = UserFactory(role=Role.BUSINESS_UNIT)
    agencies = [AgencyFactory(name=f"{slug} agency {n}") for n in range(3)]
    items = load_demo_action_plan(strategy=strategy, actor=unit, agencies=agencies, seed=7)
    load_demo_learning(strategy=strategy, actor=unit, items=items, seed=7)
    return strategy


def test_every_section_provider_is_importable():
    assert len(SECTION_PROVIDERS) >= 3
    period = ReportPeriod.quarter("2026Q3")
    strategy = _synthetic("cumbria")
    keys = [s.key for s in report_sections(period=period, strategy=strategy)]
    assert {"action_plan", "learning", "headline_indicators"} <= set(keys)


@pytest.mark.parametrize("slug", shipped_names())
def test_the_report_renders_for_each_shipped_strategy(slug, tmp_path: Path):
    strategy = _synthetic(slug)
    period = ReportPeriod.quarter(_this_quarter())
    sections = report_sections(period=period, strategy=strategy)
    pdf, xlsx = report_write(period=period, strategy=strategy, out_dir=tmp_path, sections=sections)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert strategy.partnership in text
    for section in sections:
        assert section.title in text, section.title
    assert strategy.config["aims"][0]["title"] in text
    items = load_workbook(xlsx)
    assert items.sheetnames == ["Report", *[s.title[:31] for s in sections]]
    plan_sheet = items["Action plan"]
    assert plan_sheet["A1"].value == "Action plan"
    plan_section = next(s for s in sections if s.key == "action_plan")
    assert len(plan_sheet._charts) == len(plan_section.charts) == 1
    values = [row for row in plan_sheet.iter_rows(values_only=True)]
    objectives = [o["title"] for o in strategy.action_plan_objectives]
    listed = [r[0] for r in values if r and r[0] in objectives]
    assert listed == objectives
    learning = items["Learning from reviews"]
    cells = [c for row in learning.iter_rows(values_only=True) for c in row if c]
    assert "Serious case review: Young person T (synthetic)" in cells


def test_the_action_plan_section_counts_the_rag_and_overdue_items():
    strategy = strategy_load(name_or_path="cumbria")
    unit = UserFactory(role=Role.BUSINESS_UNIT)
    today = clock.today()
    items = load_demo_action_plan(
        strategy=strategy, actor=unit, agencies=[AgencyFactory()], seed=3, today=today
    )
    period = ReportPeriod.quarter(_this_quarter())
    section = next(
        s for s in report_sections(period=period, strategy=strategy) if s.key == "action_plan"
    )
    chart = section.charts[0]
    assert sum(chart.values) == len(items)
    overdue = [i for i in items if i.status == "open" and i.due_on < today]
    overdue_table = next(t for t in section.tables if t.title == "Overdue items")
    assert len(overdue_table.rows) == len(overdue)


def test_the_command_writes_both_files(tmp_path):
    _synthetic("norfolk")
    out = io.StringIO()
    call_command(
        "report",
        "governance",
        "--quarter",
        "2026Q3",
        "--profile",
        "norfolk",
        "--out",
        str(tmp_path / "board"),
        stdout=out,
    )
    assert (tmp_path / "board" / "governance-norfolk-2026Q3.pdf").stat().st_size > 1000
    assert (tmp_path / "board" / "governance-norfolk-2026Q3.xlsx").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2026-3", "--profile", "norfolk"], "not in the form YYYYQn"),
        (["--quarter", "2026Q5", "--profile", "norfolk"], "not in the form YYYYQn"),
        (["--quarter", "2026Q3", "--profile", "leeds"], "No strategy 'leeds' is loaded"),
    ],
)
def test_the_command_rejects_a_bad_quarter_or_profile(tmp_path, args, message):
    strategy_load(name_or_path="norfolk")
    with pytest.raises(CommandError, match=message):
        call_command("report", "governance", *args, "--out", str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_the_command_rejects_an_output_that_is_a_file(tmp_path):
    strategy_load(name_or_path="norfolk")
    target = tmp_path / "report.pdf"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a directory"):
        call_command(
            "report",
            "governance",
            "--quarter",
            "2026Q3",
            "--profile",
            "norfolk",
            "--out",
            str(target),
        )


def test_the_cli_exits_non_zero_on_a_bad_quarter(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CUMULUS_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cumulus.cli",
            "report",
            "governance",
            "--quarter",
            "Q3",
            "--profile",
            "norfolk",
            "--out",
            str(tmp_path / "o"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "not in the form YYYYQn" in done.stderr


def test_a_quarter_is_first_to_last_day():
    period = ReportPeriod.quarter("2026Q4")
    assert (period.start, period.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    with pytest.raises(QuarterFormatError):
        ReportPeriod.quarter("2026Q0")


def test_the_page_produces_a_report_and_serves_both_files(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    strategy = _synthetic("bury")
    client.force_login(UserFactory(role=Role.BUSINESS_UNIT))
    response = client.post("/governance/", {"quarter": "2026q3", "strategy": strategy.pk})
    assert response.status_code == 302
    pdf = client.get(response.url + "pdf/")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(response.url + "xlsx/")
    assert xlsx["Content-Disposition"].endswith('governance-bury-2026Q3.xlsx"')
    bad = client.post("/governance/", {"quarter": "third", "strategy": strategy.pk})
    assert "is not in the form YYYYQn" in bad.content.decode()
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get(response.url + "pdf/").status_code == 404
