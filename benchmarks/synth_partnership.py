"""Benchmark: generating a synthetic partnership to Parquet (and optionally into PostgreSQL).

    python benchmarks/synth_partnership.py                    # 10k, 100k, 300k children, 3 runs
    python benchmarks/synth_partnership.py --sizes 300000 --runs 5
    python benchmarks/synth_partnership.py --sizes 300000 --into-db postgres://postgres@127.0.0.1:5432/synth_bench

Each run is a fresh process, so the peak resident memory is that run's alone. Prints a Markdown
table of the median wall time and peak memory, ready for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = """
import json, resource, sys, time
from pathlib import Path
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.parquet import write_parquet
children, out = int(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
tables = generate(SynthConfig(children=children, years=3, seed=1))
generated = time.perf_counter()
paths = write_parquet(tables, out)
finished = time.perf_counter()
print(json.dumps({
    "generate_s": generated - started,
    "total_s": finished - started,
    "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
    "rows": sum(t.num_rows for t in tables.values()),
    "events": tables["events"].num_rows,
    "attendance": tables["attendance"].num_rows,
    "parquet_mb": sum(p.stat().st_size for p in paths) / 1e6,
}))
"""


def run_once(children: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", ONE_RUN, str(children), out],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def into_db(children: int, database_url: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cumulus.cli", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "cumulus.cli",
            "synth",
            "--children",
            str(children),
            "--years",
            "3",
            "--seed",
            "1",
            "--into-db",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--into-db",
        metavar="DATABASE_URL",
        help="also time loading into this database (one run, largest size)",
    )
    args = parser.parse_args()
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(
        "\n| children (0-17) | runs | median seconds to Parquet | peak memory GB "
        "| rows in all tables | events | attendance weeks | Parquet MB | seconds per 10k children |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        runs = [run_once(size) for _ in range(args.runs)]
        median = statistics.median(r["total_s"] for r in runs)
        peak = max(r["peak_gb"] for r in runs)
        last = runs[-1]
        print(
            f"| {size:,} | {args.runs} | {median:.1f} | {peak:.2f} | {last['rows']:,} | "
            f"{last['events']:,} | {last['attendance']:,} | {last['parquet_mb']:.0f} | "
            f"{median / size * 10_000:.2f} |",
            flush=True,
        )
    if args.into_db:
        seconds = into_db(max(args.sizes), args.into_db)
        print(
            f"\nInto the database ({args.into_db.split('@')[-1]}): {max(args.sizes):,} children, "
            f"{seconds:.0f} s including migrate."
        )


if __name__ == "__main__":
    main()
