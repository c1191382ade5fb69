"""``cumulus indicators_refresh``: refresh the extract and the published indicator results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from cumulus.core import clock
from cumulus.indicators.services import results_refresh


class Command(BaseCommand):
    help = "Refresh the analytical extract (incremental) and recompute every indicator."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--months", type=int, default=36)

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        last_month_end = today.replace(day=1) - dt.timedelta(days=1)
        rows = results_refresh(month_end=last_month_end, months=options["months"])
        self.stdout.write(f"{rows} published rows to {last_month_end:%d %B %Y}.")
