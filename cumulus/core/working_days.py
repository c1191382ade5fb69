"""Working days in England: Monday to Friday, not a bank holiday of England and Wales.

Statutory timescales (a child and family assessment within 45 working days; an initial child
protection conference within 15 working days of the strategy discussion) and DfE's indicators
count working days. Bank holidays come from the maintained ``holidays`` package, which ships
its rules with it (nothing is fetched at run time), including one-off days such as the
coronation (8 May 2023).

    add_working_days(dt.date(2025, 4, 17), 1)       # Good Friday and Easter Monday skipped
    -> datetime.date(2025, 4, 22)
    working_days_between(dt.date(2025, 4, 17), dt.date(2025, 4, 22))
    -> 1
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

import holidays
import numpy as np
import numpy.typing as npt

FIRST_YEAR, LAST_YEAR = 1990, 2060


@lru_cache(maxsize=1)
def _calendar() -> np.busdaycalendar:
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return np.busdaycalendar(holidays=np.array(sorted(days), dtype="datetime64[D]"))


def bank_holidays(year: int) -> list[dt.date]:
    """England and Wales bank holidays in ``year`` that fall on a weekday."""
    return sorted(
        day
        for day in holidays.country_holidays("GB", subdiv="ENG", years=year)
        if day.weekday() < 5
    )


def _check(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"working days are known from {FIRST_YEAR} to {LAST_YEAR}; got {day}")


def is_working_day(day: dt.date) -> bool:
    _check(day)
    return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=_calendar()))


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start`` (before it, if ``count`` is negative).

    A start on a weekend or bank holiday counts from the next working day, as a timescale
    that starts on a Saturday effectively starts on Monday.
    """
    _check(start)
    roll: Literal["forward", "backward"] = "forward" if count >= 0 else "backward"
    result = np.busday_offset(
        np.array([start], dtype="datetime64[D]"), count, roll=roll, busdaycal=_calendar()
    )
    return dt.date.fromisoformat(str(result[0]))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier).

    This is DfE's count: an assessment started and authorised on the same day took 0 days.
    """
    _check(start)
    _check(end)
    one = np.timedelta64(1, "D")
    start_d, end_d = np.datetime64(start, "D") + one, np.datetime64(end, "D") + one
    return int(
        np.busday_count(start_d, end_d, busdaycal=_calendar())
        if end >= start
        else -np.busday_count(end_d, start_d, busdaycal=_calendar())
    )


def working_days_between_arrays(
    start: npt.NDArray[np.datetime64], end: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.int64]:
    """Vectorised ``working_days_between`` for indicator computations (``end >= start``)."""
    return np.asarray(
        np.busday_count(
            start + np.timedelta64(1, "D"), end + np.timedelta64(1, "D"), busdaycal=_calendar()
        ),
        dtype=np.int64,
    )
