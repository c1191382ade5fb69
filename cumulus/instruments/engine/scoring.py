"""Responses and scores: clean what a form posted, then apply the definition's scoring rules.

Pure Python. ``clean_responses`` turns raw strings into typed JSON values (and collects a
message per item that is wrong); ``score`` never raises on a cleaned response set: a score
without enough answers is ``None``, not an error (a hypothesis test holds this).

Rules (``scoring`` in a definition):

* ``sum`` / ``mean`` of items (after reversing the ``reverse`` items on their scale) or of
  earlier scores; ``min_answered`` answers needed, and with ``prorate`` a sum with gaps is
  ``round-half-up(mean * n)`` (the published way for SDQ subscales);
* ``max`` / ``min``; ``worst`` (the highest value when lower is better, else the lowest);
* ``count_at_least``: how many answers reach ``threshold``;
* ``bands``: the first band whose ``min``..``max`` holds the value names it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cumulus.instruments.engine.definition import items_by_id, scale_of

Responses = dict[str, Any]


@dataclass(frozen=True)
class ScoreResult:
    id: str
    label: str
    value: float | None
    band: str | None
    answered: int

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "band": self.band,
            "answered": self.answered,
        }


def _clean_int(raw: Any, low: int, high: int) -> tuple[int | None, str | None]:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None, None
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None, f"Enter a whole number from {low} to {high}"
    if not low <= value <= high:
        return None, f"Enter a whole number from {low} to {high}"
    return value, None


def clean_value(
    definition: Mapping[str, Any], item: Mapping[str, Any], raw: Any
) -> tuple[Any, str | None]:
    """(typed value or None, error message or None) for one item's raw form value(s)."""
    kind = item["type"]
    if kind in ("grade", "number"):
        low, high = scale_of(definition, item)
        return _clean_int(raw, low, high)
    if kind == "yes_no":
        if raw in (None, ""):
            return None, None
        if raw in ("yes", True):
            return True, None
        if raw in ("no", False):
            return False, None
        return None, "Choose yes or no"
    if kind in ("text", "child_words"):
        text = (raw or "").strip() if isinstance(raw, str) else ""
        if len(text) > 10_000:
            return None, "Keep this under 10,000 characters"
        return (text or None), None
    if kind == "date":
        if raw in (None, ""):
            return None, None
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat(), None
        except ValueError:
            return None, "Enter a real date, for example 2026-03-27"
    if kind == "choice":
        allowed = {c["value"] for c in item["choices"]}
        values = raw if isinstance(raw, list) else ([raw] if raw not in (None, "") else [])
        wrong = [v for v in values if v not in allowed]
        if wrong:
            return None, f"Choose from the options given (not {wrong[0]!r})"
        if item.get("multiple"):
            return (sorted(set(values)) or None), None
        if len(values) > 1:
            return None, "Choose one option"
        return (values[0] if values else None), None
    if kind == "pairs":
        rows = [
            [str(a).strip(), str(b).strip()]
            for a, b in (raw or [])
            if str(a).strip() or str(b).strip()
        ]
        return (rows or None), None
    if kind == "person_scale":
        low, high = scale_of(definition, item)
        rows_out = []
        for who, value in raw or []:
            who = str(who).strip()
            number, error = _clean_int(value, low, high)
            if error:
                return None, error
            if who and number is None:
                return None, f"Give a number from {low} to {high} for {who}"
            if number is not None and not who:
                return None, "Say whose view each number is"
            if who:
                rows_out.append({"who": who, "value": number})
        return (rows_out or None), None
    if kind == "photo":
        return None, None
    raise ValueError(f"unknown item type {kind!r}")


def clean_responses(
    definition: Mapping[str, Any], raw: Mapping[str, Any], *, item_ids: set[str] | None = None
) -> tuple[Responses, dict[str, str]]:
    """Typed responses for every item present in ``raw`` (limited to ``item_ids``), and errors."""
    responses: Responses = {}
    errors: dict[str, str] = {}
    for item_id, item in items_by_id(definition).items():
        if item_ids is not None and item_id not in item_ids:
            continue
        value, error = clean_value(definition, item, raw.get(item_id))
        if error:
            errors[item_id] = error
        elif value is not None:
            responses[item_id] = value
    return responses, errors


