"""The partnership's oversight standard: how often an open case needs recorded oversight.

Days between recorded supervision or oversight, by the open plan's type. The partnership sets
them in its timescales file (``[oversight_days]``, ``cumulus.casework.timescales``), and the
setting ``CUMULUS_OVERSIGHT_STANDARD_DAYS`` (a mapping of plan type to days) overrides that; a
child with several open plans is held to the strictest. Calendar days, because supervision
policies are written that way ("at least every 30 days").
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from cumulus.casework import timescales

# The shipped defaults (the same as data/timescales.toml's [oversight_days]).
DEFAULT_STANDARD_DAYS: dict[str, int] = {
    "child_protection": 30,
    "looked_after": 30,
    "child_in_need": 60,
    "early_help": 60,
}


def standard_days() -> dict[str, int]:
    configured = getattr(settings, "CUMULUS_OVERSIGHT_STANDARD_DAYS", None) or {}
    merged = {**DEFAULT_STANDARD_DAYS, **timescales.current().oversight_days, **configured}
    for plan_type, days in merged.items():
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ValueError(
                f"CUMULUS_OVERSIGHT_STANDARD_DAYS[{plan_type!r}] must be a whole number of days"
            )
    return merged


def strictest_standard(plan_types: Iterable[str]) -> tuple[str, int] | None:
    """The plan type with the shortest standard among ``plan_types``, and its days."""
    days = standard_days()
    known = [(days[t], t) for t in plan_types if t in days]
    if not known:
        return None
    value, plan_type = min(known)
    return plan_type, value
