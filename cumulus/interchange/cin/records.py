"""The CIN census as plain Python records: what the parser reads and the rules check.

The XML has no ids below the child; positions and source lines say where each record was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class AssessmentRecord:
    start: dt.date | None
    internal_review: dt.date | None = None
    authorised: dt.date | None = None
    factors: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class CinPlanRecord:
    start: dt.date | None
    end: dt.date | None = None
    line: int = 0


@dataclass
class Section47Record:
    start: dt.date | None
    icpc_target: dt.date | None = None
    icpc_date: dt.date | None = None
    icpc_not_required: bool | None = False
    line: int = 0


@dataclass
class CpPlanRecord:
    start: dt.date | None
    end: dt.date | None = None
    initial_category: str = ""
    latest_category: str = ""
    previous_plans: int | None = None
    reviews: list[dt.date | None] = field(default_factory=list)
    line: int = 0


@dataclass
class EpisodeRecord:
    """One ``CINdetails``: a referral and what followed it."""

    referral_date: dt.date | None
    source: str = ""
    primary_need: str = ""
    closure_date: dt.date | None = None
    closure_reason: str = ""
    icpc_date: dt.date | None = None
    nfa: bool | None = False
    assessments: list[AssessmentRecord] = field(default_factory=list)
    cin_plans: list[CinPlanRecord] = field(default_factory=list)
    section47s: list[Section47Record] = field(default_factory=list)
    cp_plans: list[CpPlanRecord] = field(default_factory=list)
    pre_proceedings: list[str] = field(default_factory=list)
    line: int = 0

    def is_open(self) -> bool:
        return self.closure_date is None


@dataclass
class ChildRecord:
    la_child_id: str
    upn: str = ""
    former_upn: str = ""
    upn_unknown: str = ""
    birth_date: dt.date | None = None
    expected_birth_date: dt.date | None = None
    sex: str = ""
    death_date: dt.date | None = None
    ethnicity: str = ""
    disabilities: list[str] = field(default_factory=list)
    episodes: list[EpisodeRecord] = field(default_factory=list)
    line: int = 0

    @property
    def is_unborn(self) -> bool:
        return self.birth_date is None and self.expected_birth_date is not None


@dataclass(frozen=True)
class CensusContext:
    """What every rule may need about the census: its reference date and the code lists."""

    reference_date: dt.date
    codes: dict[str, frozenset[str]]

    @property
    def collection_start(self) -> dt.date:
        return dt.date(self.reference_date.year - 1, 4, 1)

    def in_year(self, day: dt.date) -> bool:
        return self.collection_start <= day <= self.reference_date
