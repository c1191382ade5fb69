"""Every timescale of the journey in one place, as functions of dates.

Statutory timescales count working days (England and Wales bank holidays, ``core.working_days``):
a front door decision within 1 working day, a child and family assessment within 45, an initial
child protection conference within 15 of the strategy discussion. Child protection reviews are
set in months by Working Together (first within 3 months of the conference, then at most 6 months
apart); a date in months that falls on a weekend or bank holiday is brought back to the working
day before it, so the review is still "within" the timescale.

The values are the partnership's configuration, not constants: ``data/timescales.toml`` holds
the defaults, and a partnership's own file (the setting ``CUMULUS_TIMESCALES_FILE``) changes any
of them. Statutory values are maxima: a file may shorten them, never lengthen them::

    config = parse_timescales('[working_days]\nearly_help_assessment = 20', source="ours.toml")
    early_help_assessment_due(dt.date(2026, 3, 2), config=config)   # -> 30 March 2026
    current().months["drift"]                                       # -> 6 (the defaults)

Every function takes ``config`` (default: the partnership's file, read once per path).
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cumulus.core.working_days import add_working_days, is_working_day

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "timescales.toml"

# Each section's keys; for a statutory timescale, its legal maximum (None: local practice).
SECTIONS: dict[str, dict[str, int | None]] = {
    "working_days": {
        "front_door_decision": 1,
        "child_and_family_assessment": 45,
        "initial_conference": 15,
        "early_help_assessment": None,
        "section_47": None,
    },
    "months": {
        "child_protection_first_review": 3,
        "child_protection_later_review": 6,
        "child_in_need_review": None,
        "early_help_review": None,
        "looked_after_first_review": None,
        "drift": None,
    },
    "oversight_days": {
        "child_protection": None,
        "looked_after": None,
        "child_in_need": None,
        "early_help": None,
    },
}
# No timescale longer than this (a typo such as 450 for 45 is caught).
UPPER_BOUND = {"working_days": 260, "months": 24, "oversight_days": 366}
UNITS = {"working_days": "working days", "months": "months", "oversight_days": "days"}


class TimescalesError(ValueError):
    """The timescales file is not usable: says which value and what is wrong."""


@dataclass(frozen=True)
class Timescales:
    name: str
    version: str
    working_days: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    oversight_days: dict[str, int] = field(default_factory=dict)
    source: str = ""


def _read(text: str, source: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TimescalesError(f"{source}: not valid TOML: {exc}") from exc


def parse_timescales(
    text: str, *, source: str = "timescales", base: Timescales | None = None
) -> Timescales:
    """Check and read a partnership's timescales file; values it leaves out come from ``base``
    (by default the shipped defaults). Unknown names, non-whole numbers, values under 1 or
    implausibly large, and statutory timescales made longer than the law allows are refused."""
    return _parse(text, source=source, base=base or defaults())


def _parse(text: str, *, source: str, base: Timescales | None) -> Timescales:
    """``base`` None: the file must give every value (the shipped defaults)."""
    data = _read(text, source)
    unknown = set(data) - set(SECTIONS) - {"name", "version"}
    if unknown:
        raise TimescalesError(
            f"{source}: unknown section {', '.join(sorted(unknown))}; "
            f"expected {', '.join(SECTIONS)}"
        )
    values: dict[str, dict[str, int]] = {}
    for section, keys in SECTIONS.items():
        raw = data.get(section, {})
        if not isinstance(raw, dict):
            raise TimescalesError(f"{source}: [{section}] must be a table of names and numbers")
        unknown_keys = set(raw) - set(keys)
        if unknown_keys:
            raise TimescalesError(
                f"{source}: [{section}] has no timescale called "
                f"{', '.join(sorted(unknown_keys))}; known: {', '.join(keys)}"
            )
        merged = dict(getattr(base, section)) if base is not None else {}
        for key, value in raw.items():
            where = f"{source}: [{section}] {key}"
            if not isinstance(value, int) or isinstance(value, bool):
                raise TimescalesError(f"{where} must be a whole number, not {value!r}")
            if value < 1:
                raise TimescalesError(f"{where} must be at least 1")
            if value > UPPER_BOUND[section]:
                raise TimescalesError(
                    f"{where} is {value} {UNITS[section]}; at most {UPPER_BOUND[section]}"
                )
            maximum = keys[key]
            if maximum is not None and value > maximum:
                raise TimescalesError(
                    f"{where} is {value} {UNITS[section]}, longer than the statutory "
                    f"{maximum}: a partnership may shorten a statutory timescale, never lengthen it"
                )
            merged[key] = value
        missing = set(keys) - set(merged)
        if missing:
            raise TimescalesError(f"{source}: [{section}] is missing {', '.join(sorted(missing))}")
        values[section] = merged
    return Timescales(
        name=str(data.get("name", base.name if base else "Timescales")),
        version=str(data.get("version", base.version if base else "")),
        source=source,
        **values,
    )


@lru_cache(maxsize=1)
def defaults() -> Timescales:
    """The shipped defaults (``data/timescales.toml``)."""
    return _parse(DEFAULT_FILE.read_text(encoding="utf-8"), source=DEFAULT_FILE.name, base=None)


@lru_cache(maxsize=4)
def _load(path: str) -> Timescales:
    return parse_timescales(Path(path).read_text(encoding="utf-8"), source=Path(path).name)


def current() -> Timescales:
    """The partnership's timescales: its file if ``CUMULUS_TIMESCALES_FILE`` names one."""
    from django.conf import settings

    path = getattr(settings, "CUMULUS_TIMESCALES_FILE", "")
    return _load(str(path)) if path else defaults()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Aug + 6 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def within_months(day: dt.date, months: int) -> dt.date:
    """The last working day on or before ``day`` plus ``months``."""
    due = add_months(day, months)
    while not is_working_day(due):
        due -= dt.timedelta(days=1)
    return due


