"""Turn the simulation's raw columns into the period's casework tables.

Records are kept when they touch the period: an episode open on its first day is there (as in
a real authority's data), one that closed before it is not. Dates after the period's end become
null (still open); conferences, reviews and plans that had not happened by then are dropped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.pathway import SOURCE_AGENCY, Pathway
from cumulus.synth.engine.population import Population
from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import IntArray, as_table, dates, day_number


def _null_after(values: IntArray, end: int) -> pa.Array:
    return dates(np.where(values < 0, 0, values), mask=(values > end) | (values < 0))


def casework_tables(
    config: SynthConfig, population: Population, pathway: Pathway
) -> dict[str, pa.Table]:
    start, end = day_number(config.start_date), day_number(config.end_date)
    ids = population.child_id
    ref = pathway.referrals
    r_day, r_close = ref.get("day").astype(np.int64), ref.get("closed").astype(np.int64)
    r_person = ref.get("person").astype(np.int64)
    r_ids = ref.get("referral_id").astype(np.int64)
    # A referral is kept if its episode touches the period, or if a plan that does (an early
    # help plan after step-down, say) belongs to it.
    p_touch = (pathway.plans.get("started").astype(np.int64) <= end) & (
        pathway.plans.get("ended").astype(np.int64) >= start
    )
    needed = pathway.plans.get("referral_id").astype(np.int64)[p_touch]
    keep_r = ((r_day <= end) & (r_close >= start)) | np.isin(r_ids, needed)
    kept_referrals = set(r_ids[keep_r].tolist())
    nfa = ref.get("nfa").astype(bool)
    closed_in_time = r_close[keep_r] <= end
    school = _school_of(population, r_person[keep_r])
    source = ref.get("source")[keep_r]
    agency = np.array([SOURCE_AGENCY.get(s, "csc") for s in source], dtype=object)
    agency = np.where(np.isin(source, ["2A"]), school, agency)
    agency = np.where(np.isin(source, ["3A", "3D"]), _gp_of(population, r_person[keep_r]), agency)
    contact_day = r_day[keep_r] - (r_ids[keep_r] % 3)
    tables: dict[str, pa.Table] = {
        "contacts": as_table(
            {
                "contact_id": r_ids[keep_r],
                "person_id": ids[r_person[keep_r]],
                "agency_key": agency,
                "received_on": dates(contact_day),
                "is_neglect_concern": ref.get("neglect").astype(bool)[keep_r],
            },
            SCHEMAS["contacts"],
        ),
        "referrals": as_table(
            {
                "referral_id": r_ids[keep_r],
                "person_id": ids[r_person[keep_r]],
                "contact_id": r_ids[keep_r],
                "referred_on": dates(r_day[keep_r]),
                "source": source,
                "primary_need": pa.array(ref.get("primary_need")[keep_r], mask=nfa[keep_r]),
                "is_neglect_concern": ref.get("neglect").astype(bool)[keep_r],
                "no_further_action": nfa[keep_r],
                "closed_on": _null_after(r_close[keep_r], end),
                "closure_reason": pa.array(
                    ref.get("reason")[keep_r].astype(str), mask=~closed_in_time
                ),
            },
            SCHEMAS["referrals"],
        ),
    }

    ass = pathway.assessments
    a_ref = ass.get("referral_id").astype(np.int64)
    a_start = ass.get("started").astype(np.int64)
    a_end = ass.get("authorised").astype(np.int64)
    early = a_ref < 0
    keep_a = (a_start <= end) & (np.isin(a_ref, list(kept_referrals)) | (early & (a_end >= start)))
    conference = ass.get("conference").astype(np.int64)
    done = a_end[keep_a] <= end
    factors = ass.get("factors")[keep_a]
    factor_lists = [(f.split() if ok and f else None) for f, ok in zip(factors, done, strict=True)]
    tables["assessments"] = as_table(
        {
            "assessment_id": ass.get("assessment_id").astype(np.int64)[keep_a],
            "person_id": ids[ass.get("person").astype(np.int64)[keep_a]],
            "referral_id": pa.array(a_ref[keep_a], mask=early[keep_a], type=pa.int64()),
            "assessment_type": ass.get("kind")[keep_a],
            "started_on": dates(a_start[keep_a]),
            "authorised_on": _null_after(a_end[keep_a], end),
            "initial_conference_on": _null_after(conference[keep_a], end),
            "factors": pa.array(factor_lists, type=pa.list_(pa.string())),
        },
        SCHEMAS["assessments"],
    )

    plans = pathway.plans
    p_start = plans.get("started").astype(np.int64)
    p_end = plans.get("ended").astype(np.int64)
    p_ref = plans.get("referral_id").astype(np.int64)
    keep_p = (p_start <= end) & (p_end >= start)
    category = plans.get("category")[keep_p].astype(str)
    is_cp = plans.get("kind")[keep_p] == "child_protection"
    ended_in_time = p_end[keep_p] <= end
    previous = plans.get("previous").astype(np.int64)[keep_p]
    tables["plans"] = as_table(
        {
            "plan_id": plans.get("plan_id").astype(np.int64)[keep_p],
            "person_id": ids[plans.get("person").astype(np.int64)[keep_p]],
            "referral_id": pa.array(p_ref[keep_p], mask=p_ref[keep_p] < 0, type=pa.int64()),
            "plan_type": plans.get("kind")[keep_p],
            "started_on": dates(p_start[keep_p]),
            "ended_on": _null_after(p_end[keep_p], end),
            "initial_category": pa.array(category, mask=~is_cp),
            "latest_category": pa.array(category, mask=~is_cp),
            "number_of_previous_cp_plans": pa.array(
                previous.astype(np.int16), mask=~is_cp, type=pa.int16()
            ),
            "end_reason": pa.array(
                plans.get("end_reason")[keep_p].astype(str), mask=~ended_in_time
            ),
        },
        SCHEMAS["plans"],
    )
    kept_plans = plans.get("plan_id").astype(np.int64)[keep_p]
    rv = pathway.reviews
    held = rv.get("held").astype(np.int64)
    rv_plan = rv.get("plan_id").astype(np.int64)
    keep_rv = (held >= start) & (held <= end) & np.isin(rv_plan, kept_plans)
    tables["reviews"] = as_table(
        {
            "review_id": rv.get("review_id").astype(np.int64)[keep_rv],
            "plan_id": rv_plan[keep_rv],
            "held_on": dates(held[keep_rv]),
        },
        SCHEMAS["reviews"],
    )
    return tables


def _school_of(population: Population, child_index: IntArray) -> np.ndarray[Any, Any]:
    lsoa = population.household_lsoa[population.child_household[child_index]]
    primary = np.array(population.agency_keys["primary"], dtype=object)
    return primary[population.lsoa_primary[lsoa]]


def _gp_of(population: Population, child_index: IntArray) -> np.ndarray[Any, Any]:
    lsoa = population.household_lsoa[population.child_household[child_index]]
    gp = np.array(population.agency_keys["gp"], dtype=object)
    return gp[population.lsoa_gp[lsoa]]
