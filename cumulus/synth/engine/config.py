"""What to generate (``SynthConfig``) and the parameters that shape it (``parameters.toml``)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

PARAMETERS_FILE = Path(__file__).resolve().parent.parent / "parameters.toml"


def load_parameters(path: Path | None = None) -> dict[str, Any]:
    with (path or PARAMETERS_FILE).open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class SynthConfig:
    """``children`` is the 0-17 population on ``end_date``; the period is ``years`` DfE years
    ending on ``end_date`` (31 March)."""

    children: int
    years: int = 3
    seed: int = 1
    end_date: dt.date = dt.date(2026, 3, 31)
    parameters: dict[str, Any] = field(default_factory=load_parameters, compare=False)

    def __post_init__(self) -> None:
        if self.children < 1:
            raise ValueError(f"children must be at least 1; got {self.children}")
        if not 1 <= self.years <= 10:
            raise ValueError(f"years must be between 1 and 10; got {self.years}")

    @property
    def start_date(self) -> dt.date:
        end = self.end_date
        day = min(end.day, 28) if end.month == 2 else end.day
        return dt.date(end.year - self.years, end.month, day) + dt.timedelta(days=1)

    def rng(self, component: str) -> np.random.Generator:
        """An independent generator per component, so adding draws to one never shifts another."""
        key = [ord(ch) for ch in component]
        return np.random.default_rng(np.random.SeedSequence([self.seed, *key]))
