"""CIN census import + validation of 50,000 children: time and records, median of runs.

The file is made by the CIN census exporter from a synthetic partnership already in a
database (``--source``, e.g. ``cumulus export cin-census --year 2026 --out base.xml`` after
``cumulus synth --children 20000 --into-db``). Its children are repeated with new LAchildIDs
and UPNs until there are ``--children`` of them, because a partnership producing 50,000 census
children would need about 500,000 children in the synthetic population. Each run imports the
file into a fresh, migrated SQLite database (or ``--database-url``) in a subprocess: parse, XSD,
every rule, commit, counts asserted.

    python benchmarks/interchange_cin_import.py --source base.xml --children 50000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def tile(source: bytes, children: int) -> bytes:
    """The source's <Child> elements repeated with fresh LAchildIDs and UPNs."""
    from cumulus.core.identifiers import upn_check_letter

    head, rest = source.split(b"<Children>", 1)
    body, tail = rest.rsplit(b"</Children>", 1)
    parts = re.findall(rb"<Child>.*?</Child>", body, flags=re.S)
    out = []
    for n in range(children):
        child = parts[n % len(parts)]
        child = re.sub(rb"<LAchildID>[^<]*</LAchildID>", b"<LAchildID>B%08d</LAchildID>" % n, child)
        body12 = f"938{n:09d}"  # a recognised LA code (rule 1530)
        upn = (upn_check_letter(body12) + body12).encode()
        child = re.sub(rb"<UPN>[^<]*</UPN>", b"<UPN>" + upn + b"</UPN>", child)
        out.append(child)
    return head + b"<Children>\n" + b"\n".join(out) + b"\n</Children>" + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cin-bench-"))
    data = tile(args.source.read_bytes(), args.children)
    census = work / "census.xml"
    census.write_bytes(data)
    print(f"file: {census} ({len(data) / 1e6:.1f} MB, {args.children} children)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUMULUS_")}
    env.pop("DATABASE_URL", None)
    # A deployed service runs from compiled bytecode; without this each run would recompile
    # every module (about 6 s here, where PYTHONDONTWRITEBYTECODE is set).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    template = work / "template"
    template.mkdir()
    subprocess.run(
        [sys.executable, "-m", "cumulus.cli", "migrate", "-v0"],
        env={**env, "CUMULUS_VAR_DIR": str(template)},
        check=True,
        cwd=ROOT,
    )
    times: list[float] = []
    cpus: list[float] = []
    for run in range(args.runs):
        var = work / f"run{run}"
        var.mkdir()
        shutil.copy(template / "cumulus.sqlite3", var / "cumulus.sqlite3")
        started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "cumulus.cli", "import", "cin-census", "--quiet", str(census)],
            env={**env, "CUMULUS_VAR_DIR": str(var)},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )
        peak_mb = cpu_after.ru_maxrss / 1024
        summary = done.stdout.strip().splitlines()[0] if done.stdout else done.stderr[-500:]
        print(
            f"run {run + 1}: wall {elapsed:.1f} s, CPU {cpu:.1f} s, peak RSS {peak_mb:.0f} MB "
            f"(exit {done.returncode}) {summary}"
        )
        times.append(elapsed)
        cpus.append(cpu)
    print(
        f"median wall {statistics.median(times):.1f} s, median CPU {statistics.median(cpus):.1f} s "
        f"over {len(times)} runs"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
