"""Every timescale of the journey, including bank holidays (pure functions, no database)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cumulus.casework import timescales as ts
from cumulus.core.working_days import is_working_day, working_days_between

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2055, 12, 31))


def test_front_door_decision_skips_a_bank_holiday_weekend():
    # Maundy Thursday 2026 -> Good Friday and Easter Monday skipped -> Tuesday 7 April.
    assert ts.front_door_decision_due(dt.date(2026, 4, 2)) == dt.date(2026, 4, 7)


def test_child_and_family_assessment_is_due_45_working_days_later():
    # From 2 March 2026: Good Friday, Easter Monday and 4 May are not working days.
    assert ts.child_and_family_assessment_due(dt.date(2026, 3, 2)) == dt.date(2026, 5, 7)


def test_initial_conference_over_christmas():
    # Strategy discussion Monday 15 Dec 2025: 25, 26 Dec and 1 Jan are bank holidays.
    assert ts.initial_conference_due(dt.date(2025, 12, 15)) == dt.date(2026, 1, 8)


def test_child_protection_reviews_first_within_3_months_then_6():
    conference = dt.date(2026, 1, 30)
    first = ts.child_protection_review_due(conference_on=conference, last_review_on=None)
    assert first == dt.date(2026, 4, 30)
    second = ts.child_protection_review_due(conference_on=conference, last_review_on=first)
    assert second == dt.date(2026, 10, 30)


def test_a_review_due_on_a_bank_holiday_comes_back_to_the_working_day_before():
    # 3 months after 25 Feb 2026 is Monday 25 May 2026, the spring bank holiday.
    assert ts.within_months(dt.date(2026, 2, 25), 3) == dt.date(2026, 5, 22)


def test_months_clamp_to_the_end_of_a_short_month():
    assert ts.add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert ts.add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_drift_after_6_months_without_a_review_of_progress():
    start = dt.date(2026, 1, 10)
    assert not ts.is_drifting(
        started_on=start, progress_reviewed_on=None, today=dt.date(2026, 7, 10)
    )
    assert ts.is_drifting(started_on=start, progress_reviewed_on=None, today=dt.date(2026, 7, 11))
    assert not ts.is_drifting(
        started_on=start, progress_reviewed_on=dt.date(2026, 6, 1), today=dt.date(2026, 8, 1)
    )


@given(days)
def test_working_day_timescales_land_on_a_working_day_the_right_count_later(day):
    for due, count in [
        (ts.front_door_decision_due(day), 1),
        (ts.child_and_family_assessment_due(day), 45),
        (ts.initial_conference_due(day), 15),
    ]:
        assert is_working_day(due)
        assert due > day
        # A clock that starts on a weekend or bank holiday starts on the next working day.
        assert working_days_between(day, due) == count + (0 if is_working_day(day) else 1)


@given(days, st.integers(min_value=1, max_value=24))
def test_within_months_is_a_working_day_never_after_the_calendar_date(day, months):
    due = ts.within_months(day, months)
    assert is_working_day(due)
    assert due <= ts.add_months(day, months)
    assert (ts.add_months(day, months) - due).days <= 4  # at most a long weekend back


@given(days, days)
def test_review_dates_never_run_backwards(start, review):
    first = ts.plan_review_due(plan_type="child_protection", started_on=start, last_review_on=None)
    assert first > start
    later = ts.plan_review_due(
        plan_type="child_protection", started_on=start, last_review_on=review
    )
    assert later > review
