import datetime as dt

import pytest
from django.utils import timezone

from cumulus.testing.factories_casework import journey_cast

# The journey tests start on Monday 2 March 2026, with no bank holiday near it.
START = dt.date(2026, 3, 2)


@pytest.fixture
def clock_at(monkeypatch):
    """Set the day Cumulus believes it is (``core.clock``); returns the setter."""

    def set_day(day: dt.date) -> dt.date:
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        monkeypatch.setattr("cumulus.core.clock.now", lambda: now)
        return day

    set_day(START)
    return set_day


@pytest.fixture
def cast(db, clock_at):
    return journey_cast()
