"""``cumulus link``: CSV files in through a mapping, pairs/links/clusters out; clear errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cumulus.linkage import engine
from cumulus.linkage.tests.people import population

MAPPING = """\
id: ref
forename: first
surname: last
date_of_birth: born
date_format: "%Y%m%d"
sex: sex
postcode: pc
address: [street, town]
nhs_number: nhs
upn: upn
"""


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(
            handle, ["ref", "first", "last", "born", "sex", "pc", "street", "town", "nhs", "upn"]
        )
        writer.writeheader()
        for row in rows:
            born = row["date_of_birth"]
            writer.writerow(
                {
                    "ref": row["unique_id"],
                    "first": row["forename"],
                    "last": row["surname"],
                    "born": born.strftime("%Y%m%d") if born else "",  # type: ignore[attr-defined]
                    "sex": row["sex"],
                    "pc": row["postcode"],
                    "street": "1 High Street",
                    "town": "Eastmoor",
                    "nhs": row["nhs_number"] or "",
                    "upn": row["upn"] or "",
                }
            )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    register, records = population(n=60, seed=2)
    _write(tmp_path / "a.csv", register.to_pylist())
    _write(tmp_path / "b.csv", records.to_pylist())
    (tmp_path / "map.yaml").write_text(MAPPING)
    model = tmp_path / "model.json"
    model.write_text(json.dumps(engine.default_model()))
    return tmp_path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def test_link_two_files_writes_pairs_and_links(files: Path):
    out = files / "out"
    call_command(
        "link", "--left", files / "a.csv", "--right", files / "b.csv",
        "--map", files / "map.yaml", "--out", out, "--model", files / "model.json",
    )  # fmt: skip
    pairs, links = _read(out / "pairs.csv"), _read(out / "links.csv")
    assert list(pairs[0]) == ["left_id", "right_id", "match_probability"]
    assert list(links[0]) == ["left_id", "right_id"]
    truth = {f"R{i}-{c}": f"C{i}" for i in range(60) for c in range(2)}
    assert all(truth.get(row["right_id"]) == row["left_id"] for row in links)
    assert len(links) >= 110
    assert all(float(row["match_probability"]) >= engine.Thresholds().lower for row in pairs)


def test_dedupe_writes_clusters(files: Path):
    out = files / "out"
    call_command(
        "link", "--dedupe", files / "b.csv", "--map", files / "map.yaml", "--out", out,
        "--model", files / "model.json",
    )  # fmt: skip
    clusters = {row["record_id"]: row["cluster_id"] for row in _read(out / "clusters.csv")}
    same = sum(clusters[f"R{i}-0"] == clusters[f"R{i}-1"] for i in range(60))
    assert same >= 57
    assert _read(out / "links.csv")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("forename: first\n", "'id' is required"),
        ("id: ref\nfirstname: first\n", "unknown key(s) firstname"),
        ("id: ref\ndate_format: '%Y'\n", "'date_format' needs 'date_of_birth'"),
        ("id: ref\naddress: 3\n", "'address' must be a column name or a list"),
        ("- id\n", "must be YAML keys and values"),
        ("id: ref\nsurname: family_name\n", "no column(s) family_name (the file has"),
    ],
)
def test_bad_mapping_or_missing_columns_say_what_to_fix(
    files: Path, mapping: str, message: str
) -> None:
    (files / "bad.yaml").write_text(mapping)
    with pytest.raises(CommandError) as caught:
        call_command(
            "link", "--dedupe", files / "b.csv", "--map", files / "bad.yaml", "--out", files / "o"
        )
    assert message in str(caught.value)


def test_both_modes_at_once_is_refused(files: Path):
    with pytest.raises(CommandError, match="not both"):
        call_command(
            "link", "--dedupe", files / "b.csv", "--left", files / "a.csv",
            "--map", files / "map.yaml", "--out", files / "o",
        )  # fmt: skip
