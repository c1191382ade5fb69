"""``cumulus booklet --month 2026-10 --profile bury --out DIR``: the PDF and XLSX booklet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cumulus.core.months import month_end
from cumulus.indicators.booklet import ProfileUnknownError, booklet_write
from cumulus.indicators.profiles import PROFILES
from cumulus.indicators.selectors import result_list
from cumulus.indicators.services import results_refresh


class Command(BaseCommand):
    help = "Write the performance indicator booklet for a month and a partnership profile."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--profile", required=True, choices=sorted(PROFILES))
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = dt.date.fromisoformat(f"{options['month']}-01")
        except ValueError as error:
            raise CommandError(f"--month must be YYYY-MM, not {options['month']!r}") from error
        end = month_end(month)
        if not any(r["period_end"] == end for r in result_list(indicator="referrals")):
            self.stdout.write("Computing the indicators first (extract and 36 months)...")
            results_refresh(month_end=end)
        try:
            pdf, xlsx = booklet_write(
                profile=options["profile"],
                month=month,
                out_dir=options["out"],
                partnership=settings.CUMULUS_PARTNERSHIP_NAME,
            )
        except ProfileUnknownError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Wrote {pdf} and {xlsx}")
