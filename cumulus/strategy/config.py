"""A partnership's strategy, read from one TOML file and checked field by field.

No Django here: ``strategy_config_read(path)`` returns a ``StrategyConfig`` or raises
``StrategyConfigError`` naming the file and the field, so a business unit editing its file
sees exactly what to fix::

    config = strategy_config_read(SHIPPED_DIR / "cumbria.toml")
    config.aims[0].code            # "recognise"
    config.action_plan_objectives  # Recognise, Respond, Quantify, Evaluate

The file's shape is in docs/strategy.md. Names are checked against what the rest of Cumulus
knows: the indicator profile must be one of ``cumulus.indicators.profiles.PROFILES`` and the
continuum of need a file in ``cumulus/thresholds/continua/``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHIPPED_DIR = Path(__file__).resolve().parent / "partnerships"
CONTINUA_DIR = Path(__file__).resolve().parents[1] / "thresholds" / "continua"
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9.-]{0,19}$")
REPORTING = ("quarterly", "six-monthly", "annually")


class StrategyConfigError(ValueError):
    """The strategy file is missing, unreadable or has a wrong or missing field."""


@dataclass(frozen=True)
class Aim:
    code: str
    title: str
    summary: str
    section: str
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class PlanObjective:
    """One heading of the action plan template (each agency's plan has one per heading)."""

    key: str
    title: str
    summary: str


@dataclass(frozen=True)
class StrategyConfig:
    slug: str
    partnership: str
    title: str
    period: str
    source: str
    reporting: str
    indicator_profile: str
    continuum: str
    principles: tuple[str, ...]
    aims: tuple[Aim, ...]
    action_plan_objectives: tuple[PlanObjective, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy, kept with the loaded strategy."""
        return {
            "slug": self.slug,
            "partnership": self.partnership,
            "title": self.title,
            "period": self.period,
            "source": self.source,
            "reporting": self.reporting,
            "indicator_profile": self.indicator_profile,
            "continuum": self.continuum,
            "principles": list(self.principles),
            "aims": [
                {
                    "code": a.code,
                    "title": a.title,
                    "summary": a.summary,
                    "section": a.section,
                    "objectives": list(a.objectives),
                }
                for a in self.aims
            ],
            "action_plan": {
                "objectives": [
                    {"key": o.key, "title": o.title, "summary": o.summary}
                    for o in self.action_plan_objectives
                ]
            },
        }


class _Reader:
    """Field-by-field checks that name ``file: field`` in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str, problem: str) -> StrategyConfigError:
        return StrategyConfigError(f"{self.path.name}: {field}: {problem}")

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        field = f"{where}{key}"
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(field, "is missing")
            return ""
        if not isinstance(value, str):
            raise self.fail(field, f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(field, "is empty")
        return value.strip()

    def texts(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        field = f"{where}{key}"
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(field, "must be a list of non-empty texts")
        return tuple(v.strip() for v in value)

    def tables(self, data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        field = f"{where}{key}"
        value = data.get(key)
        if value is None:
            raise self.fail(field, "is missing")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(field, f"must be a list of tables ([[{key}]])")
        if not value:
            raise self.fail(field, "needs at least one entry")
        return value


def _known_profiles() -> set[str]:
    from cumulus.indicators.profiles import PROFILES

    return set(PROFILES)


KNOWN_TOP_LEVEL = {
    "slug",
    "partnership",
    "title",
    "period",
    "source",
    "reporting",
    "indicator_profile",
    "continuum",
    "principles",
    "aims",
    "action_plan",
}


def strategy_config_parse(data: dict[str, Any], *, path: Path) -> StrategyConfig:
    """Check the parsed TOML ``data``; ``path`` only names the file in errors."""
    r = _Reader(path)
    unknown = sorted(set(data) - KNOWN_TOP_LEVEL)
    if unknown:
        raise r.fail(unknown[0], "is not a strategy field (check the spelling)")
    slug = r.text(data, "slug", "")
    if not _SLUG.match(slug):
        raise r.fail("slug", f"{slug!r} must be lower case letters, digits and hyphens")
    reporting = r.text(data, "reporting", "")
    if reporting not in REPORTING:
        raise r.fail("reporting", f"{reporting!r} is not one of {', '.join(REPORTING)}")
    profile = r.text(data, "indicator_profile", "")
    profiles = _known_profiles()
    if profile not in profiles:
        raise r.fail(
            "indicator_profile",
            f"{profile!r} is not an indicator profile; choose from {', '.join(sorted(profiles))}",
        )
    continuum = r.text(data, "continuum", "")
    if "/" in continuum or not (CONTINUA_DIR / continuum).is_file():
        shipped = ", ".join(sorted(p.name for p in CONTINUA_DIR.glob("*.yaml")))
        raise r.fail("continuum", f"{continuum!r} is not a continuum of need file ({shipped})")
    aims: list[Aim] = []
    for n, raw in enumerate(r.tables(data, "aims", ""), start=1):
        where = f"aims[{n}]."
        code = r.text(raw, "code", where)
        if not _CODE.match(code):
            raise r.fail(f"{where}code", f"{code!r} must be short: lower case, digits, . or -")
        if any(a.code == code for a in aims):
            raise r.fail(f"{where}code", f"{code!r} is used by an earlier aim")
        aims.append(
            Aim(
                code=code,
                title=r.text(raw, "title", where),
                summary=r.text(raw, "summary", where, required=False),
                section=r.text(raw, "section", where),
                objectives=r.texts(raw, "objectives", where),
            )
        )
    plan = data.get("action_plan")
    if not isinstance(plan, dict):
        raise r.fail(
            "action_plan", "is missing (a [action_plan] table with [[action_plan.objectives]])"
        )
    objectives: list[PlanObjective] = []
    for n, raw in enumerate(r.tables(plan, "objectives", "action_plan."), start=1):
        where = f"action_plan.objectives[{n}]."
        key = r.text(raw, "key", where)
        if not _CODE.match(key):
            raise r.fail(f"{where}key", f"{key!r} must be short: lower case, digits, . or -")
        if any(o.key == key for o in objectives):
            raise r.fail(f"{where}key", f"{key!r} is used by an earlier objective")
        objectives.append(
            PlanObjective(
                key=key,
                title=r.text(raw, "title", where),
                summary=r.text(raw, "summary", where, required=False),
            )
        )
    return StrategyConfig(
        slug=slug,
        partnership=r.text(data, "partnership", ""),
        title=r.text(data, "title", ""),
        period=r.text(data, "period", ""),
        source=r.text(data, "source", ""),
        reporting=reporting,
        indicator_profile=profile,
        continuum=continuum,
        principles=r.texts(data, "principles", ""),
        aims=tuple(aims),
        action_plan_objectives=tuple(objectives),
    )


def strategy_config_read(path: Path) -> StrategyConfig:
    """Read and check one strategy file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StrategyConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StrategyConfigError(f"{path.name}: is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise StrategyConfigError(f"{path.name}: is not valid TOML ({exc})") from exc
    return strategy_config_parse(data, path=path)


def strategy_config_path(name_or_path: str) -> Path:
    """A shipped strategy's name (``cumbria``) or the path of a partnership's own file."""
    shipped = SHIPPED_DIR / f"{name_or_path}.toml"
    if _SLUG.match(name_or_path) and shipped.is_file():
        return shipped
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.is_file():
        return path
    names = ", ".join(shipped_names())
    raise StrategyConfigError(
        f"No strategy {name_or_path!r}: give a shipped name ({names}) or the path of a .toml file"
    )


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))
