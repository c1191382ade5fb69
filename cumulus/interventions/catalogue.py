"""Reading and checking the catalogue file (``data/catalogue.toml``), with no database."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "data" / "catalogue.toml"
LEVELS = ("early_help", "child_in_need", "child_protection", "looked_after")
NEGLECT_TYPES = ("medical", "nutritional", "emotional", "educational", "physical", "supervision")


class CatalogueError(ValueError):
    """The catalogue file is not usable: says which entry and what is wrong."""


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    description: str
    min_age: int
    max_age: int
    levels: tuple[str, ...]
    neglect_types: tuple[str, ...]
    capacity: dict[str, int]


def parse_catalogue(text: str, *, source: str = "catalogue") -> tuple[str, list[CatalogueEntry]]:
    """The catalogue's version and entries; every problem named with the entry it is in."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: not valid TOML: {exc}") from exc
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for position, raw in enumerate(data.get("intervention") or [], start=1):
        where = f"{source}: intervention {position} ({raw.get('code', 'no code')})"
        missing = {"code", "name", "description", "min_age", "max_age", "levels"} - set(raw)
        if missing:
            raise CatalogueError(f"{where} is missing {', '.join(sorted(missing))}")
        if raw["code"] in seen:
            raise CatalogueError(f"{where}: the code is used twice")
        seen.add(raw["code"])
        if not 0 <= raw["min_age"] <= raw["max_age"] <= 17:
            raise CatalogueError(f"{where}: ages must run from min_age to max_age within 0-17")
        bad_levels = set(raw["levels"]) - set(LEVELS)
        if bad_levels or not raw["levels"]:
            raise CatalogueError(
                f"{where}: levels must be some of {', '.join(LEVELS)}; "
                f"got {', '.join(sorted(bad_levels)) or 'none'}"
            )
        bad_types = set(raw.get("neglect_types", [])) - set(NEGLECT_TYPES)
        if bad_types:
            raise CatalogueError(f"{where}: unknown neglect type {', '.join(sorted(bad_types))}")
        capacity = raw.get("capacity", {})
        if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in capacity.values()):
            raise CatalogueError(f"{where}: capacity places must be whole numbers, 0 or more")
        entries.append(
            CatalogueEntry(
                code=raw["code"],
                name=raw["name"],
                description=raw["description"],
                min_age=raw["min_age"],
                max_age=raw["max_age"],
                levels=tuple(raw["levels"]),
                neglect_types=tuple(raw.get("neglect_types", [])),
                capacity={str(k): int(v) for k, v in capacity.items()},
            )
        )
    if not entries:
        raise CatalogueError(f"{source}: the catalogue has no [[intervention]]")
    return str(data.get("version", "")), entries
