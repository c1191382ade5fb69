"""Stage timescales in working days, for any start date (no database)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from cumulus.core.working_days import is_working_day, working_days_between
from cumulus.escalation.procedure import Stage

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
stages = st.builds(
    Stage, number=st.just(1), name=st.just("S"), who=st.just(""), working_days=st.integers(1, 30)
)


@settings(deadline=None)  # the first call builds the bank holiday calendar
@given(stage=stages, start=days)
def test_a_stage_is_due_on_a_working_day_exactly_its_timescale_after_a_working_day_start(
    stage, start
):
    due = stage.due_on(start)
    assert is_working_day(due)
    assert due > start
    if is_working_day(start):
        assert working_days_between(start, due) == stage.working_days


def test_a_stage_starting_on_saturday_counts_from_monday():
    stage = Stage(number=1, name="S", who="", working_days=1)
    assert stage.due_on(dt.date(2026, 3, 7)) == dt.date(2026, 3, 10)


def test_christmas_and_boxing_day_are_not_counted():
    stage = Stage(number=2, name="Managers", who="", working_days=3)
    assert stage.due_on(dt.date(2025, 12, 23)) == dt.date(2025, 12, 30)
