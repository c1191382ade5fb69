"""Benchmark: the full indicator catalogue on DuckDB, and the incremental extract refresh.

    python3 -m uv run python benchmarks/indicators.py catalogue --children 10000 --runs 3
    python3 -m uv run python benchmarks/indicators.py refresh     # against the configured DB

``catalogue`` generates the synthetic partnership to Parquet (or reuses ``--parquet DIR``),
builds the DuckDB extract from it (timed once), then computes every indicator monthly for 36
months with all breakdowns (median of ``--runs``). ``refresh`` writes one day's changes of a
300,000-child partnership into the configured database (``write_day``) and times
``extract_refresh``::

    DATABASE_URL=postgres://... python3 -m uv run python benchmarks/indicators.py refresh \
        --extract /tmp/x.duckdb --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
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
        con.con.execute(f"set threads = {args.threads}")
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(
        f"median of {len(walls)} warm runs: wall {statistics.median(walls):.1f} s, "
        f"CPU {statistics.median(cpus):.1f} s; peak resident {peak:.2f} GB (whole process)"
    )


# One day of a 300,000-child partnership: the synthetic partnership's three years divided by
# 1,095 days (56,716 contacts and referrals, 103,664 assessments, 73,126 plans, 6,952 reviews,
# 3.4 million chronology events), rounded up.
DAY = {
    "contacts": 60,
    "referrals": 60,
    "assessments": 100,
    "plans": 70,
    "plan_ends": 70,
    "reviews": 10,
    "events": 3200,
    "children": 100,
    "participation": 1125,  # 1,230,814 monthly statuses of 16-17 year olds over 1,095 days
}


def _sample(model, n: int, rng) -> list:  # type: ignore[no-untyped-def]
    """``n`` rows of ``model`` picked at random by id (no ``ORDER BY random()`` over millions)."""
    from django.db.models import Max, Min

    span = model.objects.aggregate(lo=Min("id"), hi=Max("id"))
    ids = rng.sample(range(span["lo"], span["hi"] + 1), min(n * 3, span["hi"] - span["lo"] + 1))
    return list(model.objects.filter(id__in=ids)[:n])


def write_day(day: dt.date, rng) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Write one day's casework into the configured database, as practitioners would: new
    contacts, referrals, assessments, plans, reviews and chronology events dated ``day``,
    young people's participation statuses (re-recorded for a month they already had),
    plans ended, children's records changed, and the week's attendance marks."""
    from django.db import transaction
    from django.db.models import F

    from cumulus.casework.models import Assessment, Contact, Plan, Referral, Review
    from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
    from cumulus.core import clock
    from cumulus.participation.models import ParticipationRecord
    from cumulus.people.models import Person

    now = clock.now()
    written: dict[str, int] = {}

    def clone(model, n: int, **dates):  # type: ignore[no-untyped-def]
        rows = _sample(model, n, rng)
        for row in rows:
            row.pk = None
            for field, value in dates.items():
                setattr(row, field, value)
            if hasattr(row, "created_at"):
                row.created_at = row.updated_at = now
        model.objects.bulk_create(rows)
        written[model.__name__] = len(rows)

    with transaction.atomic():
        clone(Contact, DAY["contacts"], received_on=day)
        clone(Referral, DAY["referrals"], referred_on=day, closed_on=None, closure_reason=None)
        clone(
            Assessment,
            DAY["assessments"],
            started_on=day,
            authorised_on=None,
            initial_conference_on=None,
        )
        clone(Plan, DAY["plans"], started_on=day, ended_on=None, end_reason="")
        clone(Review, DAY["reviews"], held_on=day)
        clone(ChronologyEvent, DAY["events"], occurred_at=now, recorded_at=now)
        clone(ParticipationRecord, DAY["participation"], recorded_at=now, source_system="")
        open_plans = Plan.objects.filter(ended_on__isnull=True, started_on__lt=day)
        ending = list(open_plans.values_list("id", flat=True)[: DAY["plan_ends"]])
        written["plans ended"] = Plan.objects.filter(id__in=ending).update(
            ended_on=day, end_reason="outcomes_met", updated_at=now
        )
        people = [p.id for p in _sample(Person, DAY["children"], rng)]
        written["people changed"] = Person.objects.filter(id__in=people).update(updated_at=now)
        latest = AttendanceWeek.objects.order_by("-week_start").values_list("week_start", flat=True)
        week = latest.first()
        written["attendance weeks marked"] = AttendanceWeek.objects.filter(week_start=week).update(
            sessions_attended=F("sessions_attended")
        )
    return written


def refresh(args: argparse.Namespace) -> None:
    """One day's changes, then the incremental refresh, ``--runs`` times (a full extract first
    if there is none)."""
    import random

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumulus.config.settings")
    import django

    django.setup()
    from cumulus.core import clock
    from cumulus.indicators.extract import extract_path, extract_refresh

    database = Path(args.extract) if args.extract else extract_path()
    if not database.exists():
        started, cpu = time.perf_counter(), time.process_time()
        written = extract_refresh(database=database)
        print(
            f"full extract: wall {time.perf_counter() - started:.1f} s, "
            f"CPU {time.process_time() - cpu:.1f} s (this process), rows {sum(written.values())}"
        )
    rng = random.Random(7)  # noqa: S311 - picks rows to copy, not a secret
    walls, cpus = [], []
    for _ in range(args.runs):
        print("day written:", write_day(clock.today(), rng))
        started, cpu = time.perf_counter(), time.process_time()
        written = extract_refresh(database=database)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        print(
            f"refresh: wall {walls[-1]:.2f} s, CPU {cpus[-1]:.2f} s (this process), rows {written}"
        )
    print(
        f"median of {len(walls)}: wall {statistics.median(walls):.2f} s, "
        f"CPU {statistics.median(cpus):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("catalogue")
    c.add_argument("--children", type=int, default=10_000)
    c.add_argument("--parquet", help="an existing `cumulus synth --out` directory")
    c.add_argument("--runs", type=int, default=3, help="warm runs after the first (cold) one")
    c.add_argument("--sql-cache", help="directory of compiled SQL (default: a fresh one)")
    c.add_argument("--keep", help="keep the Parquet and extract in this directory")
    c.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    r = sub.add_parser("refresh")
    r.add_argument("--runs", type=int, default=3)
    r.add_argument("--extract", help="the DuckDB extract file (default: VAR_DIR/analytics.duckdb)")
    args = parser.parse_args()
    (catalogue if args.command == "catalogue" else refresh)(args)


if __name__ == "__main__":
    main()
