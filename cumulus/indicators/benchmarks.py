"""National and statistical-neighbour figures: shipped CSV (with source and year) plus the
partnership's own additions (``NeighbourFigure``), averaged per indicator."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "benchmarks.csv"


@dataclass(frozen=True)
class Benchmark:
    indicator: str
    kind: str  # national / statistical_neighbours
    year: str
    value: float
    source: str


@lru_cache(maxsize=1)
def shipped() -> tuple[Benchmark, ...]:
    with DATA.open(newline="") as f:
        return tuple(
            Benchmark(r["indicator"], r["kind"], r["year"], float(r["value"]), r["source"])
            for r in csv.DictReader(f)
        )
