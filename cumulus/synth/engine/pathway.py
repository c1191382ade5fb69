"""The latent state of each child month by month, and the response it meets.

Each child carries a latent neglect level (0 none, 1 emerging, 2 significant, 3 severe) that
worsens with the household's proneness, improves by itself and much faster while the family
gets help, and recurs after help ends in relapse-prone families. Separately, "other needs"
(abuse other than neglect, family stress) come and go, and poor households have months of
unmet material need: poverty raises the chance of neglect but is not neglect.

Each month, children not already open to children's social care may be referred, more often
the higher their level; the whole episode (assessment, s47 enquiry, conference, plans, reviews,
step-down, closure) is then decided from the child's state at referral, using the rates in
``parameters.toml``. Early help opens for emerging need and steps up when need grows.

The simulation starts ``burn_in_months`` before the period so that, on its first day, the
partnership already has children on plans and in care, as a real one has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.population import Population
from cumulus.synth.engine.util import (
    BoolArray,
    IntArray,
    choice_by_weights,
    day_number,
    inverse_cdf,
    month_starts,
    sigmoid,
    working_days_to_calendar,
)

NEGLECT_TYPES = np.array(
    ["medical", "nutritional", "emotional", "educational", "physical", "supervision"]
)
# Weights of the dominant neglect type by age band (0-4, 5-11, 12-17).
TYPE_WEIGHTS_BY_AGE = np.array(
    [
        [0.25, 0.25, 0.15, 0.0, 0.25, 0.10],
        [0.12, 0.15, 0.18, 0.25, 0.18, 0.12],
        [0.08, 0.08, 0.25, 0.22, 0.10, 0.27],
    ]
)
SOURCES = {
    "6": 0.28,
    "2A": 0.21,
    "3A": 0.03,
    "3B": 0.04,
    "3C": 0.01,
    "3D": 0.02,
    "3E": 0.03,
    "3F": 0.01,
    "5A": 0.04,
    "5B": 0.03,
    "5C": 0.01,
    "5D": 0.04,
    "1A": 0.06,
    "1B": 0.01,
    "1C": 0.005,
    "1D": 0.005,
    "2B": 0.01,
    "4": 0.02,
    "7": 0.03,
    "8": 0.07,
    "9": 0.01,
    "10": 0.02,
}
SOURCE_AGENCY = {
    "6": "police",
    "3B": "health_visiting",
    "3C": "school_nursing",
    "3D": "gp",
    "3E": "hospital",
    "3F": "hospital",
    "5A": "csc",
    "5B": "csc",
    "5C": "csc",
    "5D": "early_help",
    "1A": "csc",
    "1B": "csc",
    "1C": "csc",
    "1D": "csc",
    "2B": "csc",
    "4": "housing",
    "7": "probation",
    "8": "voluntary",
    "9": "csc",
    "10": "csc",
}
DAYS_PER_MONTH = 30.44


@dataclass
class Rows:
    """Columns of a table being built, as lists of numpy chunks."""

    columns: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, **chunks: Any) -> None:
        for name, chunk in chunks.items():
            self.columns.setdefault(name, []).append(np.asarray(chunk))

    def get(self, name: str) -> np.ndarray[Any, Any]:
        chunks = self.columns.get(name)
        return np.concatenate(chunks) if chunks else np.empty(0)

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), [])
        return int(sum(len(c) for c in first))


@dataclass
class Pathway:
    """Everything the simulation decided, as raw columns; ``tables.py`` trims and types them."""

    months: IntArray  # day numbers of month starts, burn-in included (one extra at the end)
    period_first_month: int
    level: np.ndarray[Any, np.dtype[np.int8]]  # [month, child] neglect level
    other_need: np.ndarray[Any, np.dtype[np.bool_]]
    material_need: np.ndarray[Any, np.dtype[np.bool_]]
    alive: np.ndarray[Any, np.dtype[np.bool_]]
    in_care: np.ndarray[Any, np.dtype[np.bool_]]
    neglect_type: np.ndarray[Any, np.dtype[np.str_]]  # per child
    referrals: Rows
    assessments: Rows
    plans: Rows
    reviews: Rows


def _take_ids(ids: dict[str, int], kind: str, count: int) -> IntArray:
    """The next ``count`` ids of ``kind`` (1-based, consecutive), reserving them."""
    first = ids[kind] + 1
    ids[kind] += count
    return np.arange(first, first + count)


def _geometric_days(rng: np.random.Generator, mean_months: float, size: int) -> IntArray:
    return np.asarray(rng.exponential(mean_months * DAYS_PER_MONTH, size=size), dtype=np.int64) + 14


def simulate(config: SynthConfig, population: Population) -> Pathway:
    params = config.parameters
    neg, ref, path = params["neglect"], params["referral"], params["pathway"]
    rng = config.rng("pathway")
    n = population.child_id.size
    hh = population.child_household
    burn_in = int(path["burn_in_months"])
    first_month = config.start_date.replace(day=1)
    last = config.end_date
    period_months = (last.year * 12 + last.month) - (first_month.year * 12 + first_month.month) + 1
    # Month starts from the beginning of the burn-in.
    y, m = divmod(first_month.year * 12 + first_month.month - 1 - burn_in, 12)
    months = month_starts(first_month.replace(year=y, month=m + 1), burn_in + period_months)
    total_months = burn_in + period_months

    dob = population.child_dob
    poor = population.household_poverty[hh]
    risks = {k: v[hh] for k, v in population.household_risks.items()}
    relapse_prone = population.household_relapse_prone[hh]
    proneness = sigmoid(population.household_proneness_effect[hh] + rng.normal(0, 0.3, n))
    other_hazard = neg["other_onset"] * np.exp(
        sum(w * risks[k] for k, w in neg["other_onset_weights"].items())
    )
    end_age_band = np.clip((day_number(config.end_date) - dob) // int(365.25 * 5), 0, 2)
    cum = TYPE_WEIGHTS_BY_AGE.cumsum(axis=1)[end_age_band]
    neglect_type = NEGLECT_TYPES[(rng.random(n)[:, None] > cum).sum(axis=1).clip(0, 5)]

    level = np.zeros(n, dtype=np.int8)
    other = np.zeros(n, dtype=bool)
    busy_until = np.full(n, -1, dtype=np.int64)
    help_until = np.full(n, -1, dtype=np.int64)
    eh_until = np.full(n, -1, dtype=np.int64)
    care_until = np.full(n, -1, dtype=np.int64)
    relapse_until = np.full(n, -1, dtype=np.int64)
    recent_until = np.full(n, -1, dtype=np.int64)
    # Child protection plans before the simulation began (history the records would show).
    cp_count = (rng.random(n) < path["prior_cp_plan_factor"] * proneness).astype(np.int16)

    hist_level = np.zeros((total_months, n), dtype=np.int8)
    hist_other = np.zeros((total_months, n), dtype=bool)
    hist_material = np.zeros((total_months, n), dtype=bool)
    hist_alive = np.zeros((total_months, n), dtype=bool)
    hist_care = np.zeros((total_months, n), dtype=bool)

    out = Pathway(
        months=months,
        period_first_month=burn_in,
        level=hist_level,
        other_need=hist_other,
        material_need=hist_material,
        alive=hist_alive,
        in_care=hist_care,
        neglect_type=neglect_type,
        referrals=Rows(),
        assessments=Rows(),
        plans=Rows(),
        reviews=Rows(),
    )
    ids = {"referral": 0, "assessment": 0, "plan": 0, "review": 0}
    improve = np.array(neg["improve"])
    worsen = np.array(neg["worsen"])
    nfac = np.array(ref["neglect_level_factor"])

    for month in range(total_months):
        s, e = int(months[month]), int(months[month + 1]) - 1
        alive = (dob <= e) & ((s - dob) < int(18 * 365.25))
        in_care = care_until >= s
        on_help = (help_until >= s) | (eh_until >= s)
        relapse = relapse_until >= s
        live = alive & ~in_care

        # Latent neglect transitions.
        u = rng.random(n)
        up = np.where(
            level == 0,
            neg["onset"] * proneness,
            worsen[np.minimum(level, 2)] * (0.5 + proneness),
        )
        up = up * np.where(relapse, neg["relapse_factor"], 1.0)
        up = up * np.where(on_help, neg["help_worsen_factor"], 1.0)
        up = np.where(level >= 3, 0.0, up)
        down = improve[level] * np.where(on_help, neg["help_improve_factor"], 1.0)
        new_level = np.where(u < down, level - 1, np.where(u < down + up, level + 1, level))
        level = np.where(live, new_level, np.where(in_care, 0, level)).astype(np.int8)
        # Other needs and material need.
        u2 = rng.random(n)
        other = (
            np.where(
                other,
                u2 >= neg["other_end"] * np.where(on_help, 2.0, 1.0),
                u2 < other_hazard,
            )
            & live
        )
        material = (
            np.where(
                poor,
                rng.random(n) < neg["material_need_if_poor"],
                rng.random(n) < neg["material_need_if_not_poor"],
            )
            & alive
        )
        hist_level[month], hist_other[month], hist_material[month] = level, other, material
        hist_alive[month], hist_care[month] = alive, in_care

        open_csc = busy_until >= s
        # Early help for emerging need.
        eh_due = (
            live
            & ~open_csc
            & (eh_until < s)
            & (level >= 1)
            & (rng.random(n) < ref["early_help"] * level)
        )
        idx = np.flatnonzero(eh_due)
        if idx.size:
            _early_help(out, ids, rng, idx, s, e, path, level, eh_until, help_until)

        # Referrals to children's social care.
        stepped_up = live & ~open_csc & (eh_until >= s - 31) & (eh_until < s) & (level >= 2)
        p = (
            ref["base"]
            * nfac[level]
            * np.where(other, ref["other_need_factor"], 1.0)
            * np.where(poor, ref["poverty_factor"], 1.0)
            * np.where(relapse, ref["relapse_factor"], 1.0)
            * np.where(recent_until >= s, ref["recent_closure_factor"], 1.0)
        )
        referred = live & ~open_csc & ((rng.random(n) < p) | stepped_up)
        idx = np.flatnonzero(referred)
        if idx.size:
            _episodes(
                out,
                ids,
                rng,
                population,
                config,
                idx,
                s,
                e,
                level,
                other,
                poor,
                risks,
                stepped_up,
                busy_until,
                help_until,
                eh_until,
                care_until,
                relapse_until,
                relapse_prone,
                cp_count,
            )
            recent_until[idx] = busy_until[idx] + 365
    return out


def _early_help(
    out: Pathway,
    ids: dict[str, int],
    rng: np.random.Generator,
    idx: IntArray,
    s: int,
    e: int,
    path: dict[str, Any],
    level: np.ndarray[Any, Any],
    eh_until: IntArray,
    help_until: IntArray,
) -> None:
    k = idx.size
    start = s + rng.integers(0, e - s + 1, size=k)
    authorised = start + rng.integers(10, 35, size=k)
    plan_start = authorised + rng.integers(0, 10, size=k)
    plan_end = plan_start + _geometric_days(rng, path["early_help_plan_mean_months"], k)
    a_ids = _take_ids(ids, "assessment", k)
    p_ids = _take_ids(ids, "plan", k)
    out.assessments.add(
        assessment_id=a_ids,
        person=idx,
        referral_id=np.full(k, -1),
        kind=np.full(k, "early_help"),
        started=start,
        authorised=authorised,
        conference=np.full(k, -1),
        factors=np.full(k, "", dtype=object),
    )
    out.plans.add(
        plan_id=p_ids,
        person=idx,
        referral_id=np.full(k, -1),
        kind=np.full(k, "early_help"),
        started=plan_start,
        ended=plan_end,
        category=np.full(k, ""),
        previous=np.full(k, -1),
        end_reason=np.full(k, "closed"),
    )
    eh_until[idx] = plan_end
    help_until[idx] = np.maximum(help_until[idx], plan_end)
    del level


def _episodes(
    out: Pathway,
    ids: dict[str, int],
    rng: np.random.Generator,
    population: Population,
    config: SynthConfig,
    idx: IntArray,
    s: int,
    e: int,
    level: np.ndarray[Any, Any],
    other: BoolArray,
    poor: BoolArray,
    risks: dict[str, BoolArray],
    stepped_up: BoolArray,
    busy_until: IntArray,
    help_until: IntArray,
    eh_until: IntArray,
    care_until: IntArray,
    relapse_until: IntArray,
    relapse_prone: BoolArray,
    cp_count: np.ndarray[Any, Any],
) -> None:
    """Decide the whole episode of each child referred this month."""
    path = config.parameters["pathway"]
    k = idx.size
    lv = level[idx].astype(np.int64)
    oth = other[idx]
    other_sev = int(path["other_need_severity"])
    sev = np.maximum(lv, np.where(oth, other_sev, 0))
    neglect_driver = (lv >= 1) & (lv >= np.where(oth, other_sev, 0))
    day = s + rng.integers(0, e - s + 1, size=k)
    age = (day - population.child_dob[idx]) / 365.25

    # Source and primary need.
    source = choice_by_weights(rng, SOURCES, k)
    source = np.where((source == "2A") & (age < 4.5), "3B", source)
    source = np.where(stepped_up[idx], "5D", source)
    need_other = choice_by_weights(
        rng,
        {
            "N4": 0.35,
            "N5": 0.2,
            "N3": 0.12,
            "N6": 0.1,
            "N8": 0.05,
            "N9": 0.1,
            "N7": 0.03,
            "N2": 0.05,
        },
        k,
    )
    abuse = neglect_driver | oth
    primary_need = np.where(abuse & (rng.random(k) < 0.88), "N1", need_other)
    neglect_concern = neglect_driver | (poor[idx] & (rng.random(k) < 0.05))
    nfa = rng.random(k) < path["no_further_action"]

    r_ids = _take_ids(ids, "referral", k)
    close = day.copy()
    reason = np.full(k, "RC8", dtype=object)

    assessed = ~nfa
    a_start = day + rng.integers(0, 4, size=k)
    wd = np.rint(
        inverse_cdf(
            rng, path["assessment_working_days"]["q"], path["assessment_working_days"]["days"], k
        )
    ).astype(np.int64)
    a_end = working_days_to_calendar(a_start, wd)
    factors = _factors(rng, idx, lv, oth, risks, population)
    ai = np.flatnonzero(assessed)
    a_ids = _take_ids(ids, "assessment", ai.size)
    out.assessments.add(
        assessment_id=a_ids,
        person=idx[ai],
        referral_id=r_ids[ai],
        kind=np.full(ai.size, "child_and_family"),
        started=a_start[ai],
        authorised=a_end[ai],
        conference=np.full(ai.size, -1),
        factors=factors[ai],
    )
    close = np.where(assessed, a_end, close)

    # Section 47 enquiry, conference and child protection plan.
    s47 = assessed & (rng.random(k) < np.array(path["section_47_by_severity"])[sev])
    s47_start = day + rng.integers(0, 6, size=k)
    icpc = s47 & (rng.random(k) < np.array(path["icpc_after_section_47"])[sev])
    icpc_wd = np.rint(
        inverse_cdf(rng, path["icpc_working_days"]["q"], path["icpc_working_days"]["days"], k)
    ).astype(np.int64)
    icpc_day = working_days_to_calendar(s47_start, icpc_wd)
    s47_end = np.where(
        icpc,
        icpc_day - rng.integers(1, 5, size=k),
        working_days_to_calendar(s47_start, rng.integers(5, 15, size=k)),
    )
    si = np.flatnonzero(s47)
    s_ids = _take_ids(ids, "assessment", si.size)
    out.assessments.add(
        assessment_id=s_ids,
        person=idx[si],
        referral_id=r_ids[si],
        kind=np.full(si.size, "section_47"),
        started=s47_start[si],
        authorised=np.maximum(s47_end[si], s47_start[si]),
        conference=np.where(icpc[si], icpc_day[si], -1),
        factors=np.full(si.size, "", dtype=object),
    )
    cp = icpc & (rng.random(k) < path["cp_after_icpc"])
    severe_care = assessed & (rng.random(k) < np.array(path["looked_after_at_referral"])[sev])
    cp = cp & ~severe_care
    other_cat = choice_by_weights(rng, path["other_categories"], k)
    # Neglect often comes with emotional abuse; conferences sometimes record that instead.
    neglect_category = np.where(
        rng.random(k) < path["neglect_recorded_as_emotional"],
        "EMO",
        np.where(rng.random(k) < 0.05, "MUL", "NEG"),
    )
    category = np.where(
        neglect_driver,
        neglect_category,
        np.where(rng.random(k) < path["neglect_share_of_cp_when_other"], "NEG", other_cat),
    )
    months_on_cp = inverse_cdf(
        rng, path["cp_duration_months"]["q"], path["cp_duration_months"]["months"], k
    )
    cp_end = icpc_day + np.rint(months_on_cp * DAYS_PER_MONTH).astype(np.int64)

    plan_rows: dict[str, list[Any]] = {
        k2: []
        for k2 in (
            "person",
            "referral_id",
            "kind",
            "started",
            "ended",
            "category",
            "previous",
            "end_reason",
        )
    }

    def add_plans(
        mask: BoolArray,
        kind: str,
        start: IntArray,
        end: IntArray,
        end_reason: np.ndarray[Any, Any],
        cat: np.ndarray[Any, Any] | None = None,
        previous: np.ndarray[Any, Any] | None = None,
    ) -> None:
        sel = np.flatnonzero(mask)
        plan_rows["person"].append(idx[sel])
        plan_rows["referral_id"].append(r_ids[sel])
        plan_rows["kind"].append(np.full(sel.size, kind))
        plan_rows["started"].append(start[sel])
        plan_rows["ended"].append(end[sel])
        plan_rows["category"].append(cat[sel] if cat is not None else np.full(sel.size, ""))
        plan_rows["previous"].append(
            previous[sel] if previous is not None else np.full(sel.size, -1)
        )
        plan_rows["end_reason"].append(np.asarray(end_reason)[sel])

    after = rng.random(k)
    cla_after_cp = cp & (after < path["looked_after_after_cp"])
    cin_after_cp = (
        cp
        & ~cla_after_cp
        & (after < path["looked_after_after_cp"] + path["step_down_to_cin_after_cp"])
    )
    add_plans(
        cp,
        "child_protection",
        icpc_day,
        cp_end,
        np.where(cla_after_cp, "step_up", np.where(cin_after_cp, "step_down", "outcomes_met")),
        category,
        cp_count[idx].copy(),
    )
    cp_count[idx[cp]] += 1
    close = np.where(cp, cp_end, close)

    # Child in need plans: after assessment (in need, no CP) or stepped down from CP.
    in_need = (
        assessed & ~cp & ~severe_care & (rng.random(k) < np.array(path["in_need_by_severity"])[sev])
    )
    cin_direct = in_need & (rng.random(k) < path["cin_plan_if_in_need"])
    cin_start = np.where(cp, cp_end, a_end + rng.integers(0, 10, size=k))
    cin_end = cin_start + _geometric_days(rng, path["cin_plan_mean_months"], k)
    cin = cin_direct | cin_after_cp
    eh_after_cin = cin & (rng.random(k) < path["step_down_to_early_help_after_cin"])
    add_plans(
        cin,
        "child_in_need",
        cin_start,
        cin_end,
        np.where(eh_after_cin, "step_down", "outcomes_met"),
    )
    close = np.where(cin, cin_end, close)
    no_plan = in_need & ~cin_direct
    close = np.where(
        no_plan, a_end + _geometric_days(rng, path["in_need_no_plan_mean_months"], k), close
    )
    reason = np.where(in_need | cp, "RC7", reason)

    # Looked after: directly for the most severe, or after a child protection plan.
    cla = severe_care | cla_after_cp
    cla_start = np.where(severe_care, day + rng.integers(0, 21, size=k), cp_end)
    cla_end = cla_start + _geometric_days(rng, path["looked_after_mean_months"], k)
    add_plans(cla, "looked_after", cla_start, cla_end, np.full(k, "ceased"))
    close = np.where(cla, np.maximum(close, cla_end), close)
    cla_reason = choice_by_weights(rng, {"RC1": 0.1, "RC3": 0.1, "RC4": 0.12, "RC7": 0.68}, k)
    reason = np.where(cla, cla_reason, reason)

    # Not in need: closed after assessment, sometimes to early help (RC9).
    not_in_need = assessed & ~in_need & ~cp & ~cla
    to_eh = not_in_need & (rng.random(k) < path["referred_to_early_help_if_not_in_need"])
    reason = np.where(to_eh, "RC9", np.where(not_in_need, "RC8", reason))
    eh_start = np.where(
        to_eh, a_end + rng.integers(3, 20, size=k), cin_end + rng.integers(0, 10, size=k)
    )
    eh_end = eh_start + _geometric_days(rng, path["early_help_plan_mean_months"], k)
    eh = to_eh | eh_after_cin
    add_plans(eh, "early_help", eh_start, eh_end, np.full(k, "closed"))
    close = close + rng.integers(0, 6, size=k)

    # Reviews of child protection plans: first within 3 months, then every 6 months.
    ci = np.flatnonzero(cp)
    if ci.size:
        first = icpc_day[ci] + np.where(
            rng.random(ci.size) < 0.93,
            rng.integers(70, 91, ci.size),
            rng.integers(92, 120, ci.size),
        )
        n_reviews = np.maximum(0, (cp_end[ci] - first) // 182 + 1)
        rev_plan = np.repeat(np.arange(ci.size), n_reviews)
        offsets = np.arange(rev_plan.size) - np.repeat(np.cumsum(n_reviews) - n_reviews, n_reviews)
        rev_day = first[rev_plan] + offsets * 182 + rng.integers(-10, 8, size=rev_plan.size)
        keep = rev_day < cp_end[ci][rev_plan]
        plan_index_offset = ids["plan"]  # CP plans are the first rows added for this batch
        rv = _take_ids(ids, "review", int(keep.sum()))
        out.reviews.add(
            review_id=rv, plan_id=plan_index_offset + 1 + rev_plan[keep], held=rev_day[keep]
        )

    total_plans = sum(len(c) for c in plan_rows["person"])
    p_ids = _take_ids(ids, "plan", total_plans)
    out.plans.add(plan_id=p_ids, **{k2: np.concatenate(v) for k2, v in plan_rows.items()})
    out.referrals.add(
        referral_id=r_ids,
        person=idx,
        day=day,
        source=source,
        primary_need=primary_need,
        neglect=neglect_concern,
        nfa=nfa,
        closed=close,
        reason=reason,
    )

    busy_until[idx] = close
    with_plan = cp | cin | cla
    help_until[idx] = np.where(with_plan, np.maximum(help_until[idx], close), help_until[idx])
    eh_until[idx] = np.where(eh, eh_end, eh_until[idx])
    care_until[idx] = np.where(cla, cla_end, care_until[idx])
    relapse_until[idx] = np.where(
        relapse_prone[idx],
        close + int(config.parameters["neglect"]["relapse_months"] * DAYS_PER_MONTH),
        relapse_until[idx],
    )


def _factors(
    rng: np.random.Generator,
    idx: IntArray,
    lv: IntArray,
    oth: BoolArray,
    risks: dict[str, BoolArray],
    population: Population,
) -> np.ndarray[Any, Any]:
    """Factors identified at assessment, as a space-separated string per assessment."""
    k = idx.size
    r = {name: arr[idx] for name, arr in risks.items()}
    pick: list[tuple[str, BoolArray]] = [
        ("3B", r["domestic_abuse"] & (rng.random(k) < 0.85)),
        ("4B", r["parental_mental_health"] & (rng.random(k) < 0.8)),
        ("2B", r["substance_misuse"] & (rng.random(k) < 0.6)),
        ("1B", r["substance_misuse"] & (rng.random(k) < 0.45)),
        ("5B", r["parental_learning_disability"] & (rng.random(k) < 0.7)),
        ("16A", (lv >= 2) & (rng.random(k) < 0.8) | (lv == 1) & (rng.random(k) < 0.4)),
        ("17A", oth & (rng.random(k) < 0.45)),
        ("18C", oth & (rng.random(k) < 0.12)),
        ("19C", oth & (rng.random(k) < 0.05)),
        ("4A", rng.random(k) < 0.06),
        ("14A", rng.random(k) < 0.04),
        ("6A", rng.random(k) < 0.04),
        ("7A", rng.random(k) < 0.02),
        ("10A", rng.random(k) < 0.02),
    ]
    parts = np.full(k, "", dtype=object)
    for code, mask in pick:
        parts = np.where(mask, parts + " " + code, parts)
    parts = np.where(parts == "", np.where(rng.random(k) < 0.5, " 21", " 20"), parts)
    del population
    return np.asarray([p.strip() for p in parts], dtype=object)


def need_states_table(out: Pathway, child_id: IntArray) -> pa.Table:
    """Ground truth, one row per child alive in each month of the period."""
    from cumulus.synth.engine.schema import SCHEMAS
    from cumulus.synth.engine.util import as_table, dates

    first = out.period_first_month
    alive = out.alive[first:]
    m_idx, c_idx = np.nonzero(alive)
    levels = out.level[first:][m_idx, c_idx]
    return as_table(
        {
            "person_id": child_id[c_idx],
            "month": dates(out.months[first:-1][m_idx]),
            "neglect_level": levels,
            "neglect_type": pa.array(out.neglect_type[c_idx], mask=levels == 0),
            "material_need": out.material_need[first:][m_idx, c_idx],
        },
        SCHEMAS["need_states"],
    )
