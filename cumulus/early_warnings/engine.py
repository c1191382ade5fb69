"""The early-warning rule engine: rules as versioned YAML, evaluated set-based in DuckDB.

No Django here. Each rule is one SQL query over a small, fixed set of tables (the *extract*,
below); the same rule files drive the in-app run (``cumulus warnings run``, fed from the
database by ``extract.py``) and the ground-truth benchmark (``benchmarks/early_warnings.py``,
fed from the synthetic partnership's Parquet), so there is one definition of each rule.

    con = duckdb.connect()
    register_tables(con, tables)              # dict of pyarrow tables, names as in EXTRACT
    rules = load_ruleset("default")
    fires = evaluate(con, rules, as_of=dt.date(2026, 3, 31))

A rule returns the moments it would have fired: one row per child and day, with the events
that triggered it and a sentence of evidence. Alerts are raised from those rows; the rule
never decides anything and never scores a child.

The extract (every date a DATE; missing tables are created empty):
"""

# Rule SQL is reviewed data and its parameters validated literals, so f-string SQL is safe.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pyarrow as pa
import yaml

RULES_DIR = Path(__file__).parent / "rules"

EXTRACT: dict[str, pa.Schema] = {
    "children": pa.schema([("child_id", pa.int64()), ("date_of_birth", pa.date32())]),
    "household_members": pa.schema([("child_id", pa.int64()), ("household_id", pa.int64())]),
    "events": pa.schema(
        [
            ("event_id", pa.int64()),
            ("child_id", pa.int64()),
            ("agency_key", pa.string()),
            ("agency_type", pa.string()),
            ("event_type", pa.string()),
            ("occurred_on", pa.date32()),
            ("significance", pa.string()),
        ]
    ),
    "plans": pa.schema(
        [
            ("plan_id", pa.int64()),
            ("child_id", pa.int64()),
            ("referral_id", pa.int64()),
            ("plan_type", pa.string()),
            ("started_on", pa.date32()),
            ("ended_on", pa.date32()),
            ("end_reason", pa.string()),
            ("number_of_previous_cp_plans", pa.int64()),
        ]
    ),
    "reviews": pa.schema([("plan_id", pa.int64()), ("held_on", pa.date32())]),
    "referrals": pa.schema(
        [
            ("referral_id", pa.int64()),
            ("child_id", pa.int64()),
            ("referred_on", pa.date32()),
            ("closed_on", pa.date32()),
            ("no_further_action", pa.bool_()),
            ("is_neglect_concern", pa.bool_()),
        ]
    ),
    "assessments": pa.schema(
        [
            ("assessment_id", pa.int64()),
            ("child_id", pa.int64()),
            ("referral_id", pa.int64()),
            ("assessment_type", pa.string()),
            ("started_on", pa.date32()),
            ("authorised_on", pa.date32()),
        ]
    ),
    "attendance": pa.schema(
        [
            ("child_id", pa.int64()),
            ("week_start", pa.date32()),
            ("sessions_possible", pa.int64()),
            ("sessions_attended", pa.int64()),
        ]
    ),
    # Neglect assessment scores (e.g. a GCP2-style total; higher is worse), when recorded.
    "neglect_scores": pa.schema(
        [("child_id", pa.int64()), ("assessed_on", pa.date32()), ("score", pa.float64())]
    ),
}

FIRES_SCHEMA = pa.schema(
    [
        ("rule_code", pa.string()),
        ("rule_version", pa.int64()),
        ("child_id", pa.int64()),
        ("fired_on", pa.date32()),
        ("event_ids", pa.list_(pa.int64())),
        ("evidence", pa.string()),
    ]
)

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "version", "title", "rationale", "params", "sql"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{2,60}$"},
        "version": {"type": "integer", "minimum": 1},
        "title": {"type": "string", "minLength": 5, "maxLength": 120},
        "rationale": {"type": "string", "minLength": 20},
        "sources": {"type": "array", "items": {"type": "string"}},
        "cooldown_days": {"type": "integer", "minimum": 0, "maximum": 730},
        "params": {
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    {"type": "number"},
                    {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "pattern": "^[a-z0-9_.]+$"},
                    },
                ]
            },
        },
        "sql": {"type": "string", "minLength": 20},
    },
}
RULESET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "rules"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "version"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string"},
                    "version": {"type": "integer"},
                    "params": {"type": "object"},
                },
            },
        },
    },
}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


