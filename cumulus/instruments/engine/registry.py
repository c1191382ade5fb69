"""Which instruments exist: the shipped definitions plus any licensed packs a deployment loads.

Shipped definitions are ``cumulus/instruments/definitions/*.yaml`` (tiers ``open``,
``structure-only`` and the empty ``licensed-pack`` shells). A licensed pack is a YAML file in the
deployment's pack folder (``CUMULUS_INSTRUMENT_PACKS_DIR``, outside the repository), which
either fills a shipped shell with the licensee's wording::

    pack: {licensee: "Eastmoor SCP, licence 2026/17", fills: gcp2-shell, version: "2026.1"}
    labels:
      sections: {physical: "..."}
      items: {physical.nutrition: "..."}
      hints: {physical.nutrition: "..."}
      prompts: {physical.nutrition: {"1": "...", "5": "..."}}
      scales: {grade: {"1": "...", "5": "..."}}

or brings a whole definition of the partnership's own licensed instrument (``definition:``).
Every assessment records the pack's SHA-256 and licensee. A pack may change wording only:
it cannot add items or scores to a shell, so stored grades keep their meaning.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from cumulus.instruments.engine.definition import (
    InstrumentDefinitionError,
    check_definition,
    definition_sha256,
    items_by_id,
    load_definition,
)

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "definitions"

_TEXT_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_GRADE_MAP = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "propertyNames": {"pattern": "^-?[0-9]+$"},
        "additionalProperties": {"type": "string"},
    },
}
PACK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["pack"],
    "properties": {
        "pack": {
            "type": "object",
            "additionalProperties": False,
            "required": ["licensee", "version"],
            "properties": {
                "licensee": {"type": "string", "minLength": 1},
                "version": {"type": "string", "minLength": 1},
                "fills": {"type": "string"},
                "fills_version": {"type": "integer"},
            },
        },
        "labels": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string"},
                "sections": _TEXT_MAP,
                "items": _TEXT_MAP,
                "hints": _TEXT_MAP,
                "prompts": _GRADE_MAP,
                "scales": _GRADE_MAP,
            },
        },
        "definition": {"type": "object"},
    },
}


@dataclass(frozen=True)
class Instrument:
    """A definition ready to use: wording merged in, fingerprints taken."""

    definition: dict[str, Any]
    sha256: str
    pack_sha256: str = ""
    pack_licensee: str = ""
    pack_version: str = ""

    @property
    def id(self) -> str:
        return str(self.definition["id"])

    @property
    def version(self) -> int:
        return int(self.definition["version"])

    @property
    def tier(self) -> str:
        return str(self.definition["licence"]["tier"])

    @property
    def title(self) -> str:
        return str(self.definition["title"])

    @property
    def has_pack(self) -> bool:
        return bool(self.pack_sha256)


def apply_pack(
    shell: dict[str, Any], pack: dict[str, Any], *, source: str = "<pack>"
) -> dict[str, Any]:
    """The shell with the pack's wording; unknown ids in the pack are errors, not ignored."""
    merged = copy.deepcopy(shell)
    labels = pack.get("labels", {})
    sections = {s["id"]: s for s in merged["sections"]}
    items = items_by_id(merged)
    if "title" in labels:
        merged["title"] = labels["title"]
    for key, text in labels.get("sections", {}).items():
        if key not in sections:
            raise InstrumentDefinitionError(f"{source}: labels.sections.{key}: unknown section")
        sections[key]["title"] = text
    for part, target in (("items", "label"), ("hints", "hint")):
        for key, text in labels.get(part, {}).items():
            if key not in items:
                raise InstrumentDefinitionError(f"{source}: labels.{part}.{key}: unknown item")
            items[key][target] = text
    for key, prompts in labels.get("prompts", {}).items():
        if key not in items:
            raise InstrumentDefinitionError(f"{source}: labels.prompts.{key}: unknown item")
        items[key]["prompts"] = dict(prompts)
    for key, scale_labels in labels.get("scales", {}).items():
        if key not in merged.get("scales", {}):
            raise InstrumentDefinitionError(f"{source}: labels.scales.{key}: unknown scale")
        merged["scales"][key]["labels"] = dict(scale_labels)
    return check_definition(merged, source=source)


