"""The contract between the governance report and the apps that feed it.

Each feeding app (training, audits, action plan, learning, indicators) offers one function
``governance_section(period: ReportPeriod, strategy_slug: str) -> GovernanceSection`` and is
listed in ``SECTION_PROVIDERS`` below, in the order the board reads them. The report knows
nothing else about those apps, so a new section is one function and one line here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

_QUARTER = re.compile(r"^(?P<year>\d{4})Q(?P<q>[1-4])$")


class QuarterFormatError(ValueError):
    """A quarter was not written as YYYYQn (e.g. 2026Q3)."""


@dataclass(frozen=True)
class ReportPeriod:
    """The reporting period: a calendar quarter, first and last day inclusive."""

    label: str
    start: dt.date
    end: dt.date

    @classmethod
    def quarter(cls, text: str) -> ReportPeriod:
        match = _QUARTER.match(text.strip())
        if not match:
            raise QuarterFormatError(
                f"Quarter {text!r} is not in the form YYYYQn, for example 2026Q3."
            )
        year, q = int(match["year"]), int(match["q"])
        start = dt.date(year, 3 * q - 2, 1)
        end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(
            days=1
        )
        return cls(label=f"{year} Q{q}", start=start, end=end)


@dataclass(frozen=True)
class Table:
    """A table for the report: headers and rows of plain values (str, int, float, None)."""

    title: str
    headers: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class BarChart:
    """A simple bar chart (category -> value), drawn as SVG in the PDF and as a chart in XLSX."""

    title: str
    categories: list[str]
    values: list[float]
    unit: str = ""


@dataclass(frozen=True)
class GovernanceSection:
    """One section of the board report, as data: the report renders it to PDF and XLSX."""

    key: str
    title: str
    summary: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[BarChart] = field(default_factory=list)


SectionProvider = Callable[[ReportPeriod, str], GovernanceSection]

# "module:function", in the order the board reads them. Apps add their line when they exist.
SECTION_PROVIDERS: list[str] = []


def providers() -> list[SectionProvider]:
    """The section functions, imported from SECTION_PROVIDERS."""
    found = []
    for dotted in SECTION_PROVIDERS:
        module, _, name = dotted.partition(":")
        found.append(getattr(import_module(module), name))
    return found
