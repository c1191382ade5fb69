"""How long the service's own early-warning run takes over a partnership in the database.

``benchmarks/early_warnings.py`` times the rules over the generator's Parquet; this script
times what ``cumulus warnings run`` does nightly against the case record: the extract from
the database into Arrow (one query per table; on PostgreSQL a ``COPY`` stream that Arrow
parses), the rules over that one snapshot in DuckDB, and raising the alerts in bulk (inside a
transaction that is rolled back, so every run starts from the same state). Load the
partnership first, then:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cumulus synth --children 300000 \\
        --years 3 --seed 1 --into-db
    DATABASE_URL=... python benchmarks/early_warnings_database.py --runs 3

CPU is given for this process (Python, Arrow and DuckDB threads) and, on PostgreSQL, for the
database backend serving it (read from /proc on the same host), since a shared machine makes
wall-clock time a poor guide.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumulus.config.settings")
os.environ.setdefault("CUMULUS_ENV", "development")

import django  # noqa: E402

django.setup()

import duckdb  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from cumulus.early_warnings import engine  # noqa: E402
from cumulus.early_warnings.extract import django_tables  # noqa: E402
from cumulus.early_warnings.services import alerts_raise  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _backend_cpu() -> float:
    """CPU seconds of the PostgreSQL backend serving this connection (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(ruleset: str, as_of: dt.date, lookback: int) -> dict[str, float]:
    out: dict[str, float] = {}
    clock = time.perf_counter
    t0, c0, b0 = clock(), _cpu(), _backend_cpu()
    tables = django_tables()
    t1, c1, b1 = clock(), _cpu(), _backend_cpu()
    rules = engine.load_ruleset(ruleset)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    engine.register_tables(con, tables)
    del tables
    fires = engine.evaluate(con, rules, as_of=as_of)
    con.close()
    t2, c2 = clock(), _cpu()
    with transaction.atomic():
        result = alerts_raise(
            fires=fires, rules=rules, ruleset=ruleset, as_of=as_of, lookback_days=lookback
        )
        t3, c3, b3 = clock(), _cpu(), _backend_cpu()
        transaction.set_rollback(True)
    out.update(
        extract=t1 - t0,
        extract_cpu=c1 - c0,
        extract_db_cpu=b1 - b0,
        rules=t2 - t1,
        rules_cpu=c2 - c1,
        raise_=t3 - t2,
        raise_cpu=c3 - c2,
        db_cpu=b3 - b0,
        total=t3 - t0,
        total_cpu=c3 - c0,
        fires=result.fires,
        raised=result.raised,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ruleset", default="default")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 3, 31))
    parser.add_argument("--lookback-days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
    from cumulus.people.models import Child

    print(
        f"Database: {connection.vendor}, {Child.objects.count():,} children, "
        f"{ChronologyEvent.objects.count():,} events, "
        f"{AttendanceWeek.objects.count():,} attendance weeks; load average "
        f"{os.getloadavg()[0]:.1f} at the start."
    )
    runs = []
    for i in range(args.runs):
        r = one_run(args.ruleset, args.as_of, args.lookback_days)
        runs.append(r)
        print(
            f"run {i + 1}: total {r['total']:.1f} s wall, {r['total_cpu']:.1f} s CPU here + "
            f"{r['db_cpu']:.1f} s database; extract {r['extract']:.1f} s ({r['extract_cpu']:.1f} "
            f"+ {r['extract_db_cpu']:.1f} CPU), rules {r['rules']:.1f} s ({r['rules_cpu']:.1f} "
            f"CPU), raising {r['raised']:,} alerts from {r['fires']:,} fires {r['raise_']:.1f} s "
            f"({r['raise_cpu']:.1f} CPU); load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(
        "\n| stage | median wall s | median CPU s (this process) | median CPU s (database) |\n"
        "|---|---:|---:|---:|\n"
        f"| extract from the database into Arrow | {med('extract'):.1f} | "
        f"{med('extract_cpu'):.1f} | {med('extract_db_cpu'):.1f} |\n"
        f"| load into DuckDB and run the {len(engine.load_ruleset(args.ruleset))} rules | "
        f"{med('rules'):.1f} | {med('rules_cpu'):.1f} | - |\n"
        f"| raise alerts in bulk ({int(med('raised')):,} alerts) | {med('raise_'):.1f} | "
        f"{med('raise_cpu'):.1f} | - |\n"
        f"| **whole run** | **{med('total'):.1f}** | **{med('total_cpu'):.1f}** | "
        f"{med('db_cpu'):.1f} |"
    )
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
