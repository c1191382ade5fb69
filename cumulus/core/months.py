"""Calendar months, as the returns and the indicator booklet count them."""

from __future__ import annotations

import datetime as dt


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