class RuleDefinitionError(ValueError):
    """A rule or rule set file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Rule:
    code: str
    version: int
    title: str
    rationale: str
    sql: str
    params: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    cooldown_days: int = 90

    def render(self, *, as_of: dt.date) -> str:
        """The rule's SQL with its parameters written in as literals (validated types only)."""
        values = {**self.params, "as_of": as_of}

        def literal(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise RuleDefinitionError(f"rule {self.code}: unknown parameter {{{{{name}}}}}")
            value = values[name]
            if isinstance(value, dt.date):
                return f"DATE '{value.isoformat()}'"
            if isinstance(value, list):
                return "(" + ", ".join(f"'{v}'" for v in value) + ")"
            return repr(value)

        return PLACEHOLDER.sub(literal, self.sql)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleDefinitionError(f"{path.name}: cannot be read as YAML: {exc}") from exc


def load_rule(path: Path) -> Rule:
    data = _read_yaml(path)
    try:
        jsonschema.validate(data, RULE_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise RuleDefinitionError(f"{path.name}: {where}: {exc.message}") from exc
    expected = f"{data['code']}.v{data['version']}.yaml"
    if path.name != expected:
        raise RuleDefinitionError(f"{path.name}: a rule file must be named {expected}")
    rule = Rule(
        code=data["code"],
        version=data["version"],
        title=data["title"],
        rationale=" ".join(data["rationale"].split()),
        sql=data["sql"],
        params=data["params"],
        sources=tuple(data.get("sources", ())),
        cooldown_days=data.get("cooldown_days", 90),
    )
    missing = set(PLACEHOLDER.findall(rule.sql)) - set(rule.params) - {"as_of"}
    if missing:
        raise RuleDefinitionError(f"{path.name}: sql uses undefined parameters {sorted(missing)}")
    return rule


def load_ruleset(name: str, *, rules_dir: Path = RULES_DIR) -> list[Rule]:
    """The rules a partnership runs: ``rulesets/<name>.yaml`` names rule files and versions,
    and may override parameters (a partnership's own thresholds), never the SQL."""
    path = rules_dir / "rulesets" / f"{name}.yaml"
    if not path.exists():
        raise RuleDefinitionError(f"no rule set {name!r} in {path.parent}")
    data = _read_yaml(path)
    try:
        jsonschema.validate(data, RULESET_SCHEMA)
    except jsonschema.ValidationError as exc:
        raise RuleDefinitionError(f"{path.name}: {exc.message}") from exc
    rules = []
    for entry in data["rules"]:
        file = rules_dir / f"{entry['code']}.v{entry['version']}.yaml"
        if not file.exists():
            raise RuleDefinitionError(f"{path.name}: no rule file {file.name}")
        rule = load_rule(file)
        overrides = entry.get("params", {})
        unknown = set(overrides) - set(rule.params)
        if unknown:
            raise RuleDefinitionError(
                f"{path.name}: {rule.code} has no parameters {sorted(unknown)}"
            )
        merged = {**rule.params, **overrides}
        try:
            jsonschema.validate({**_as_dict(rule), "params": merged}, RULE_SCHEMA)
        except jsonschema.ValidationError as exc:
            raise RuleDefinitionError(f"{path.name}: {rule.code}: {exc.message}") from exc
        rules.append(Rule(**{**rule.__dict__, "params": merged}))
    codes = [r.code for r in rules]
    if len(codes) != len(set(codes)):
        raise RuleDefinitionError(f"{path.name}: a rule is listed twice")
    return rules


def _as_dict(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "version": rule.version,
        "title": rule.title,
        "rationale": rule.rationale,
        "params": rule.params,
        "sql": rule.sql,
    }


def register_tables(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Any], *, materialise: bool = True
) -> None:
    """Make every extract table available to the rules, empty where not given.

    ``tables`` maps names to pyarrow tables or to SQL that DuckDB can read (e.g.
    ``read_parquet('...')``); extra columns are ignored, missing ones are an error. With
    ``materialise`` (the default) each table is read once into DuckDB's own columnar storage,
    so every rule runs over the same snapshot without re-reading the source (Parquet files,
    or Arrow buffers) or re-doing its joins; ``materialise=False`` leaves views.
    """
    kind = "TABLE" if materialise else "VIEW"
    unknown = set(tables) - set(EXTRACT)
    if unknown:
        raise RuleDefinitionError(f"unknown extract tables {sorted(unknown)}")
    for name, schema in EXTRACT.items():
        source = tables.get(name)
        if source is None:
            source = schema.empty_table()
        columns = ", ".join(f"CAST({f.name} AS {_duck_type(f.type)}) AS {f.name}" for f in schema)
        if isinstance(source, str):
            con.execute(f"CREATE OR REPLACE {kind} {name} AS SELECT {columns} FROM {source}")
        else:
            con.register(f"_{name}_arrow", source)
            con.execute(f"CREATE OR REPLACE {kind} {name} AS SELECT {columns} FROM _{name}_arrow")
            if materialise:
                con.unregister(f"_{name}_arrow")


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_date(t):
        return "DATE"
    if pa.types.is_integer(t):
        return "BIGINT"
    if pa.types.is_floating(t):
        return "DOUBLE"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    return "VARCHAR"


def evaluate_rule(con: duckdb.DuckDBPyConnection, rule: Rule, *, as_of: dt.date) -> pa.Table:
    """Every (child, day) on or before ``as_of`` on which the rule would fire."""
    sql = rule.render(as_of=as_of)
    try:
        result = con.sql(
            f"SELECT '{rule.code}' AS rule_code, {rule.version}::BIGINT AS rule_version, "
            f"child_id::BIGINT AS child_id, fired_on::DATE AS fired_on, "
            f"list_sort(list_distinct(CAST(event_ids AS BIGINT[]))) AS event_ids, "
            f"evidence::VARCHAR AS evidence FROM ({sql}) AS fires "
            f"WHERE fired_on <= DATE '{as_of.isoformat()}'"
        ).to_arrow_table()
    except duckdb.Error as exc:
        raise RuleDefinitionError(f"rule {rule.code} v{rule.version}: {exc}") from exc
    return result.cast(FIRES_SCHEMA)


def evaluate(con: duckdb.DuckDBPyConnection, rules: list[Rule], *, as_of: dt.date) -> pa.Table:
    """Every rule's fires, one table."""
    tables = [evaluate_rule(con, rule, as_of=as_of) for rule in rules]
    return pa.concat_tables(tables) if tables else FIRES_SCHEMA.empty_table()


def rules_markdown(rules: list[Rule]) -> str:
    """The rule list of docs/early-warning-rules.md, generated from the rule files so the
    published rationale is always the one the service shows on an alert."""
    out = []
    for rule in rules:
        params = ", ".join(
            f"`{k}` = {', '.join(v) if isinstance(v, list) else v}" for k, v in rule.params.items()
        )
        out += [
            f"### {rule.title}",
            "",
            f"`{rule.code}` version {rule.version} (`rules/{rule.code}.v{rule.version}.yaml`); "
            f"a child is alerted again for it only after {rule.cooldown_days} days.",
            "",
            f"**Why:** {rule.rationale}",
            "",
            f"**Parameters:** {params}.",
            "",
        ]
        if rule.sources:
            out += [f"**Sources:** {'; '.join(rule.sources)}.", ""]
    return "\n".join(out).rstrip() + "\n"
