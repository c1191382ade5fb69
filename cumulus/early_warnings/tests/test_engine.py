"""Rule files are validated on load, with errors that name the file and the problem."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from cumulus.early_warnings import engine

RULES = engine.RULES_DIR


def _copy_rules(tmp_path: Path) -> Path:
    shutil.copytree(RULES, tmp_path / "rules")
    return tmp_path / "rules"


def test_default_set_holds_the_eight_rules_each_with_a_rationale():
    rules = engine.load_ruleset("default")
    assert len(rules) == 8
    assert all(len(r.rationale) > 100 for r in rules)


def test_every_rule_runs_on_an_empty_extract():
    con = duckdb.connect()
    engine.register_tables(con, {})
    fires = engine.evaluate(con, engine.load_ruleset("default"), as_of=dt.date(2026, 3, 31))
    assert fires.num_rows == 0
    assert fires.schema == engine.FIRES_SCHEMA


def test_unknown_rule_set_is_refused(tmp_path):
    with pytest.raises(engine.RuleDefinitionError, match="no rule set 'nowhere'"):
        engine.load_ruleset("nowhere")


def test_a_partnership_set_may_override_parameters_but_not_invent_them(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    (rules_dir / "rulesets" / "eastmoor.yaml").write_text(
        "name: eastmoor\nrules:\n  - {code: was_not_brought, version: 1, params: {min_missed: 3}}\n"
    )
    (rule,) = engine.load_ruleset("eastmoor", rules_dir=rules_dir)
    assert rule.params["min_missed"] == 3
    (rules_dir / "rulesets" / "bad.yaml").write_text(
        "name: bad\nrules:\n  - {code: was_not_brought, version: 1, params: {shoe_size: 3}}\n"
    )
    with pytest.raises(engine.RuleDefinitionError, match="no parameters \\['shoe_size'\\]"):
        engine.load_ruleset("bad", rules_dir=rules_dir)


def test_a_rule_missing_its_rationale_is_refused(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    path = rules_dir / "was_not_brought.v1.yaml"
    text = path.read_text()
    start = text.index("rationale:")
    end = text.index("sources:")
    path.write_text(text[:start] + text[end:])
    with pytest.raises(engine.RuleDefinitionError, match="'rationale' is a required property"):
        engine.load_rule(path)


def test_a_parameter_used_in_sql_must_be_declared(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    path = rules_dir / "was_not_brought.v1.yaml"
    path.write_text(path.read_text().replace("{{min_missed}}", "{{minimum_missed}}"))
    with pytest.raises(engine.RuleDefinitionError, match="undefined parameters"):
        engine.load_rule(path)


def test_a_list_parameter_cannot_smuggle_sql(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    path = rules_dir / "was_not_brought.v1.yaml"
    path.write_text(
        path.read_text().replace(
            "missed_types: [health.was_not_brought]", 'missed_types: ["x\') OR (1=1"]'
        )
    )
    with pytest.raises(engine.RuleDefinitionError, match="does not match"):
        engine.load_rule(path)


def test_a_rule_file_must_be_named_for_its_code_and_version(tmp_path):
    rules_dir = _copy_rules(tmp_path)
    (rules_dir / "was_not_brought.v1.yaml").rename(rules_dir / "wnb.yaml")
    with pytest.raises(
        engine.RuleDefinitionError, match=r"must be named was_not_brought\.v1\.yaml"
    ):
        engine.load_rule(rules_dir / "wnb.yaml")


def test_the_published_rule_list_is_the_rule_files():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "early-warning-rules.md").read_text()
    assert engine.rules_markdown(engine.load_ruleset("default")).rstrip() in doc
