"""``cumulus synth``: checks its arguments, then writes, loads and reports the partnership."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cumulus.people.models import Child
from cumulus.synth.engine.report import CalibrationRow
from cumulus.synth.parquet import read_parquet
from cumulus.synth.tests.test_loader import small_partnership


@pytest.fixture
def generated(monkeypatch):
    """Stand the small hand-built partnership in for the generator; records the config."""
    configs = []

    def fake_generate(config, *, progress=None):
        configs.append(config)
        if progress is not None:
            progress("population", 0.0)
            progress("done", 1.0)
        return small_partnership()

    monkeypatch.setattr("cumulus.synth.engine.generate.generate", fake_generate)
    return configs


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--children", "100"], "--out DIR, --into-db or --report"),
        (["--children", "0", "--report"], "--children must be at least 1; got 0"),
        (["--children", "10", "--years", "0", "--report"], "--years must be between 1 and 10"),
        (["--children", "10", "--years", "11", "--report"], "--years must be between 1 and 10"),
        (["--report"], "--children"),
        (["--children", "ten", "--report"], "invalid int value"),
    ],
)
def test_bad_arguments_are_refused_before_generating(generated, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert generated == []


def test_out_writes_every_table_as_parquet_and_prints_a_summary(generated, tmp_path):
    text = _run("--children", "40", "--years", "2", "--seed", "9", "--out", str(tmp_path))

    assert generated[0].children == 40
    assert (generated[0].years, generated[0].seed) == (2, 9)
    tables = read_parquet(tmp_path)
    assert tables["children"].num_rows == 4
    assert "Rows per table" in text
    assert "attendance" in text
    assert "Done in" in text


def test_end_date_is_passed_to_the_generator(generated, tmp_path):
    _run("--children", "40", "--end-date", "2025-03-31", "--out", str(tmp_path))
    assert str(generated[0].end_date) == "2025-03-31"


@pytest.mark.django_db
def test_into_db_loads_the_partnership(generated):
    before = Child.objects.count()

    text = _run("--children", "40", "--into-db")

    assert Child.objects.count() == before + 4
    assert "Rows written to the database" in text
    assert "people.Child" in text


@pytest.mark.django_db
def test_into_db_refuses_a_production_database(generated, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with CUMULUS_ENV=production"):
        _run("--children", "40", "--into-db")


def test_report_prints_each_target_beside_the_generated_value(generated, monkeypatch):
    rows = [
        CalibrationRow(name="referrals_per_10k", target=518.2, generated=530.0, tolerance=0.15),
        CalibrationRow(
            name="cp_plans_starting_per_10k", target=40.0, generated=60.0, tolerance=0.1
        ),
    ]
    monkeypatch.setattr(
        "cumulus.synth.engine.report.calibration_report", lambda tables, config: rows
    )

    text = _run("--children", "40", "--report")

    assert "referrals_per_10k" in text
    assert "518.2" in text
    assert "530" in text
    assert "±15%" in text
    assert "1 of 2 measures within tolerance; 1 outside" in text


def test_the_real_generator_writes_parquet(tmp_path):

    _run("--children", "200", "--years", "1", "--seed", "3", "--out", str(tmp_path))

    assert read_parquet(tmp_path)["children"].num_rows > 200
