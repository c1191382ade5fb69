"""SSDA903: import a directory of tables, key rules, export, round trip through a fresh database."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from cumulus.casework.models import Plan, PlanType, Review
from cumulus.interchange.batches import batch_run
from cumulus.interchange.models import QuarantinedRecord
from cumulus.interchange.ssda903.export import export_ssda903
from cumulus.interchange.ssda903.files import TABLES, pack_directory
from cumulus.interchange.ssda903.handler import Ssda903Handler
from cumulus.interchange.tests.cin_builder import valid_upn
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.loader import load_into_db

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "data-standards" / "903"


def write_tables(directory: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    directory.mkdir(exist_ok=True)
    for table, rows in tables.items():
        with (directory / f"{table}.csv").open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=TABLES[table], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return directory


def one_child(**episode):
    ep = {
        "CHILD": "903A",
        "DECOM": "01/05/2024",
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": "U1",
        "PLACE_PROVIDER": "PR1",
        "DEC": "",
        "REC": "",
    }
    ep.update(episode)
    return {
        "header": [
            {
                "CHILD": "903A",
                "SEX": "2",
                "DOB": "01/02/2012",
                "ETHNIC": "WBRI",
                "UPN": valid_upn("938000000777"),
            }
        ],
        "episodes": [ep],
        "reviews": [
            {"CHILD": "903A", "DOB": "01/02/2012", "REVIEW": "01/08/2024", "REVIEW_CODE": "PN1"}
        ],
    }


def run(directory: Path):
    name, data = pack_directory(directory)
    return batch_run(handler=Ssda903Handler(), source_name=name, data=data, actor=None)


@pytest.mark.django_db
def test_a_child_looked_after_becomes_a_plan_with_its_review(tmp_path):
    batch = run(write_tables(tmp_path / "r", one_child())).batch
    assert (batch.records_read, batch.records_accepted) == (1, 1)
    plan = Plan.objects.get(child__la_child_id="903A", plan_type=PlanType.LOOKED_AFTER)
    assert plan.started_on == dt.date(2024, 5, 1)
    assert Review.objects.get(plan=plan).held_on == dt.date(2024, 8, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("episode", "rule"),
    [
        ({"DECOM": "31/02/2024"}, "141"),
        ({"RNE": "Q"}, "143"),
        ({"LS": "ZZ"}, "144"),
        ({"PLACE": "X9"}, "146"),
        ({"DEC": "01/06/2024"}, "148"),
        ({"DEC": "01/06/2024", "REC": "Z1"}, "149"),
        ({"PLACE_PROVIDER": "PR9"}, "178"),
    ],
)
def test_an_episode_breaking_a_key_rule_quarantines_the_child(tmp_path, episode, rule):
    batch = run(write_tables(tmp_path / "r", one_child(**episode))).batch
    assert batch.records_quarantined == 1
    rules = {r["rule"] for r in QuarantinedRecord.objects.get().reasons}
    assert rule in rules
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_reimporting_the_same_directory_changes_nothing(tmp_path):
    directory = write_tables(tmp_path / "r", one_child())
    first = run(directory)
    assert run(directory).already_imported
    assert first.batch.records_accepted == 1
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_the_public_sample_return_is_read_and_each_child_accounted_for(tmp_path):
    if not SAMPLES.is_dir():
        # The public samples live in ../shared (not shipped in the repo); CI always has them.
        pytest.skip(f"the shared public samples are not beside this checkout ({SAMPLES})")
    directory = tmp_path / "sample"
    shutil.copytree(SAMPLES, directory)
    batch = run(directory).batch
    assert batch.records_read > 100
    assert batch.records_read == batch.records_accepted + batch.records_quarantined


@pytest.mark.django_db
def test_exported_cells_that_look_like_formulas_are_neutralised(tmp_path):
    tables = one_child(HOME_POST="=HYPERLINK(1)")
    run(write_tables(tmp_path / "r", tables))
    out = tmp_path / "out"
    out.mkdir()
    export_ssda903(year=2025, directory=out)
    text = (out / "episodes.csv").read_text()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.django_db
def test_ssda903_round_trip_through_a_fresh_database(fresh_cumulus, tmp_path):
    end = dt.date(2026, 3, 31)
    load_into_db(generate(SynthConfig(children=300, years=3, seed=11, end_date=end)), today=end)
    first = tmp_path / "first"
    first.mkdir()
    exported = export_ssda903(year=2026, directory=first)
    assert exported.rows["episodes"] > 0
    imported = fresh_cumulus("import", "ssda903", "--quiet", str(first))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    second = tmp_path / "second"
    again = fresh_cumulus("export", "ssda903", "--year", "2026", "--out", str(second))
    assert again.returncode == 0, again.stdout + again.stderr
    for table in TABLES:
        assert (second / f"{table}.csv").read_text() == (first / f"{table}.csv").read_text(), table
