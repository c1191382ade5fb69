"""Reads of the loaded strategies. A strategy is partnership-wide and holds no case data."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.strategy.models import Strategy, StrategyAim


class StrategyNotLoadedError(LookupError):
    """No strategy has that name (or none is active): load one with ``cumulus strategy load``."""


def strategy_active() -> Strategy | None:
    return Strategy.objects.filter(is_active=True).first()


def strategy_get(*, slug: str | None = None) -> Strategy:
    """The named strategy, or the active one when no name is given."""
    found = Strategy.objects.filter(slug=slug).first() if slug else strategy_active()
    if found is None:
        loaded = ", ".join(Strategy.objects.values_list("slug", flat=True)) or "none"
        what = f"No strategy {slug!r} is loaded" if slug else "No strategy is active"
        raise StrategyNotLoadedError(
            f"{what} (loaded: {loaded}); load one with: cumulus strategy load NAME"
        )
    return found


def strategy_list() -> QuerySet[Strategy]:
    return Strategy.objects.all()


def aim_list(*, strategy: Strategy) -> QuerySet[StrategyAim]:
    return StrategyAim.objects.filter(strategy=strategy, withdrawn=False)
