"""The one place Cumulus reads the time, so tests can fix it.

``now()`` is an aware UTC datetime; ``today()`` is the date in England (Europe/London),
which is what "today" means for a practitioner's involvement or a plan's timescale.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
