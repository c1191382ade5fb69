"""Benchmark: record linkage on the synthetic partnership's agency feeds, against the truth.

    python benchmarks/linkage_synthetic.py accuracy --data var/synth300k       # figures + PNG
    python benchmarks/linkage_synthetic.py speed --data var/synth300k --runs 3  # 1M vs children
    python benchmarks/linkage_synthetic.py incremental --data var/synth300k --runs 5
    python benchmarks/linkage_synthetic.py accuracy --data var/synth20k --save-default

``--data`` is a directory written by ``cumulus synth --out`` (children, households and
feed_records are read). Every timed run is a fresh process, so its peak resident memory is its
own; DuckDB is limited to ``--threads`` (default 2). Prints Markdown tables for
docs/linkage.md and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = ROOT / "cumulus" / "linkage" / "engine" / "data" / "default_model.json"

ONE_RUN = r"""
import json, resource, sys, time
started = time.perf_counter()
import pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq
from cumulus.linkage import engine
from cumulus.linkage.engine.synthetic import register_from_synth, records_from_feeds
data, mode, model_path = sys.argv[1], sys.argv[2], sys.argv[4]
threads, total = int(sys.argv[3]), int(sys.argv[5])
if mode != "incremental":
    children = pq.read_table(f"{data}/children.parquet")
    register = register_from_synth(children, pq.read_table(f"{data}/households.parquet"))
feeds = pq.read_table(f"{data}/feed_records.parquet")
records = records_from_feeds(feeds).drop_columns(["true_person_id"])
if mode == "incremental":
    register = None
    records = records.take(pc.sort_indices(records, [("unique_id", "ascending")])).slice(0, total)
elif total > records.num_rows:  # top up with re-registrations: copies under new ids
    extra = records.slice(0, total - records.num_rows)
    ids = pc.binary_join_element_wise(pa.scalar("DUP-"), extra["unique_id"], "")
    records = pa.concat_tables([records, extra.set_column(0, "unique_id", ids)])
loaded = time.perf_counter()
model = None if mode == "train" else json.loads(open(model_path).read())
if mode == "incremental":  # the register was prepared once, before the daily runs
    con = engine.connect_with_register(f"{data}/register.duckdb", threads=threads)
    register_rows = con.execute("SELECT count(*) FROM p_register").fetchall()[0][0]
    result = engine.link_to_register(register=None, records=records, model=model, con=con)
else:
    register_rows = register.num_rows
    result = engine.link_to_register(register=register, records=records, model=model,
                                     con=engine.connect(threads=threads))
finished = time.perf_counter()
outcomes = result.decisions.column("outcome").to_pylist()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "children": register_rows, "records": records.num_rows,
    "load_s": loaded - started, "link_s": finished - loaded, "total_s": finished - started,
    "cpu_s": usage.ru_utime + usage.ru_stime, "peak_gb": usage.ru_maxrss / 1024 / 1024,
    "timings": result.timings, "outcomes": {o: outcomes.count(o) for o in engine.OUTCOMES},
}))
"""


def _run(data: Path, mode: str, threads: int, model: Path, total: int) -> dict[str, object]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", ONE_RUN, str(data), mode, str(threads), str(model), str(total)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(result.returncode)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at the end {load[0]:.1f} "
        "(1-minute; above 2 means other work shared the cores)"
    )


def timed(args: argparse.Namespace, mode: str, total: int) -> None:
    runs = [_run(args.data, mode, args.threads, args.model, total) for _ in range(args.runs)]
    for run in runs:
        print(json.dumps(run))
    first = runs[0]
    print(
        f"\n| run | children | records | wall s, linking (median of {len(runs)}) "
        "| wall s, with loading the inputs | CPU s, whole process | peak GB |"
        "\n|---|---:|---:|---:|---:|---:|---:|"
    )
    print(
        f"| {mode} | {first['children']:,} | {first['records']:,} | "
        f"{statistics.median(float(r['link_s']) for r in runs):.1f} | "  # type: ignore[arg-type]
        f"{statistics.median(float(r['total_s']) for r in runs):.1f} | "  # type: ignore[arg-type]
        f"{statistics.median(float(r['cpu_s']) for r in runs):.1f} | "  # type: ignore[arg-type]
        f"{max(float(r['peak_gb']) for r in runs):.2f} |"  # type: ignore[arg-type]
    )
    print(f"\nMachine: {_machine()}")


def accuracy(args: argparse.Namespace) -> None:
    """Train on the data, link every record, score against the hidden truth, draw the curve."""
    import pyarrow.parquet as pq

    from cumulus.linkage import engine
    from cumulus.linkage.engine.synthetic import records_from_feeds, register_from_synth

    register = register_from_synth(
        pq.read_table(args.data / "children.parquet"),
        pq.read_table(args.data / "households.parquet"),
    )
    records = records_from_feeds(pq.read_table(args.data / "feed_records.parquet"))
    truth = dict(
        zip(
            records.column("unique_id").to_pylist(),
            records.column("true_person_id").to_pylist(),
            strict=True,
        )
    )
    result = engine.link_to_register(
        register=register,
        records=records.drop_columns(["true_person_id"]),
        con=engine.connect(threads=args.threads),
    )
    if args.save_default:
        DEFAULT_MODEL.write_text(json.dumps(result.model, indent=1, sort_keys=True) + "\n")
    in_register = set(register.column("unique_id").to_pylist())
    decisions = result.decisions.to_pylist()
    n = len(decisions)
    known = sum(truth[d["record_id"]] in in_register for d in decisions)
    counts = {o: 0 for o in engine.OUTCOMES}
    right = {o: 0 for o in engine.OUTCOMES}
    for d in decisions:
        counts[d["outcome"]] += 1
        right[d["outcome"]] += d["child_id"] == truth[d["record_id"]]
    linked = counts["deterministic"] + counts["automatic"]
    true_links = right["deterministic"] + right["automatic"]
    precision = true_links / linked if linked else 1.0
    recall = true_links / known if known else 1.0
    print(f"Records {n:,}, children {register.num_rows:,}; records whose child is held: {known:,}")
    print("\n| outcome | records | share | best candidate is the true child |")
    print("|---|---:|---:|---:|")
    for o in engine.OUTCOMES:
        print(f"| {o} | {counts[o]:,} | {counts[o] / n:.2%} | {right[o]:,} |")
    print(
        "\n| automatic links (deterministic + model) | value |\n|---|---:|"
        f"\n| true positives | {true_links:,} |\n| false positives | {linked - true_links:,} |"
        f"\n| false negatives (held child not linked automatically) | {known - true_links:,} |"
        f"\n| precision | {precision:.5f} |\n| recall | {recall:.5f} |"
        f"\n| share sent to clerical review | {counts['review'] / n:.3%} |"
    )
    print(f"\nTimings (s): { {k: round(v, 1) for k, v in result.timings.items()} }")
    print(f"Machine: {_machine()}")
    # The curve is over the records the model decides (deterministic links are certain).
    modelled = [d for d in decisions if d["outcome"] != "deterministic"]
    modelled_known = sum(truth[d["record_id"]] in in_register for d in modelled)
    curve = _curve(modelled, truth, modelled_known)
    if args.png:
        _draw(curve, args.png)
        print(f"Precision-recall curve: {args.png}")


def _curve(
    decisions: list[dict[str, object]], truth: dict[str, object], known: int
) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) of linking each record to its best candidate."""
    scored = sorted(
        (
            (float(d["match_probability"]), d["child_id"] == truth[str(d["record_id"])])  # type: ignore[arg-type]
            for d in decisions
            if d["match_probability"] is not None
        ),
        reverse=True,
    )
    points, tp, fp = [], 0, 0
    for i, (p, ok) in enumerate(scored):
        tp += ok
        fp += not ok
        if i + 1 == len(scored) or scored[i + 1][0] != p:
            points.append((p, tp / (tp + fp), tp / known))
    return points


