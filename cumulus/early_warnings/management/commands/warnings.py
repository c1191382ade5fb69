"""``cumulus warnings run``: evaluate the partnership's rule set and raise alerts (idempotent).

cumulus warnings run                      # today, rule set from settings, last 30 days
cumulus warnings run --as-of 2026-03-31 --lookback-days 90
cumulus warnings check                    # validate the rule files and print them
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.early_warnings import engine
from cumulus.early_warnings.services import warnings_run


class Command(BaseCommand):
    help = "Run or check the early-warning rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run", "check"])
        parser.add_argument("--ruleset", default=None, help="Rule set name (default: settings).")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--lookback-days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        ruleset = options["ruleset"] or settings.CUMULUS_EARLY_WARNING_RULESET
        try:
            if options["action"] == "check":
                for rule in engine.load_ruleset(ruleset):
                    self.stdout.write(f"{rule.code} v{rule.version}: {rule.title}")
                return
            if options["lookback_days"] < 0:
                raise CommandError("--lookback-days must be 0 or more")
            result = warnings_run(
                ruleset=ruleset, as_of=options["as_of"], lookback_days=options["lookback_days"]
            )
        except engine.RuleDefinitionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Rule set {ruleset}: {result.fires} fires, {result.raised} alerts raised, "
            f"{result.already_raised} already raised."
        )
