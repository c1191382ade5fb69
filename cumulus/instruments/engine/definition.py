"""Instrument definitions: load a YAML file, check it against the JSON Schema, then check what a
schema cannot say (ids unique, every reference resolves, ranges the right way round).

Pure Python, no Django, so partnerships can check a file before deploying it::

    definition = load_definition(Path("my-tool.yaml"))   # raises InstrumentDefinitionError

Every error names the file, the path inside it (``sections[1].items[0].scale``) and what is
wrong, so whoever wrote the file can fix it without reading this code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).with_name("instrument.schema.json")
NUMERIC_TYPES = frozenset({"grade", "number", "choice", "yes_no", "person_scale"})
LICENCE_TIERS = ("open", "structure-only", "licensed-pack")


class InstrumentDefinitionError(ValueError):
    """A definition file is malformed; the message says where and what."""


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key")
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    if error.validator == "pattern":
        return (
            f"{error.instance!r} is not a valid identifier "
            "(lower-case letters, digits, '_', '.', '-', starting with a letter)"
        )
    return error.message


def check_definition(data: Any, *, source: str = "<definition>") -> dict[str, Any]:
    """Return ``data`` if it is a valid definition, else raise with a precise message."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.absolute_path), e.path))
    if errors:
        # Deepest, most specific error first: it is the one the author has to fix.
        error = jsonschema.exceptions.best_match(errors)
        assert error is not None
        raise InstrumentDefinitionError(
            f"{source}: {_path(error.absolute_path)}: {_schema_message(error)}"
        )
    _check_references(data, source)
    return dict(data)


def _fail(source: str, path: str, message: str) -> None:
    raise InstrumentDefinitionError(f"{source}: {path}: {message}")


def _check_references(data: Mapping[str, Any], source: str) -> None:
    scales: Mapping[str, Any] = data.get("scales", {})
    for name, scale in scales.items():
        if scale["min"] >= scale["max"]:
            _fail(source, f"scales.{name}", f"min ({scale['min']}) must be below max")
    bands = {b["id"] for b in data.get("age_bands", [])}
    perspectives = {p["id"] for p in data.get("perspectives", [])}
    seen_sections: set[str] = set()
    items: dict[str, Mapping[str, Any]] = {}
    for s, section in enumerate(data["sections"]):
        where = f"sections[{s}]"
        if section["id"] in seen_sections:
            _fail(source, f"{where}.id", f"section id {section['id']!r} is used twice")
        seen_sections.add(section["id"])
        for band in section.get("age_bands", []):
            if band not in bands:
                _fail(source, f"{where}.age_bands", f"unknown age band {band!r}")
        for i, item in enumerate(section["items"]):
            at = f"{where}.items[{i}]"
            if item["id"] in items:
                _fail(source, f"{at}.id", f"item id {item['id']!r} is used twice")
            items[item["id"]] = item
            scale_name = item.get("scale")
            if scale_name is not None and scale_name not in scales:
                _fail(source, f"{at}.scale", f"unknown scale {scale_name!r}")
            if scale_name is not None:
                low, high = scales[scale_name]["min"], scales[scale_name]["max"]
                for key in item.get("prompts", {}):
                    if not low <= int(key) <= high:
                        _fail(source, f"{at}.prompts.{key}", f"grade outside {low}..{high}")
            for band in item.get("age_bands", []):
                if band not in bands:
                    _fail(source, f"{at}.age_bands", f"unknown age band {band!r}")
            for band in item.get("hints_by_age_band", {}):
                if band not in bands:
                    _fail(source, f"{at}.hints_by_age_band", f"unknown age band {band!r}")
            if "perspective" in item and item["perspective"] not in perspectives:
                _fail(source, f"{at}.perspective", f"unknown perspective {item['perspective']!r}")
            if item["type"] == "number" and item.get("min", 0) > item.get("max", 10**9):
                _fail(source, at, "min must not exceed max")
            values = [c["value"] for c in item.get("choices", [])]
            if len(values) != len(set(values)):
                _fail(source, f"{at}.choices", "choice values must be unique")
    scores: set[str] = set()
    for n, rule in enumerate(data.get("scoring", [])):
        at = f"scoring[{n}]"
        if rule["id"] in scores or rule["id"] in items:
            _fail(source, f"{at}.id", f"score id {rule['id']!r} is already used")
        if not rule.get("items") and not rule.get("scores"):
            _fail(source, at, "a score needs 'items' or 'scores' to work from")
        for ref in rule.get("items", []):
            if ref not in items:
                _fail(source, f"{at}.items", f"unknown item {ref!r}")
            elif items[ref]["type"] not in NUMERIC_TYPES:
                _fail(source, f"{at}.items", f"item {ref!r} is {items[ref]['type']}, not scorable")
        for ref in rule.get("scores", []):
            if ref not in scores:
                _fail(source, f"{at}.scores", f"unknown or later score {ref!r}")
        for ref in rule.get("reverse", []):
            if ref not in rule.get("items", []):
                _fail(source, f"{at}.reverse", f"{ref!r} is reversed but not in this score's items")
            elif "scale" not in items[ref] and "max" not in items[ref]:
                _fail(source, f"{at}.reverse", f"{ref!r} has no scale to reverse on")
        if rule["rule"] == "count_at_least" and "threshold" not in rule:
            _fail(source, at, "count_at_least needs a threshold")
        condition = rule.get("bands_if")
        if condition and condition["item"] not in items:
            _fail(source, f"{at}.bands_if.item", f"unknown item {condition['item']!r}")
        for b, band in enumerate(rule.get("bands", [])):
            if band["min"] > band["max"]:
                _fail(source, f"{at}.bands[{b}]", "min must not exceed max")
        scores.add(rule["id"])


def load_definition(path: Path) -> dict[str, Any]:
    """Read and check one YAML definition file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InstrumentDefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
    return check_definition(data, source=path.name)


def definition_sha256(definition: Mapping[str, Any]) -> str:
    """A stable fingerprint of a definition, stored with every assessment that used it."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def iter_items(definition: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(section, item) for every item, in order."""
    for section in definition["sections"]:
        for item in section["items"]:
            yield section, item


def items_by_id(definition: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for _, item in iter_items(definition)}


def applicable_sections(
    definition: Mapping[str, Any], *, age_band: str | None
) -> list[dict[str, Any]]:
    """Sections and items that apply to ``age_band`` (all of them when no band is given)."""
    out = []
    for section in definition["sections"]:
        if age_band and section.get("age_bands") and age_band not in section["age_bands"]:
            continue
        items = [
            item
            for item in section["items"]
            if not (age_band and item.get("age_bands") and age_band not in item["age_bands"])
        ]
        if items:
            out.append({**section, "items": items})
    return out


def age_band_for(definition: Mapping[str, Any], age: int | None) -> str | None:
    """The first age band whose range holds ``age``; ``None`` when unknown (unborn, no bands):
    the practitioner then chooses the band."""
    if age is None:
        return None
    for band in definition.get("age_bands", []):
        low, high = band.get("min_age"), band.get("max_age")
        if low is None and high is None:
            continue
        if (low is None or age >= low) and (high is None or age <= high):
            return str(band["id"])
    return None


def scale_of(definition: Mapping[str, Any], item: Mapping[str, Any]) -> tuple[int, int]:
    """The (low, high) an item's numbers may take."""
    if "scale" in item:
        scale = definition["scales"][item["scale"]]
        return int(scale["min"]), int(scale["max"])
    return int(item.get("min", 0)), int(item.get("max", 100))