def load_pack(path: Path) -> tuple[dict[str, Any], str]:
    """(pack data, SHA-256 of the file's bytes), checked against the pack schema."""
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise InstrumentDefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(PACK_SCHEMA).iter_errors(data)
    )
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InstrumentDefinitionError(f"{path.name}: {where}: {error.message}")
    if "definition" not in data and "fills" not in data["pack"]:
        raise InstrumentDefinitionError(f"{path.name}: pack: needs 'fills' or a 'definition'")
    return data, hashlib.sha256(raw).hexdigest()


def _latest(definitions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for definition in definitions:
        current = latest.get(definition["id"])
        if current is None or definition["version"] > current["version"]:
            latest[definition["id"]] = definition
    return latest


def _pack_definition(
    path: Path, shipped: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    pack, pack_sha = load_pack(path)
    meta = pack["pack"]
    if "definition" in pack:
        definition = check_definition(pack["definition"], source=path.name)
        if definition["licence"]["tier"] != "licensed-pack":
            raise InstrumentDefinitionError(
                f"{path.name}: definition.licence.tier: a pack's own instrument must be "
                "'licensed-pack'"
            )
        if definition["id"] in shipped:
            raise InstrumentDefinitionError(
                f"{path.name}: definition.id: {definition['id']!r} is a shipped instrument; "
                "use 'fills' to add wording to it"
            )
        return definition, pack_sha, meta
    base = shipped.get(meta["fills"])
    if base is None:
        raise InstrumentDefinitionError(
            f"{path.name}: pack.fills: no shipped instrument {meta['fills']!r}"
        )
    if base["licence"]["tier"] == "open" and not base.get("renameable"):
        raise InstrumentDefinitionError(
            f"{path.name}: pack.fills: {meta['fills']!r} is open and not renameable; packs "
            "fill structure-only or licensed-pack shells, or rename renameable tools"
        )
    if meta.get("fills_version", base["version"]) != base["version"]:
        raise InstrumentDefinitionError(
            f"{path.name}: pack.fills_version: written for version {meta['fills_version']}, "
            f"the shell is version {base['version']}"
        )
    return apply_pack(base, pack, source=path.name), pack_sha, meta


@dataclass(frozen=True)
class Registry:
    instruments: dict[str, Instrument]
    pack_problems: tuple[str, ...] = ()


def load_instruments(
    *, definitions_dir: Path = DEFINITIONS_DIR, packs_dir: Path | None = None
) -> Registry:
    """The latest version of every instrument, keyed by id, with packs applied.

    A broken shipped file is a bug and raises. A broken pack is the deployment's problem: the
    shell stays usable with neutral labels and the problem is reported in ``pack_problems``.
    """
    shipped = _latest([load_definition(p) for p in sorted(definitions_dir.glob("*.yaml"))])
    out = {key: Instrument(definition=d, sha256=definition_sha256(d)) for key, d in shipped.items()}
    problems: list[str] = []
    if packs_dir is not None and packs_dir.is_dir():
        for path in sorted(packs_dir.glob("*.y*ml")):
            try:
                definition, pack_sha, meta = _pack_definition(path, shipped)
            except InstrumentDefinitionError as exc:
                problems.append(str(exc))
                continue
            out[definition["id"]] = Instrument(
                definition=definition,
                sha256=definition_sha256(definition),
                pack_sha256=pack_sha,
                pack_licensee=str(meta["licensee"]),
                pack_version=str(meta["version"]),
            )
    return Registry(instruments=out, pack_problems=tuple(problems))
