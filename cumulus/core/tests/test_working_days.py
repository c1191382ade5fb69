"""Working days skip weekends and England and Wales bank holidays, including one-off ones."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cumulus.core.working_days import (
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2050, 12, 31))


def test_easter_and_the_coronation_are_not_working_days():
    assert not is_working_day(dt.date(2025, 4, 18))  # Good Friday
    assert not is_working_day(dt.date(2025, 4, 21))  # Easter Monday
    assert not is_working_day(dt.date(2023, 5, 8))  # coronation of Charles III
    assert not is_working_day(dt.date(2022, 9, 19))  # state funeral
    assert is_working_day(dt.date(2025, 4, 22))


def test_christmas_falling_on_a_weekend_moves_the_bank_holiday():
    assert dt.date(2022, 12, 27) in bank_holidays(2022)
    assert not is_working_day(dt.date(2022, 12, 27))


def test_adding_working_days_skips_easter():
    assert add_working_days(dt.date(2025, 4, 17), 1) == dt.date(2025, 4, 22)


def test_forty_five_working_days_over_christmas():
    # 1 December 2025 + 45 working days: Christmas Day, Boxing Day and New Year's Day skipped.
    assert add_working_days(dt.date(2025, 12, 1), 45) == dt.date(2026, 2, 5)


def test_same_day_is_zero_working_days():
    assert working_days_between(dt.date(2025, 6, 2), dt.date(2025, 6, 2)) == 0


def test_dates_outside_the_calendar_are_refused():
    with pytest.raises(ValueError, match="working days are known"):
        is_working_day(dt.date(1900, 1, 1))


@settings(deadline=None)  # the first call builds the bank holiday calendar
@given(DAYS, st.integers(min_value=0, max_value=400))
def test_counting_back_what_was_added_gives_the_same_number(start, count):
    first = add_working_days(start, 0)  # a weekend start counts from the next working day
    assert working_days_between(first, add_working_days(start, count)) == count


@settings(deadline=None)
@given(DAYS, DAYS)
def test_counting_is_antisymmetric(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)


@settings(deadline=None)
@given(DAYS, st.integers(min_value=1, max_value=300))
def test_result_of_adding_is_always_a_working_day(start, count):
    assert is_working_day(add_working_days(start, count))
