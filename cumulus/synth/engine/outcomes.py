"""Young people's education status (NEET) and the partnership's learning reviews.

Why: two indicators need records the casework does not make. Bury counts 16-17 year olds on
plans for neglect who are not in education, employment or training (the local authority tracks
every 16-17 year old's status monthly); Bury and the national review panel count rapid reviews
(and the child safeguarding practice reviews some lead to) in which neglect featured. This
module draws both from the population and its plans: a monthly status for every child aged
16-17 (NEET more likely for children who have had a statutory plan), and rapid reviews at about
the national rate of serious incident notifications, each about a child who has had a child
protection plan where there is one, a share going on to a practice review.

Everything is drawn with numpy from one generator; the only loop is over months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import merged_parameters

EPOCH = dt.date(1970, 1, 1)

# ``params["outcomes"]`` overrides any of these.
DEFAULTS: dict[str, Any] = {
    # DfE: about 5% of 16-17 year olds are NEET or not known; far more among children in need.
    "neet_rate": 0.05,
    "neet_rate_after_statutory_plan": 0.18,
    # How much a young person's status carries from month to month (0: none, 1: fixed).
    "neet_persistence": 0.85,
    # Serious incident notifications (each with a rapid review) per 10,000 children a year.
    "rapid_reviews_per_10000_a_year": 1.3,
    "practice_review_share": 0.3,  # rapid reviews that lead to a practice review
    "practice_review_after_days": 180,
    "neglect_featured_share": 0.6,  # the national panel: neglect features in most reviews
}


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _statutory_children(plans: pa.Table) -> pa.Array:
    kind = plans["plan_type"]
    statutory = pc.is_in(kind, value_set=pa.array(["child_in_need", "child_protection"]))
    return pc.unique(pc.filter(plans["person_id"], statutory))


def education_status(
    children: pa.Table,
    plans: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    start: dt.date,
    end: dt.date,
) -> pa.Table:
    """One row per child aged 16-17 on the first of each month in ``[start, end]``."""
    ids = children["person_id"].to_numpy()
    born = children["date_of_birth"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    statutory = np.isin(ids, _statutory_children(plans).to_numpy())
    rate = np.where(statutory, p["neet_rate_after_statutory_plan"], p["neet_rate"])
    keep = p["neet_persistence"]
    # A status that carries over month to month: each month a young person keeps last month's
    # status with probability ``keep``, else it is drawn afresh (so the rate stays ``rate``).
    status = rng.random(ids.shape) < rate
    b16, b18 = _add_years(born, 16), _add_years(born, 18)
    columns: dict[str, list[Any]] = {"person_id": [], "month": [], "is_neet": []}
    for month in _months(start, end):
        day = np.datetime64(month, "D")
        redraw = rng.random(ids.shape) >= keep
        status[redraw] = rng.random(int(redraw.sum())) < rate[redraw]
        # Aged 16-17 on the first of the month: 16th birthday on or before it, 18th after it.
        aged = (b16 <= day) & (b18 > day)
        if not aged.any():
            continue
        columns["person_id"].append(ids[aged])
        columns["month"].append(np.full(int(aged.sum()), day))
        columns["is_neet"].append(status[aged])
    if not columns["person_id"]:
        return SCHEMAS["education_status"].empty_table()
    return pa.table(
        {
            "person_id": pa.array(np.concatenate(columns["person_id"]), pa.int64()),
            "month": pa.array(np.concatenate(columns["month"]), pa.date32()),
            "is_neet": pa.array(np.concatenate(columns["is_neet"]), pa.bool_()),
        },
        schema=SCHEMAS["education_status"],
    )


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """Each date ``years`` later (29 February to 1 March), vectorised."""
    months = days.astype("datetime64[M]")
    day_of_month = (days - months.astype("datetime64[D]")).astype(np.int64)
    shifted = (months + np.timedelta64(12 * years, "M")).astype("datetime64[D]")
    result: np.ndarray = shifted + day_of_month.astype("timedelta64[D]")
    return result


def learning_reviews(
    children: pa.Table,
    plans: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    start: dt.date,
    end: dt.date,
) -> pa.Table:
    """Rapid reviews in ``[start, end]`` and the practice reviews some of them lead to."""
    days = (end - start).days + 1
    expected = p["rapid_reviews_per_10000_a_year"] * children.num_rows / 10_000 * days / 365.25
    count = int(rng.poisson(expected))
    cp = pc.filter(plans["person_id"], pc.equal(plans["plan_type"], "child_protection"))
    pool = pc.unique(cp).to_numpy() if len(cp) else children["person_id"].to_numpy()
    held = np.sort(rng.integers(0, days, count)) + (start - EPOCH).days
    people = rng.choice(pool, count) if count and len(pool) else np.zeros(count, np.int64)
    neglect = rng.random(count) < p["neglect_featured_share"]
    practice = rng.random(count) < p["practice_review_share"]
    later = held + p["practice_review_after_days"]
    practice &= later <= (end - EPOCH).days
    held_all = np.concatenate([held, later[practice]])
    kinds = ["rapid_review"] * count + ["cspr"] * int(practice.sum())
    return pa.table(
        {
            "review_id": pa.array(np.arange(1, len(kinds) + 1), pa.int32()),
            "held_on": pa.array(held_all.astype("datetime64[D]"), pa.date32()),
            "kind": pa.array(kinds, pa.string()),
            "person_id": pa.array(np.concatenate([people, people[practice]]), pa.int64()),
            "features_neglect": pa.array(np.concatenate([neglect, neglect[practice]]), pa.bool_()),
        },
        schema=SCHEMAS["learning_reviews"],
    )


def make_outcomes(
    *,
    children: pa.Table,
    plans: pa.Table,
    rng: np.random.Generator,
    params: Mapping[str, Any],
    start: dt.date,
    end: dt.date,
) -> dict[str, pa.Table]:
    """``education_status`` and ``learning_reviews`` for ``[start, end]``."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    p = merged_parameters("outcomes", DEFAULTS, params)
    return {
        "education_status": education_status(children, plans, rng, p, start, end),
        "learning_reviews": learning_reviews(children, plans, rng, p, start, end),
    }
