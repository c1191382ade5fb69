"""Malformed instrument files are refused with the file, the path inside it and what is wrong."""

import copy
from pathlib import Path

import pytest
import yaml

from cumulus.instruments.engine.definition import (
    InstrumentDefinitionError,
    check_definition,
    load_definition,
)
from cumulus.instruments.engine.registry import DEFINITIONS_DIR

MINIMAL = {
    "id": "tiny",
    "version": 1,
    "title": "Tiny",
    "licence": {"tier": "open"},
    "scales": {"g": {"min": 1, "max": 5}},
    "sections": [
        {
            "id": "s",
            "title": "S",
            "items": [
                {"id": "s.a", "type": "grade", "scale": "g", "label": "A"},
                {"id": "s.b", "type": "text", "label": "B"},
            ],
        }
    ],
    "scoring": [{"id": "total", "label": "Total", "rule": "sum", "items": ["s.a"]}],
}


def broken(change):
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


def refused(data):
    with pytest.raises(InstrumentDefinitionError) as caught:
        check_definition(data, source="tiny.yaml")
    return str(caught.value)


def test_every_shipped_definition_is_valid():
    files = sorted(DEFINITIONS_DIR.glob("*.yaml"))
    assert len(files) == 8
    for path in files:
        assert load_definition(path)["id"] == path.stem


def test_minimal_definition_is_accepted():
    assert check_definition(MINIMAL)["id"] == "tiny"


def test_unknown_response_type_names_the_item_and_the_allowed_types():
    message = refused(broken(lambda d: d["sections"][0]["items"][1].update(type="essay")))
    assert message.startswith("tiny.yaml: sections[0].items[1].type: 'essay' is not one of")
    assert "'child_words'" in message


def test_missing_licence_tier_is_refused():
    message = refused(broken(lambda d: d["licence"].pop("tier")))
    assert message == "tiny.yaml: licence: 'tier' is required"


def test_unknown_licence_tier_is_refused():
    message = refused(broken(lambda d: d["licence"].update(tier="free")))
    assert message.startswith("tiny.yaml: licence.tier: 'free' is not one of 'open'")


def test_unknown_key_is_refused():
    message = refused(broken(lambda d: d["sections"][0].update(colour="red")))
    assert message == "tiny.yaml: sections[0]: unknown key ('colour' was unexpected)"


def test_grade_without_scale_is_refused():
    message = refused(broken(lambda d: d["sections"][0]["items"][0].pop("scale")))
    assert message == "tiny.yaml: sections[0].items[0]: 'scale' is required"


def test_grade_on_an_undeclared_scale_is_refused():
    message = refused(broken(lambda d: d["sections"][0]["items"][0].update(scale="nope")))
    assert message == "tiny.yaml: sections[0].items[0].scale: unknown scale 'nope'"


def test_duplicate_item_id_is_refused():
    message = refused(broken(lambda d: d["sections"][0]["items"][1].update(id="s.a")))
    assert message == "tiny.yaml: sections[0].items[1].id: item id 's.a' is used twice"


def test_score_of_an_unknown_item_is_refused():
    message = refused(broken(lambda d: d["scoring"][0].update(items=["s.zz"])))
    assert message == "tiny.yaml: scoring[0].items: unknown item 's.zz'"


def test_score_of_a_text_item_is_refused():
    message = refused(broken(lambda d: d["scoring"][0].update(items=["s.b"])))
    assert message == "tiny.yaml: scoring[0].items: item 's.b' is text, not scorable"


def test_reverse_scored_item_must_be_in_the_score():
    message = refused(broken(lambda d: d["scoring"][0].update(reverse=["s.b"])))
    assert (
        message == "tiny.yaml: scoring[0].reverse: 's.b' is reversed but not in this score's items"
    )


def test_band_with_min_above_max_is_refused():
    message = refused(
        broken(lambda d: d["scoring"][0].update(bands=[{"label": "x", "min": 4, "max": 2}]))
    )
    assert message == "tiny.yaml: scoring[0].bands[0]: min must not exceed max"


def test_prompt_outside_the_scale_is_refused():
    message = refused(
        broken(lambda d: d["sections"][0]["items"][0].update(prompts={"7": "Too high"}))
    )
    assert message == "tiny.yaml: sections[0].items[0].prompts.7: grade outside 1..5"


def test_bad_identifier_is_refused():
    message = refused(broken(lambda d: d.update(id="Tiny Tool")))
    assert message.startswith("tiny.yaml: id: 'Tiny Tool' is not a valid identifier")


def test_scale_the_wrong_way_round_is_refused():
    message = refused(broken(lambda d: d["scales"]["g"].update(min=5, max=1)))
    assert message == "tiny.yaml: scales.g: min (5) must be below max"


def test_score_of_a_later_score_is_refused():
    def change(d):
        d["scoring"].insert(0, {"id": "t2", "label": "T2", "rule": "sum", "scores": ["total"]})

    message = refused(broken(change))
    assert message == "tiny.yaml: scoring[0].scores: unknown or later score 'total'"


def test_invalid_yaml_names_the_file(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError, match=r"^bad.yaml: not valid YAML"):
        load_definition(path)


def test_a_new_instrument_is_a_file_not_code(tmp_path: Path):
    from cumulus.instruments.engine.registry import load_instruments

    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(MINIMAL), encoding="utf-8")
    registry = load_instruments(definitions_dir=tmp_path)
    assert list(registry.instruments) == ["tiny"]