def _draw(curve: list[tuple[float, float, float]], path: Path) -> None:
    """A precision-recall curve as a PNG, drawn with Pillow (no plotting library needed)."""
    from PIL import Image, ImageDraw

    width, height, left, bottom, top, right = 720, 480, 80, 60, 30, 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    recall_low = max(0.0, min((r for _, _, r in curve), default=0.9) - 0.01)
    precision_low = max(0.0, min((p for _, p, _ in curve), default=0.99) - 0.001)

    def xy(recall: float, precision: float) -> tuple[float, float]:
        x = left + (recall - recall_low) / (1 - recall_low) * (width - left - right)
        y = top + (1 - (precision - precision_low) / (1 - precision_low)) * (height - top - bottom)
        return x, y

    draw.rectangle([left, top, width - right, height - bottom], outline="black")
    for k in range(6):
        r = recall_low + k * (1 - recall_low) / 5
        p = precision_low + k * (1 - precision_low) / 5
        x, _ = xy(r, precision_low)
        _, y = xy(recall_low, p)
        draw.line([x, height - bottom, x, height - bottom + 5], fill="black")
        draw.text((x - 15, height - bottom + 8), f"{r:.3f}", fill="black")
        draw.line([left - 5, y, left, y], fill="black")
        draw.text((left - 60, y - 6), f"{p:.4f}", fill="black")
    draw.text((width / 2 - 20, height - 25), "recall", fill="black")
    draw.text(
        (10, 10),
        "precision: records the model decides (not deterministic), best candidate",
        fill="black",
    )
    draw.line([xy(r, p) for _, p, r in curve], fill=(29, 112, 184), width=3)
    for k, threshold in enumerate((0.5, 0.9, 0.99, 0.999)):
        near = min(curve, key=lambda c: abs(c[0] - threshold))
        x, y = xy(near[2], near[1])
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(212, 53, 28))
        draw.text((x - 60, y + 10 + 14 * k), f"p >= {threshold}", fill=(212, 53, 28))
    image.save(path)


def _prepare_register(data: Path) -> None:
    """Prepare the children register once into DATA/register.duckdb (not timed: it is kept
    up to date as children change, not rebuilt for each feed)."""
    import pyarrow.parquet as pq

    from cumulus.linkage import engine
    from cumulus.linkage.engine.synthetic import register_from_synth

    path = data / "register.duckdb"
    path.unlink(missing_ok=True)
    register = register_from_synth(
        pq.read_table(data / "children.parquet"), pq.read_table(data / "households.parquet")
    )
    engine.prepare_register_file(register, str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["accuracy", "speed", "train", "incremental"])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--records", type=int, default=1_000_000, help="speed: records to link")
    parser.add_argument("--daily", type=int, default=10_000, help="incremental: feed size")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--png", type=Path, default=ROOT / "docs" / "linkage-precision-recall.png")
    parser.add_argument("--save-default", action="store_true", help="accuracy: ship the model")
    args = parser.parse_args()
    if args.mode == "accuracy":
        accuracy(args)
    elif args.mode == "incremental":
        _prepare_register(args.data)
        timed(args, "incremental", args.daily)
    else:
        timed(args, "speed" if args.mode == "speed" else "train", args.records)


if __name__ == "__main__":
    main()
