"""``cumulus strategy load NAME|PATH`` and ``cumulus strategy list``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cumulus.strategy.config import StrategyConfigError, shipped_names
from cumulus.strategy.selectors import strategy_list
from cumulus.strategy.services import strategy_load


class Command(BaseCommand):
    help = "Load a partnership's strategy from its configuration file, or list the loaded ones."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load (or reload) a strategy and make it active")
        load.add_argument(
            "name", help=f"a shipped strategy ({', '.join(shipped_names())}) or a .toml path"
        )
        load.add_argument(
            "--no-activate", action="store_true", help="load it without making it the active one"
        )
        sub.add_parser("list", help="List the loaded strategies")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for s in strategy_list():
                mark = "*" if s.is_active else " "
                self.stdout.write(f"{mark} {s.slug}: {s}")
            return
        try:
            strategy = strategy_load(
                name_or_path=options["name"], activate=not options["no_activate"]
            )
        except StrategyConfigError as exc:
            raise CommandError(str(exc)) from exc
        aims = strategy.aims.filter(withdrawn=False).count()
        state = "active" if strategy.is_active else "not active"
        self.stdout.write(f"Strategy {strategy.slug} loaded ({aims} aims, {state}): {strategy}")
