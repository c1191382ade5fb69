"""The escalation procedure as configuration: stages, who is involved, timescales.

The procedure lives in a TOML file (``data/procedure.toml`` unless the setting
``CUMULUS_ESCALATION_PROCEDURE`` names another), so a partnership changes its stages or
timescales without touching code::

    procedure = load_procedure()
    procedure.stage(1).working_days   # -> 2
    procedure.stage(1).due_on(dt.date(2025, 4, 17))   # -> 23 April 2025, after Easter
    procedure.last_stage.number       # -> 4
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from cumulus.core.working_days import add_working_days

DEFAULT_PROCEDURE = Path(__file__).resolve().parent / "data" / "procedure.toml"


class ProcedureError(ValueError):
    """The procedure file is not usable: says which stage and what is wrong."""


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    who: str
    working_days: int

    def due_on(self, started_on: dt.date) -> dt.date:
        """The stage's deadline: ``working_days`` England and Wales working days after it
        starts (a stage starting at a weekend counts from the next working day)."""
        return add_working_days(started_on, self.working_days)


@dataclass(frozen=True)
class Procedure:
    name: str
    version: str
    stages: tuple[Stage, ...]

    def stage(self, number: int) -> Stage:
        for stage in self.stages:
            if stage.number == number:
                return stage
        raise ProcedureError(f"The procedure has no stage {number}")

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]

    @property
    def last_stage(self) -> Stage:
        return self.stages[-1]


def parse_procedure(text: str, *, source: str = "procedure") -> Procedure:
    """Check and read a procedure: stages numbered 1, 2, 3... each with a positive timescale."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProcedureError(f"{source}: not valid TOML: {exc}") from exc
    raw_stages = data.get("stage") or []
    if not raw_stages:
        raise ProcedureError(f"{source}: the procedure needs at least one [[stage]]")
    stages = []
    for position, raw in enumerate(raw_stages, start=1):
        where = f"{source}: stage {position}"
        missing = {"number", "name", "working_days"} - set(raw)
        if missing:
            raise ProcedureError(f"{where} is missing {', '.join(sorted(missing))}")
        if raw["number"] != position:
            raise ProcedureError(f"{where} is numbered {raw['number']}; number stages 1, 2, 3...")
        days = raw["working_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ProcedureError(f"{where}: working_days must be a whole number of at least 1")
        stages.append(
            Stage(
                number=position,
                name=str(raw["name"]),
                who=str(raw.get("who", "")),
                working_days=days,
            )
        )
    return Procedure(
        name=str(data.get("name", "Escalation procedure")),
        version=str(data.get("version", "")),
        stages=tuple(stages),
    )


@lru_cache(maxsize=4)
def _load(path: str) -> Procedure:
    return parse_procedure(Path(path).read_text(encoding="utf-8"), source=Path(path).name)


def load_procedure() -> Procedure:
    """The partnership's procedure (cached per file)."""
    path = getattr(settings, "CUMULUS_ESCALATION_PROCEDURE", None) or DEFAULT_PROCEDURE
    return _load(str(path))