def _working_days(key: str, config: Timescales | None) -> int:
    return (config or current()).working_days[key]


def _months(key: str, config: Timescales | None) -> int:
    return (config or current()).months[key]


def front_door_decision_due(received_on: dt.date, *, config: Timescales | None = None) -> dt.date:
    return add_working_days(received_on, _working_days("front_door_decision", config))


def child_and_family_assessment_due(
    started_on: dt.date, *, config: Timescales | None = None
) -> dt.date:
    return add_working_days(started_on, _working_days("child_and_family_assessment", config))


def early_help_assessment_due(started_on: dt.date, *, config: Timescales | None = None) -> dt.date:
    return add_working_days(started_on, _working_days("early_help_assessment", config))


def section_47_due(started_on: dt.date, *, config: Timescales | None = None) -> dt.date:
    return add_working_days(started_on, _working_days("section_47", config))


def initial_conference_due(
    strategy_discussion_on: dt.date, *, config: Timescales | None = None
) -> dt.date:
    return add_working_days(strategy_discussion_on, _working_days("initial_conference", config))


def child_protection_review_due(
    *, conference_on: dt.date, last_review_on: dt.date | None, config: Timescales | None = None
) -> dt.date:
    """First review within 3 months of the initial conference, then every 6 months."""
    if last_review_on is None:
        return within_months(conference_on, _months("child_protection_first_review", config))
    return within_months(last_review_on, _months("child_protection_later_review", config))


def looked_after_first_review_due(
    started_on: dt.date, *, config: Timescales | None = None
) -> dt.date:
    return add_months(started_on, _months("looked_after_first_review", config))


def plan_review_due(
    *,
    plan_type: str,
    started_on: dt.date,
    last_review_on: dt.date | None,
    config: Timescales | None = None,
) -> dt.date:
    """The next review of any plan; child protection follows the statutory rule."""
    if plan_type == "child_protection":
        return child_protection_review_due(
            conference_on=started_on, last_review_on=last_review_on, config=config
        )
    key = "child_in_need_review" if plan_type == "child_in_need" else "early_help_review"
    return within_months(last_review_on or started_on, _months(key, config))


def is_drifting(
    *,
    started_on: dt.date,
    progress_reviewed_on: dt.date | None,
    today: dt.date,
    config: Timescales | None = None,
) -> bool:
    """A plan open more than 6 months (the partnership's ``drift``) with no review of progress
    in that time."""
    since = progress_reviewed_on or started_on
    return add_months(since, _months("drift", config)) < today
