"""The sampler: same seed same sample; strata sizes proportional with a minimum; edges."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cumulus.audits.sampler import (
    Candidate,
    SampleSizeError,
    StratumMinimumError,
    allocate,
    draw,
)


def _population(sizes: dict[str, int]) -> list[Candidate]:
    out, key = [], 0
    for plan, n in sizes.items():
        for i in range(n):
            key += 1
            out.append(Candidate(key, {"plan_type": plan, "age_band": "0-4" if i % 2 else "5-10"}))
    return out


def test_the_same_seed_draws_the_same_sample_whatever_the_input_order():
    people = _population({"cp": 40, "cin": 30, "eh": 30})
    shuffled = list(people)
    random.Random(1).shuffle(shuffled)
    a = draw(people, size=20, seed=7, strata=["plan_type"], minimum_per_stratum=2)
    b = draw(shuffled, size=20, seed=7, strata=["plan_type"], minimum_per_stratum=2)
    assert a.keys == b.keys
    assert draw(people, size=20, seed=8, strata=["plan_type"]).keys != a.keys


def test_a_simple_random_sample_has_the_size_asked_and_no_repeats():
    people = _population({"cp": 50})
    sample = draw(people, size=12, seed=3)
    assert len(sample.keys) == len(set(sample.keys)) == 12
    assert set(sample.keys) <= {c.key for c in people}
    assert sample.allocation == {"all": 12}


def test_strata_get_proportional_shares():
    people = _population({"cp": 60, "cin": 30, "eh": 10})
    sample = draw(people, size=20, seed=1, strata=["plan_type"])
    assert sample.allocation == {"plan_type=cin": 6, "plan_type=cp": 12, "plan_type=eh": 2}
    counted: dict[str, int] = {}
    for key in sample.keys:
        counted[sample.stratum_of[key]] = counted.get(sample.stratum_of[key], 0) + 1
    assert counted == sample.allocation


def test_the_minimum_per_stratum_lifts_small_strata_and_the_rest_is_shared():
    assert allocate({"a": 90, "b": 8, "c": 2}, 10, 3) == {"a": 5, "b": 3, "c": 2}


def test_a_stratum_smaller_than_its_minimum_gives_all_it_has():
    assert allocate({"a": 50, "b": 1}, 6, 3) == {"a": 5, "b": 1}


def test_two_strata_variables_cross():
    people = _population({"cp": 20, "cin": 20})
    sample = draw(people, size=8, seed=2, strata=["plan_type", "age_band"], minimum_per_stratum=1)
    assert set(sample.allocation) == {
        "plan_type=cp / age_band=0-4",
        "plan_type=cp / age_band=5-10",
        "plan_type=cin / age_band=0-4",
        "plan_type=cin / age_band=5-10",
    }
    assert sum(sample.allocation.values()) == 8


def test_an_empty_stratum_gets_nothing_and_is_reported():
    people = _population({"cp": 10})
    sample = draw(people, size=4, seed=1, strata=["plan_type"], levels={"plan_type": ["cp", "eh"]})
    assert sample.empty_strata == ["plan_type=eh"]
    assert sample.allocation == {"plan_type=cp": 4}


def test_a_sample_larger_than_the_population_is_refused():
    with pytest.raises(SampleSizeError, match="cannot be drawn from a population of 5"):
        draw(_population({"cp": 5}), size=6, seed=1)


def test_an_empty_population_is_refused():
    with pytest.raises(SampleSizeError, match="empty"):
        draw([], size=1, seed=1)


def test_minimums_that_do_not_fit_the_sample_are_refused():
    with pytest.raises(StratumMinimumError):
        draw(
            _population({"a": 5, "b": 5, "c": 5}),
            size=5,
            seed=1,
            strata=["plan_type"],
            minimum_per_stratum=2,
        )


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 40), min_size=1),
    data=st.data(),
)
def test_allocation_adds_up_and_never_exceeds_a_stratum(sizes, data):
    total = data.draw(st.integers(1, sum(sizes.values())))
    minimum = data.draw(st.integers(0, max(0, total // len(sizes))))
    alloc = allocate(sizes, total, minimum)
    assert sum(alloc.values()) == total
    assert all(0 <= alloc[s] <= sizes[s] for s in sizes)
    assert all(alloc[s] >= min(minimum, sizes[s]) for s in sizes)
