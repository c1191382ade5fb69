"""NEET status and learning reviews: who gets a status, at what rate, and which reviews."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from cumulus.synth.engine.outcomes import DEFAULTS, make_outcomes

START, END = dt.date(2023, 4, 1), dt.date(2026, 3, 31)


def _inputs(n: int = 20_000) -> tuple[pa.Table, pa.Table]:
    rng = np.random.default_rng(3)
    born = np.datetime64("2006-01-01") + rng.integers(0, 20 * 365, n).astype("timedelta64[D]")
    children = pa.table(
        {"person_id": pa.array(np.arange(1, n + 1), pa.int64()), "date_of_birth": born}
    )
    on_plan = np.arange(1, n + 1, 4)  # a quarter have had a CP plan
    plans = pa.table(
        {
            "person_id": pa.array(on_plan, pa.int64()),
            "plan_type": pa.array(["child_protection"] * len(on_plan)),
        }
    )
    return children, plans


def _outcomes(**params: object) -> dict[str, pa.Table]:
    children, plans = _inputs()
    return make_outcomes(
        children=children,
        plans=plans,
        rng=np.random.default_rng(1),
        params={"outcomes": params},
        start=START,
        end=END,
    )


def test_only_16_and_17_year_olds_have_a_status_and_plans_raise_the_neet_rate() -> None:
    children, _ = _inputs()
    born = dict(
        zip(children["person_id"].to_pylist(), children["date_of_birth"].to_pylist(), strict=True)
    )
    status = _outcomes()["education_status"].to_pylist()
    assert status
    for row in status[:: max(1, len(status) // 2000)]:
        b, m = born[row["person_id"]], row["month"]
        age = m.year - b.year - ((m.month, m.day) < (b.month, b.day))
        assert age in (16, 17), row
        assert m.day == 1
    on_plan = [r["is_neet"] for r in status if r["person_id"] % 4 == 1]
    others = [r["is_neet"] for r in status if r["person_id"] % 4 != 1]
    assert np.mean(others) == pytest.approx(DEFAULTS["neet_rate"], abs=0.015)
    assert np.mean(on_plan) == pytest.approx(DEFAULTS["neet_rate_after_statutory_plan"], abs=0.03)


def test_rapid_reviews_come_at_the_set_rate_and_some_lead_to_practice_reviews() -> None:
    reviews = _outcomes(rapid_reviews_per_10000_a_year=20.0)["learning_reviews"].to_pylist()
    rapid = [r for r in reviews if r["kind"] == "rapid_review"]
    cspr = [r for r in reviews if r["kind"] == "cspr"]
    assert len(rapid) == pytest.approx(20.0 * 2 * 3, rel=0.3)  # 20,000 children, 3 years
    assert 0 < len(cspr) < len(rapid)
    assert all(START <= r["held_on"] <= END for r in reviews)
    assert len({r["review_id"] for r in reviews}) == len(reviews)


def test_an_unknown_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcomes parameters: neet_rat"):
        _outcomes(neet_rat=0.1)
