"""A Continuum of Need as data, and the suggestion it gives for one child.

A continuum file lists levels (1 universal ... 4 child protection, or however the partnership
numbers them) and indicators, each at a level, optionally for one neglect type, with a
condition on the facts:

* ``{assessment: neglect-screening, score: worst, at_least: 4}``: the child's latest signed-off
  assessment with that instrument has that score at or above (``at_most``: at or below) it;
* ``{open_plan: child_protection}``: the child has an open plan of that type;
* ``{events: [health.was_not_brought], at_least: 2, within_days: 180}``: chronology events.

The suggestion is the highest level any indicator reaches (the lowest level when none does),
with every indicator that matched and its evidence. It never decides: the practitioner does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).with_name("continuum.schema.json")


class ContinuumError(ValueError):
    """A continuum file is malformed; the message says where and what."""


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def check_continuum(data: Any, *, source: str = "<continuum>") -> dict[str, Any]:
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        ).lstrip(".")
        raise ContinuumError(f"{source}: {where or '(top level)'}: {error.message}")
    levels = [lv["level"] for lv in data["levels"]]
    if len(set(levels)) != len(levels):
        raise ContinuumError(f"{source}: levels: each level number must appear once")
    seen: set[str] = set()
    for n, indicator in enumerate(data["indicators"]):
        at = f"{source}: indicators[{n}]"
        if indicator["id"] in seen:
            raise ContinuumError(f"{at}.id: {indicator['id']!r} is used twice")
        seen.add(indicator["id"])
        if indicator["level"] not in levels:
            raise ContinuumError(f"{at}.level: no level {indicator['level']} in 'levels'")
        when = indicator["when"]
        kinds = [k for k in ("assessment", "open_plan", "events") if k in when]
        if len(kinds) != 1:
            raise ContinuumError(
                f"{at}.when: give exactly one of 'assessment', 'open_plan' or 'events'"
            )
        if kinds[0] == "assessment" and (
            "score" not in when or ("at_least" not in when and "at_most" not in when)
        ):
            raise ContinuumError(f"{at}.when: an assessment condition needs 'score' and a limit")
        if kinds[0] == "events" and ("at_least" not in when or "within_days" not in when):
            raise ContinuumError(
                f"{at}.when: an events condition needs 'at_least' and 'within_days'"
            )
    return dict(data)


def load_continuum(path: Path) -> tuple[dict[str, Any], str]:
    """(checked continuum, SHA-256 of the file)."""
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ContinuumError(f"{path.name}: not valid YAML: {exc}") from exc
    return check_continuum(data, source=path.name), hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class ChildFacts:
    """What the suggestion is computed from, gathered by the Django side."""

    today: dt.date
    scores: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)
    assessed_on: Mapping[str, dt.date] = field(default_factory=dict)
    open_plans: Sequence[str] = ()
    events: Sequence[tuple[str, dt.date]] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "scores": {k: dict(v) for k, v in self.scores.items()},
            "assessed_on": {k: v.isoformat() for k, v in self.assessed_on.items()},
            "open_plans": list(self.open_plans),
            "events": [[code, on.isoformat()] for code, on in self.events],
        }


@dataclass(frozen=True)
class Match:
    id: str
    level: int
    text: str
    neglect_type: str
    evidence: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "text": self.text,
            "neglect_type": self.neglect_type,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Suggestion:
    level: int
    name: str
    matches: tuple[Match, ...]

    @property
    def leading(self) -> tuple[Match, ...]:
        """The indicators at the suggested level: the ones that led to it."""
        return tuple(m for m in self.matches if m.level == self.level)


def _evidence(when: Mapping[str, Any], facts: ChildFacts) -> str | None:
    if "assessment" in when:
        value = facts.scores.get(when["assessment"], {}).get(when["score"])
        if value is None:
            return None
        if "at_least" in when and value < when["at_least"]:
            return None
        if "at_most" in when and value > when["at_most"]:
            return None
        on = facts.assessed_on.get(when["assessment"])
        return f"{when['assessment']} {when['score']} = {value:g}" + (
            f" on {on.isoformat()}" if on else ""
        )
    if "open_plan" in when:
        return (
            f"open {when['open_plan'].replace('_', ' ')} plan"
            if when["open_plan"] in facts.open_plans
            else None
        )
    since = facts.today - dt.timedelta(days=when["within_days"])
    wanted = set(when["events"])
    found = [on for code, on in facts.events if code in wanted and on >= since]
    if len(found) < when["at_least"]:
        return None
    return f"{len(found)} of {', '.join(sorted(wanted))} in the last {when['within_days']} days"


def suggest(continuum: Mapping[str, Any], facts: ChildFacts) -> Suggestion:
    levels = {lv["level"]: lv["name"] for lv in continuum["levels"]}
    matches = []
    for indicator in continuum["indicators"]:
        evidence = _evidence(indicator["when"], facts)
        if evidence is not None:
            matches.append(
                Match(
                    id=indicator["id"],
                    level=indicator["level"],
                    text=indicator["text"],
                    neglect_type=indicator.get("neglect_type", "any"),
                    evidence=evidence,
                )
            )
    level = max((m.level for m in matches), default=min(levels))
    matches.sort(key=lambda m: (-m.level, m.id))
    return Suggestion(level=level, name=levels[level], matches=tuple(matches))
