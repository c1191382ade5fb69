"""``cumulus synth``: generate a synthetic partnership, then write it, load it or report on it.

cumulus synth --children 50000 --years 3 --seed 1 --out var/synth   # Parquet files
cumulus synth --children 5000 --into-db                            # into the database
cumulus synth --children 50000 --report                            # calibration targets

The same seed gives the same partnership, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table


class _Stream:
    """Lets rich write through Django's ``self.stdout`` (so tests can capture it)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


class Command(BaseCommand):
    help = "Generate a synthetic partnership: to Parquet (--out), the database (--into-db), " + (
        "or a calibration report (--report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children", type=int, required=True, help="Children aged 0-17 at the end."
        )
        parser.add_argument("--years", type=int, default=3, help="Years of history (1-10).")
        parser.add_argument("--seed", type=int, default=1, help="Seed: same seed, same data.")
        parser.add_argument(
            "--end-date",
            type=dt.date.fromisoformat,
            default=None,
            help="Last day of the period, YYYY-MM-DD (default: the engine's, 31 March).",
        )
        parser.add_argument("--out", type=Path, help="Write one Parquet file per table here.")
        parser.add_argument(
            "--into-db", action="store_true", help="Load the partnership into the database."
        )
        parser.add_argument(
            "--report", action="store_true", help="Print generated figures beside the targets."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["out"]
        into_db: bool = options["into_db"]
        report: bool = options["report"]
        children: int = options["children"]
        years: int = options["years"]
        if not (out or into_db or report):
            raise CommandError(
                "Say what to do with the partnership: --out DIR, --into-db or --report"
            )
        if children < 1:
            raise CommandError(f"--children must be at least 1; got {children}")
        if not 1 <= years <= 10:
            raise CommandError(f"--years must be between 1 and 10; got {years}")
        if into_db and settings.PRODUCTION:
            raise CommandError("cumulus synth --into-db refuses to run with CUMULUS_ENV=production")

        from cumulus.synth.engine.config import SynthConfig
        from cumulus.synth.engine.generate import generate

        extra = {"end_date": options["end_date"]} if options["end_date"] else {}
        config = SynthConfig(children=children, years=years, seed=options["seed"], **extra)
        stream = _Stream(self.stdout)
        # Not a terminal (a log, a test): wide enough for the report's measure names.
        width = None if stream.isatty() else 120
        console = Console(file=stream, highlight=False, width=width)  # type: ignore[arg-type]
        started = time.monotonic()
        timings: list[tuple[str, float]] = []

        with self._progress(console) as bar:
            task = bar.add_task("Generating", total=1.0)

            def generated(stage: str, fraction: float) -> None:
                bar.update(task, completed=fraction, description=f"Generating: {stage}")

            tables = generate(config, progress=generated)
            bar.update(task, completed=1.0, description="Generated")
        timings.append(("generate", time.monotonic() - started))

        if out is not None:
            from cumulus.synth.parquet import write_parquet

            begun = time.monotonic()
            paths = write_parquet(tables, out)
            timings.append(("write Parquet", time.monotonic() - begun))
            console.print(f"Wrote {len(paths)} Parquet files to {out}")

        loaded: dict[str, int] = {}
        if into_db:
            from cumulus.synth.loader import SynthLoadError, load_into_db

            begun = time.monotonic()
            with self._progress(console) as bar:
                tasks: dict[str, TaskID] = {}

                def wrote(name: str, done: int, total: int) -> None:
                    if name not in tasks:
                        tasks[name] = bar.add_task(f"Loading {name}", total=total or 1)
                    bar.update(tasks[name], completed=done if total else 1)

                try:
                    loaded = load_into_db(tables, progress=wrote, period_start=config.start_date)
                except SynthLoadError as exc:
                    raise CommandError(f"Nothing was loaded: {exc}") from exc
            timings.append(("load into the database", time.monotonic() - begun))

        if report:
            self._print_report(console, tables, config)
        self._print_summary(console, tables, loaded, timings, time.monotonic() - started)

    @contextmanager
    def _progress(self, console: Console) -> Iterator[Progress]:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as bar:
            yield bar

    def _print_report(self, console: Console, tables: Any, config: Any) -> None:
        try:
            from cumulus.synth.engine.report import calibration_report
        except ImportError as exc:
            raise CommandError(f"The calibration report is not available: {exc}") from exc
        rows = calibration_report(tables, config)
        table = Table(title="Calibration: generated against published targets")
        for heading in ("measure", "target", "generated", "tolerance", "within"):
            table.add_column(heading, justify="left" if heading == "measure" else "right")
        for row in rows:
            table.add_row(
                row.name,
                f"{row.target:g}",
                f"{row.generated:g}",
                f"±{row.tolerance:.0%}",
                "yes" if row.ok else "[bold red]NO[/]",
            )
        console.print(table)
        misses = sum(not row.ok for row in rows)
        console.print(
            f"{len(rows) - misses} of {len(rows)} measures within tolerance"
            + (f"; {misses} outside" if misses else "")
        )

    def _print_summary(
        self,
        console: Console,
        tables: Any,
        loaded: dict[str, int],
        timings: list[tuple[str, float]],
        elapsed: float,
    ) -> None:
        table = Table(title="Rows per table")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, data in tables.items():
            table.add_row(name, f"{data.num_rows:,}")
        console.print(table)
        if loaded:
            written = Table(title="Rows written to the database")
            written.add_column("model")
            written.add_column("rows", justify="right")
            for name, count in loaded.items():
                written.add_row(name, f"{count:,}")
            console.print(written)
        steps = ", ".join(f"{step} {_seconds(seconds)}" for step, seconds in timings)
        console.print(f"Done in {_seconds(elapsed)} ({steps}).")


def _seconds(value: float) -> str:
    return f"{value:.1f}s" if value < 120 else f"{int(value // 60)}m {value % 60:.0f}s"
