"""Calibration: the generated partnership's national measures beside the published targets.

Every measure is computed for the last DfE year of the period (1 April to 31 March), the way
DfE defines it (see ``docs/synthetic-data.md``); rates are per 10,000 children aged 0-17 on
31 March. ``cumulus synth --report`` prints these rows; a test holds each within tolerance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.util import day_number


@dataclass(frozen=True)
class CalibrationRow:
    name: str
    target: float
    generated: float
    tolerance: float

    @property
    def ok(self) -> bool:
        if self.target == 0:
            return self.generated == 0
        return abs(self.generated - self.target) / self.target <= self.tolerance


def _days(column: pa.ChunkedArray | pa.Array) -> np.ndarray[Any, Any]:
    """date32 column as int64 day numbers, nulls as a far-future sentinel."""
    values = pc.fill_null(column.cast(pa.int32()), 10**7)
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def _pct(part: Any, whole: Any) -> float:
    return 100.0 * float(part) / float(whole) if whole else 0.0


def measures(tables: Mapping[str, pa.Table], config: SynthConfig) -> dict[str, float]:
    end = day_number(config.end_date)
    year_start = day_number(config.end_date.replace(year=config.end_date.year - 1)) + 1
    children = tables["children"]
    dob = _days(children["date_of_birth"])
    population = int(((dob <= end) & (end - dob < 18 * 365.25)).sum())
    per_10k = 10_000 / population if population else 0.0

    referrals = tables["referrals"]
    r_day = _days(referrals["referred_on"])
    r_person = referrals["person_id"].to_numpy()
    in_year = (r_day >= year_start) & (r_day <= end)
    order = np.lexsort((r_day, r_person))
    same = np.zeros(order.size, dtype=bool)
    gap = np.zeros(order.size, dtype=np.int64)
    same[1:] = r_person[order][1:] == r_person[order][:-1]
    gap[1:] = r_day[order][1:] - r_day[order][:-1]
    rereferral = np.zeros(order.size, dtype=bool)
    rereferral[order] = same & (gap <= 365)
    nfa = referrals["no_further_action"].to_numpy(zero_copy_only=False)
    closed = _days(referrals["closed_on"])
    open_children = np.unique(r_person[(r_day <= end) & (closed > end) & ~nfa])

    assessments = tables["assessments"]
    kind = assessments["assessment_type"].to_numpy(zero_copy_only=False)
    a_start = _days(assessments["started_on"])
    a_end = _days(assessments["authorised_on"])
    completed = (kind == "child_and_family") & (a_end >= year_start) & (a_end <= end)
    working_days = np.busday_count(
        a_start[completed].astype("datetime64[D]"), a_end[completed].astype("datetime64[D]")
    )
    factors = assessments["factors"].to_pylist()
    completed_factors = [f or [] for f, ok in zip(factors, completed, strict=True) if ok]
    s47 = (kind == "section_47") & (a_start >= year_start) & (a_start <= end)

    plans = tables["plans"]
    p_kind = plans["plan_type"].to_numpy(zero_copy_only=False)
    p_start = _days(plans["started_on"])
    p_end = _days(plans["ended_on"])
    cp = p_kind == "child_protection"
    cp_start = cp & (p_start >= year_start) & (p_start <= end)
    category = np.asarray(plans["initial_category"].to_pylist(), dtype=object)
    previous = np.asarray(pc.fill_null(plans["number_of_previous_cp_plans"], 0))
    cp_end = cp & (p_end >= year_start) & (p_end <= end)
    result = {
        "referrals_per_10k": in_year.sum() * per_10k,
        "rereferral_within_12_months_pct": _pct(rereferral[in_year].sum(), in_year.sum()),
        "nfa_pct_of_referrals": _pct(nfa[in_year].sum(), in_year.sum()),
        "children_in_need_31_march_per_10k": open_children.size * per_10k,
        "assessments_completed_per_10k": completed.sum() * per_10k,
        "assessments_within_45_working_days_pct": _pct((working_days <= 45).sum(), completed.sum()),
        "section_47_per_10k": s47.sum() * per_10k,
        "cp_plans_starting_per_10k": cp_start.sum() * per_10k,
        "cp_plans_31_march_per_10k": (cp & (p_start <= end) & (p_end > end)).sum() * per_10k,
        "cp_neglect_initial_category_pct": _pct(
            (category[cp_start] == "NEG").sum(), cp_start.sum()
        ),
        "cp_second_or_subsequent_pct": _pct((previous[cp_start] >= 1).sum(), cp_start.sum()),
        "cp_ending_lasting_2_years_pct": _pct(
            ((p_end - p_start)[cp_end] >= 730).sum(), cp_end.sum()
        ),
        "looked_after_31_march_per_10k": (
            (p_kind == "looked_after") & (p_start <= end) & (p_end > end)
        ).sum()
        * per_10k,
        "assessments_with_parental_mental_health_pct": _pct(
            sum("4B" in f for f in completed_factors), len(completed_factors)
        ),
        "assessments_with_domestic_abuse_pct": _pct(
            sum(any(c in f for c in ("3A", "3B", "3C")) for f in completed_factors),
            len(completed_factors),
        ),
    }
    result["cp_or_looked_after_decile_1_vs_10_ratio"] = deprivation_gradient(tables, end)
    if "attendance" in tables and tables["attendance"].num_rows:
        result["persistent_absence_pct"] = persistent_absence_pct(tables["attendance"], config)
    return {name: float(value) for name, value in result.items()}


def deprivation_gradient(tables: Mapping[str, pa.Table], end: int) -> float:
    """How many times likelier a child in the most deprived tenth of neighbourhoods is to be on
    a CP plan or looked after on 31 March than one in the least deprived tenth (Bywaters et al.
    2020 found about ten times)."""
    children = (
        tables["children"]
        .join(tables["households"], "household_id")
        .join(tables["neighbourhoods"], "lsoa_id")
    )
    dob = _days(children["date_of_birth"])
    in_population = (dob <= end) & (end - dob < 18 * 365.25)
    decile = children["imd_decile"].to_numpy()
    plans = tables["plans"]
    kind = plans["plan_type"].to_numpy(zero_copy_only=False)
    open_at_end = (
        np.isin(kind, ["child_protection", "looked_after"])
        & (_days(plans["started_on"]) <= end)
        & (_days(plans["ended_on"]) > end)
    )
    on_plan = np.isin(children["person_id"].to_numpy(), plans["person_id"].to_numpy()[open_at_end])
    rates = [
        on_plan[in_population & (decile == d)].mean()
        if (in_population & (decile == d)).any()
        else 0.0
        for d in (1, 10)
    ]
    return float(rates[0] / rates[1]) if rates[1] else float("inf")


def persistent_absence_pct(attendance: pa.Table, config: SynthConfig) -> float:
    """Share of pupils missing 10% or more of possible sessions in the last academic year's
    autumn and spring terms (1 September to 31 March), as DfE publishes mid-year."""
    end = day_number(config.end_date)
    september = day_number(dt.date(config.end_date.year - 1, 9, 1))
    week = _days(attendance["week_start"])
    school = pc.starts_with(attendance["agency_key"].cast(pa.string()), "school_").to_numpy(
        zero_copy_only=False
    )
    sel = (week >= september) & (week <= end) & school
    person = attendance["person_id"].to_numpy()[sel]
    possible = attendance["sessions_possible"].to_numpy()[sel].astype(np.int64)
    attended = attendance["sessions_attended"].to_numpy()[sel].astype(np.int64)
    uniq, inverse = np.unique(person, return_inverse=True)
    total = np.bincount(inverse, weights=possible, minlength=uniq.size)
    missed = np.bincount(inverse, weights=possible - attended, minlength=uniq.size)
    return _pct(float((missed >= 0.1 * total).sum()), float(uniq.size))


def calibration_report(tables: Mapping[str, pa.Table], config: SynthConfig) -> list[CalibrationRow]:
    generated = measures(tables, config)
    rows = []
    for name, target in config.parameters["targets"].items():
        if name in generated:
            rows.append(
                CalibrationRow(
                    name=name,
                    target=float(target["value"]),
                    generated=round(generated[name], 2),
                    tolerance=float(target["tolerance"]),
                )
            )
    return rows