def missing_required(
    definition: Mapping[str, Any], responses: Mapping[str, Any], item_ids: set[str]
) -> list[str]:
    """Required items (among those that apply) with no answer: sign-off waits for them."""
    return [
        item_id
        for item_id, item in items_by_id(definition).items()
        if item_id in item_ids
        and item.get("required")
        and item["type"] != "photo"
        and responses.get(item_id) in (None, "", [])
    ]


def _numbers(definition: Mapping[str, Any], item: Mapping[str, Any], value: Any) -> list[float]:
    kind = item["type"]
    if value is None:
        return []
    if kind in ("grade", "number"):
        return [float(value)]
    if kind == "yes_no":
        return [1.0 if value else 0.0]
    if kind == "choice":
        scores = {c["value"]: c.get("score") for c in item["choices"]}
        values = value if isinstance(value, list) else [value]
        return [float(s) for v in values if (s := scores.get(v)) is not None]
    if kind == "person_scale":
        return [float(row["value"]) for row in value]
    return []


def _round_half_up(x: float) -> float:
    return float(math.floor(x + 0.5))


def _better(definition: Mapping[str, Any], rule: Mapping[str, Any], items: Any) -> str:
    if "better" in rule:
        return str(rule["better"])
    for item_id in rule.get("items", []):
        item = items[item_id]
        if "scale" in item:
            return str(definition["scales"][item["scale"]].get("better", "lower"))
    return "lower"


def score(definition: Mapping[str, Any], responses: Mapping[str, Any]) -> dict[str, ScoreResult]:
    """Every score the definition declares, in order; ``None`` values where data is lacking."""
    items = items_by_id(definition)
    results: dict[str, ScoreResult] = {}
    for rule in definition.get("scoring", []):
        values: list[float] = []
        expected = 0
        for item_id in rule.get("items", []):
            item = items[item_id]
            expected += 1
            numbers = _numbers(definition, item, responses.get(item_id))
            if item_id in rule.get("reverse", []):
                low, high = scale_of(definition, item)
                numbers = [low + high - n for n in numbers]
            values.extend(numbers)
        for score_id in rule.get("scores", []):
            expected += 1
            earlier = results[score_id].value
            if earlier is not None:
                values.append(earlier)
        answered = len(values)
        needed = rule.get("min_answered", 1)
        value: float | None = None
        kind = rule["rule"]
        if answered >= needed:
            if kind == "sum":
                if rule.get("prorate") and 0 < answered < expected:
                    value = _round_half_up(sum(values) / answered * expected)
                elif rule.get("scores") and answered < expected:
                    value = None  # a total of totals is only meaningful when all are present
                else:
                    value = float(sum(values))
            elif kind == "mean":
                value = round(sum(values) / answered, 2)
            elif kind == "max":
                value = max(values)
            elif kind == "min":
                value = min(values)
            elif kind == "worst":
                lower_is_better = _better(definition, rule, items) == "lower"
                value = max(values) if lower_is_better else min(values)
            elif kind == "count_at_least":
                value = float(sum(1 for v in values if v >= rule["threshold"]))
        band = None
        condition = rule.get("bands_if")
        applies = condition is None or responses.get(condition["item"]) == condition["value"]
        if value is not None and applies:
            band = next(
                (b["label"] for b in rule.get("bands", []) if b["min"] <= value <= b["max"]),
                None,
            )
        results[rule["id"]] = ScoreResult(
            id=rule["id"], label=rule["label"], value=value, band=band, answered=answered
        )
    return results


def score_direction(definition: Mapping[str, Any], score_id: str) -> str:
    """``lower`` or ``higher``: which way is better for a score (used by comparisons)."""
    items = items_by_id(definition)
    for rule in definition.get("scoring", []):
        if rule["id"] == score_id:
            return _better(definition, rule, items)
    return "lower"
