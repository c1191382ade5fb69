"""``cumulus report governance --quarter 2026Q3 --profile NAME --out DIR``: the board report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cumulus.governance.render import report_write
from cumulus.governance.sections import QuarterFormatError, ReportPeriod
from cumulus.strategy.selectors import StrategyNotLoadedError, strategy_get


class Command(BaseCommand):
    help = "Produce a report; `report governance` writes the board's governance report."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        gov = sub.add_parser("governance", help="The quarterly governance report (PDF and XLSX)")
        gov.add_argument("--quarter", required=True, help="YYYYQn, for example 2026Q3")
        gov.add_argument(
            "--profile",
            required=True,
            help="the loaded strategy's name (e.g. cumbria); its indicator profile is used",
        )
        gov.add_argument("--out", required=True, type=Path, help="directory for the files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = ReportPeriod.quarter(options["quarter"])
        except QuarterFormatError as exc:
            raise CommandError(str(exc)) from exc
        try:
            strategy = strategy_get(slug=options["profile"])
        except StrategyNotLoadedError as exc:
            raise CommandError(str(exc)) from exc
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is a file, not a directory")
        try:
            out.mkdir(parents=True, exist_ok=True)
            probe = out / ".cumulus-write-test"
            probe.touch()
            probe.unlink()
        except OSError as exc:
            raise CommandError(f"--out {out} cannot be written ({exc.strerror})") from exc
        pdf, xlsx = report_write(period=period, strategy=strategy, out_dir=out)
        self.stdout.write(f"Governance report {period.label} for {strategy.slug}: {pdf} {xlsx}")
