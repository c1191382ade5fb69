"""Benchmark: the full indicator catalogue on DuckDB, and the incremental extract refresh.

    python3 -m uv run python benchmarks/indicators.py catalogue --children 10000 --runs 3
    python3 -m uv run python benchmarks/indicators.py refresh     # against the configured DB

``catalogue`` generates the synthetic partnership to Parquet (or reuses ``--parquet DIR``),
builds the DuckDB extract from it (timed once), then computes every indicator monthly for 36
months with all breakdowns (median of ``--runs``). ``refresh`` touches one day's worth of
casework rows (1/365 of referrals, assessments and plans) and times ``extract_refresh``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def catalogue(args: argparse.Namespace) -> None:
    import ibis

    from cumulus.analytics.engine import CompiledSQL, compute, month_ends
    from cumulus.analytics.extract_synth import extract_from_synth

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cumulus-indicators-"))
    work.mkdir(parents=True, exist_ok=True)
    parquet = Path(args.parquet) if args.parquet else work / "synth"
    if not args.parquet and not (parquet / "children.parquet").exists():
        from cumulus.synth.engine.config import SynthConfig
        from cumulus.synth.engine.generate import generate
        from cumulus.synth.parquet import write_parquet

        started = time.perf_counter()
        write_parquet(generate(SynthConfig(children=args.children, years=3, seed=1)), parquet)
        print(f"synth {args.children} children: {time.perf_counter() - started:.1f} s")
    database = work / "extract.duckdb"
    if not database.exists():
        started = time.perf_counter()
        extract_from_synth(parquet, database, secret=b"benchmark" * 4)
        print(f"extract from Parquet: {time.perf_counter() - started:.1f} s")
    ends = month_ends(dt.date(2026, 3, 31), 36)
    cache = CompiledSQL(Path(args.sql_cache) if args.sql_cache else work / "sql-cache")
    walls, cpus = [], []
    for run in range(args.runs + 1):
        con = ibis.duckdb.connect(str(database), read_only=True)
        compiled_before = cache.compiled
        started, cpu = time.perf_counter(), time.process_time()
        rows = compute(con, ends, cache=cache).num_rows
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        con.disconnect()
        kind = "cold (compiling)" if cache.compiled > compiled_before else "warm (cached SQL)"
        print(
            f"catalogue x 36 months, all breakdowns, {kind}: wall {wall:.1f} s, "
            f"CPU {cpu:.1f} s ({rows} rows, {cache.compiled - compiled_before} compiled)"
        )
        if run:  # the first run fills the cache; the median is of the runs after it
            walls.append(wall)
            cpus.append(cpu)
    print(
        f"median of {len(walls)} warm runs: wall {statistics.median(walls):.1f} s, "
        f"CPU {statistics.median(cpus):.1f} s"
    )


def refresh(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumulus.config.settings")
    import django

    django.setup()
    from cumulus.casework.models import Assessment, Plan, Referral
    from cumulus.core import clock
    from cumulus.indicators.extract import extract_path, extract_refresh

    extract_refresh(database=extract_path())  # make sure a previous run exists
    times = []
    for _ in range(args.runs):
        for model in (Referral, Assessment, Plan):
            count = model.objects.count()
            ids = list(model.objects.values_list("id", flat=True)[: max(1, count // 365)])
            model.objects.filter(id__in=ids).update(updated_at=clock.now())
        started = time.perf_counter()
        written = extract_refresh(database=extract_path())
        times.append(time.perf_counter() - started)
        print(f"refresh: {times[-1]:.2f} s, rows {sum(written.values())}")
    print(f"median of {len(times)}: {statistics.median(times):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("catalogue")
    c.add_argument("--children", type=int, default=10_000)
    c.add_argument("--parquet", help="an existing `cumulus synth --out` directory")
    c.add_argument("--runs", type=int, default=3, help="warm runs after the first (cold) one")
    c.add_argument("--sql-cache", help="directory of compiled SQL (default: a fresh one)")
    c.add_argument("--keep", help="keep the Parquet and extract in this directory")
    r = sub.add_parser("refresh")
    r.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    (catalogue if args.command == "catalogue" else refresh)(args)


if __name__ == "__main__":
    main()
