"""Licensed packs: loaded from a folder outside the repository, wording only, hash recorded."""

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from cumulus.instruments.engine.registry import load_instruments
from cumulus.testing.factories_instruments import TEST_PACKS

PACK = TEST_PACKS / "gcp2-test-pack.yaml"


def test_without_a_pack_the_gcp2_shell_shows_neutral_ids():
    shell = load_instruments().instruments["gcp2-shell"]
    assert not shell.has_pack
    item = shell.definition["sections"][0]["items"][0]
    assert (item["id"], item["label"]) == ("physical.nutrition", "physical.nutrition")
    assert shell.definition["requires_training"] == "gcp2"


def test_a_pack_fills_the_shell_and_is_fingerprinted(tmp_path: Path):
    shutil.copy(PACK, tmp_path / PACK.name)
    registry = load_instruments(packs_dir=tmp_path)
    gcp2 = registry.instruments["gcp2-shell"]
    assert registry.pack_problems == ()
    assert gcp2.pack_sha256 == hashlib.sha256(PACK.read_bytes()).hexdigest()
    assert gcp2.pack_licensee.startswith("Testshire Safeguarding Children Partnership")
    assert gcp2.title == "Graded Care Profile 2 (test pack)"
    assert gcp2.definition["sections"][0]["items"][0]["label"] == "Test sub-area: meals"
    assert gcp2.definition["scales"]["grade"]["labels"]["1"] == "Test grade 1 (best)"
    # Wording only: the same items and scores as the shipped shell.
    shell = load_instruments().instruments["gcp2-shell"]
    ids = [[i["id"] for i in s["items"]] for s in gcp2.definition["sections"]]
    assert ids == [[i["id"] for i in s["items"]] for s in shell.definition["sections"]]
    assert gcp2.sha256 != shell.sha256


def test_a_pack_naming_an_unknown_item_is_reported_and_the_shell_stays(tmp_path: Path):
    data = yaml.safe_load(PACK.read_text())
    data["labels"]["items"]["physical.sleep"] = "Not in the shell"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(data))
    registry = load_instruments(packs_dir=tmp_path)
    assert registry.pack_problems == ("bad.yaml: labels.items.physical.sleep: unknown item",)
    assert not registry.instruments["gcp2-shell"].has_pack


def test_a_pack_cannot_fill_an_open_instrument(tmp_path: Path):
    (tmp_path / "p.yaml").write_text(
        yaml.safe_dump({"pack": {"licensee": "X", "version": "1", "fills": "neglect-screening"}})
    )
    (problem,) = load_instruments(packs_dir=tmp_path).pack_problems
    assert problem.startswith("p.yaml: pack.fills: 'neglect-screening' is open and not renameable")


def test_a_renameable_tool_can_be_renamed_by_a_partnership(tmp_path: Path):
    (tmp_path / "names.yaml").write_text(
        yaml.safe_dump(
            {
                "pack": {
                    "licensee": "Westfield SCP",
                    "version": "1",
                    "fills": "worries-strengths-map",
                },
                "labels": {"title": "Westfield safety map"},
            }
        )
    )
    registry = load_instruments(packs_dir=tmp_path)
    assert registry.instruments["worries-strengths-map"].title == "Westfield safety map"


def test_a_pack_written_for_another_shell_version_is_refused(tmp_path: Path):
    data = yaml.safe_load(PACK.read_text())
    data["pack"]["fills_version"] = 2
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(data))
    (problem,) = load_instruments(packs_dir=tmp_path).pack_problems
    assert "written for version 2, the shell is version 1" in problem


