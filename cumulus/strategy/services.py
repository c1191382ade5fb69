"""Loading a strategy file into the database (atomic: a bad file changes nothing)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from cumulus.strategy.config import StrategyConfig, strategy_config_path, strategy_config_read
from cumulus.strategy.models import Strategy, StrategyAim


@transaction.atomic
def strategy_load(*, name_or_path: str, activate: bool = True) -> Strategy:
    """Load (or reload) a shipped strategy by name, or a partnership's own file by path.

    Raises ``StrategyConfigError`` naming the file and field when the file is wrong.
    """
    path = strategy_config_path(name_or_path)
    config = strategy_config_read(path)
    return _store(config=config, path=path, activate=activate)


def _store(*, config: StrategyConfig, path: Path, activate: bool) -> Strategy:
    strategy, _ = Strategy.objects.select_for_update().get_or_create(
        slug=config.slug,
        defaults={
            "partnership": config.partnership,
            "title": config.title,
            "config": config.as_dict(),
            "source_file": str(path),
        },
    )
    strategy.partnership = config.partnership
    strategy.title = config.title
    strategy.config = config.as_dict()
    strategy.source_file = str(path)
    if activate:
        Strategy.objects.filter(is_active=True).exclude(pk=strategy.pk).update(is_active=False)
        strategy.is_active = True
    strategy.save()
    codes = []
    for position, aim in enumerate(config.aims, start=1):
        codes.append(aim.code)
        StrategyAim.objects.update_or_create(
            strategy=strategy,
            code=aim.code,
            defaults={
                "title": aim.title,
                "summary": aim.summary,
                "section": aim.section,
                "position": position,
                "withdrawn": False,
            },
        )
    StrategyAim.objects.filter(strategy=strategy).exclude(code__in=codes).update(withdrawn=True)
    return strategy