def test_a_partnership_can_bring_its_own_licensed_instrument(tmp_path: Path):
    definition = {
        "id": "local-tool",
        "version": 3,
        "title": "Local licensed tool",
        "licence": {"tier": "licensed-pack"},
        "scales": {"g": {"min": 1, "max": 4}},
        "sections": [
            {
                "id": "a",
                "title": "A",
                "items": [{"id": "a.one", "type": "grade", "scale": "g", "label": "One"}],
            }
        ],
    }
    (tmp_path / "local.yaml").write_text(
        yaml.safe_dump(
            {"pack": {"licensee": "Westfield SCP", "version": "2026"}, "definition": definition}
        )
    )
    registry = load_instruments(packs_dir=tmp_path)
    assert registry.instruments["local-tool"].pack_licensee == "Westfield SCP"


@pytest.mark.parametrize("tier", ["open", "structure-only"])
def test_a_partnership_instrument_must_be_licensed_pack(tmp_path: Path, tier):
    definition = {
        "id": "local",
        "version": 1,
        "title": "L",
        "licence": {"tier": tier},
        "sections": [
            {"id": "a", "title": "A", "items": [{"id": "a.t", "type": "text", "label": "T"}]}
        ],
    }
    (tmp_path / "l.yaml").write_text(
        yaml.safe_dump({"pack": {"licensee": "W", "version": "1"}, "definition": definition})
    )
    (problem,) = load_instruments(packs_dir=tmp_path).pack_problems
    assert "must be 'licensed-pack'" in problem


def test_item_level_sdq_scoring_works_from_a_licensees_own_pack(tmp_path: Path):
    """Item-level SDQ needs youthinmind's permission, so it ships only as a pack a licensee
    loads. The engine already has what the published scoring needs: subscale membership,
    reverse keys (items 7, 11, 14, 21, 25) and pro-rating from three of five answers."""
    subscales = {
        "emotional": [3, 8, 13, 16, 24],
        "conduct": [5, 7, 12, 18, 22],
        "hyperactivity": [2, 10, 15, 21, 25],
        "peer": [6, 11, 14, 19, 23],
    }
    reverse = {7, 11, 14, 21, 25}
    definition = {
        "id": "sdq-items-licensed",
        "version": 1,
        "title": "SDQ (item entry, licensed)",
        "licence": {"tier": "licensed-pack"},
        "scales": {"sdq": {"min": 0, "max": 2}},
        "sections": [
            {
                "id": "items",
                "title": "Items",
                "items": [
                    {"id": f"i{n}", "type": "grade", "scale": "sdq", "label": f"Item {n}"}
                    for n in range(1, 26)
                ],
            }
        ],
        "scoring": [
            {
                "id": name,
                "label": name,
                "rule": "sum",
                "items": [f"i{n}" for n in members],
                "reverse": [f"i{n}" for n in members if n in reverse],
                "min_answered": 3,
                "prorate": True,
            }
            for name, members in subscales.items()
        ]
        + [
            {"id": "total", "label": "Total difficulties", "rule": "sum", "scores": list(subscales)}
        ],
    }
    (tmp_path / "sdq.yaml").write_text(
        yaml.safe_dump(
            {"pack": {"licensee": "Westfield SCP", "version": "1"}, "definition": definition}
        )
    )
    from cumulus.instruments.engine.scoring import score

    loaded = load_instruments(packs_dir=tmp_path).instruments["sdq-items-licensed"].definition
    answers = {f"i{n}": 1 for n in range(1, 26)}
    answers |= {"i3": 2, "i8": 2, "i7": 0, "i11": 2}  # 7 reversed -> 2; 11 reversed -> 0
    del answers["i24"], answers["i16"]  # emotional: three answered (2, 2, 1): 5/3*5 = 8.33 -> 8
    results = score(loaded, answers)
    assert results["emotional"].value == 8.0
    assert results["conduct"].value == 1 + 2 + 1 + 1 + 1  # 6
    assert results["hyperactivity"].value == 1 + 1 + 1 + 1 + 1  # reversed 1 stays 1
    assert results["peer"].value == 1 + 0 + 1 + 1 + 1  # 4
    assert results["total"].value == 8 + 6 + 5 + 4
