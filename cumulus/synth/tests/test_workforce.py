"""The workforce tables hold together: places and bookings, confidence, the neglect tools used
with the children on neglect and early help plans, and audits of those children.

The inputs are small tables built by hand (no generator run, no database).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.workforce import COURSES, make_workforce

START, END = dt.date(2023, 4, 1), dt.date(2026, 3, 31)
EPOCH = dt.date(1970, 1, 1)
TABLES = ("practitioners", "training_sessions", "training_bookings", "tool_uses", "audits")
AGENCIES = [
    ("csc", "childrens_social_care"),
    ("early_help", "early_help"),
    ("health_visiting", "health_visiting"),
    ("school_nursing", "school_nursing"),
    ("hospital", "hospital"),
    ("police", "police"),
    ("adult_mental_health", "adult_mental_health"),
    ("substance_misuse", "substance_misuse"),
    ("housing", "housing"),
    *[(f"school_p{i:03d}", "school") for i in range(1, 7)],
    *[(f"school_s{i:03d}", "school") for i in range(1, 3)],
    *[(f"gp_{i:03d}", "gp") for i in range(1, 4)],
    *[(f"early_years_{i:03d}", "early_years") for i in range(1, 3)],
]


def day(date: dt.date) -> int:
    return (date - EPOCH).days


def workforce_inputs(n_children: int = 8_000, seed: int = 0) -> dict[str, pa.Table]:
    """Agencies, children and plans conforming to ``SCHEMAS``: neglect and other child
    protection plans, early help and child in need plans, started before and during the period."""
    rng = np.random.default_rng(seed)
    agencies = pa.table(
        {
            "agency_key": [key for key, _ in AGENCIES],
            "name": [f"Eastmoor {key}" for key, _ in AGENCIES],
            "agency_type": [kind for _, kind in AGENCIES],
        },
        schema=SCHEMAS["agencies"],
    )
    ids = np.arange(1, n_children + 1)
    children = pa.table(
        {
            "person_id": pa.array(ids, pa.int64()),
            "household_id": pa.array(ids // 2, pa.int32()),
            "la_child_id": [f"EM{i:08d}" for i in ids],
            "given_name": ["Sam"] * n_children,
            "family_name": ["Smith"] * n_children,
            "former_family_name": pa.array([None] * n_children, pa.string()),
            "sex": ["F"] * n_children,
            "date_of_birth": pa.array(
                rng.integers(day(END) - 18 * 365, day(END), size=n_children).astype(np.int32),
                pa.date32(),
            ),
            "nhs_number": pa.array([None] * n_children, pa.string()),
            "upn": pa.array([None] * n_children, pa.string()),
            "ethnicity": ["WBRI"] * n_children,
            "disability": ["NONE"] * n_children,
            "has_send": pa.array(np.zeros(n_children, dtype=bool)),
            "young_carer": pa.array(np.zeros(n_children, dtype=bool)),
            "neglect_proneness": pa.array(np.zeros(n_children, dtype=np.float32)),
        },
        schema=SCHEMAS["children"],
    )
    # Plans for a quarter of the children; a few children have two.
    k = n_children // 4 + n_children // 50
    person = np.concatenate(
        [rng.choice(ids, size=n_children // 4, replace=False), rng.choice(ids, n_children // 50)]
    )
    plan_type = rng.choice(
        ["child_protection", "early_help", "child_in_need", "looked_after"],
        size=k,
        p=[0.5, 0.3, 0.15, 0.05],
    )
    category = np.where(rng.random(k) < 0.7, "NEG", "EMO")
    started = rng.integers(day(START) - 300, day(END) + 1, size=k)
    ended = started + rng.integers(60, 700, size=k)
    is_cp = plan_type == "child_protection"
    plans = pa.table(
        {
            "plan_id": pa.array(np.arange(1, k + 1), pa.int64()),
            "person_id": pa.array(person, pa.int64()),
            "referral_id": pa.array(np.arange(1, k + 1), pa.int64()),
            "plan_type": plan_type.tolist(),
            "started_on": pa.array(started.astype(np.int32), pa.date32()),
            "ended_on": pa.array(ended.astype(np.int32), pa.date32(), mask=ended > day(END)),
            "initial_category": pa.array(category.tolist(), mask=~is_cp),
            "latest_category": pa.array(category.tolist(), mask=~is_cp),
            "number_of_previous_cp_plans": pa.array(np.zeros(k), pa.int16(), mask=~is_cp),
            "end_reason": pa.array(["outcomes_met"] * k, mask=ended > day(END)),
        },
        schema=SCHEMAS["plans"],
    )
    return {
        "agencies": agencies,
        "children": children,
        "plans": plans,
        "assessments": SCHEMAS["assessments"].empty_table(),
    }


def workforce(inputs: dict[str, pa.Table], seed: int = 1, **overrides: Any) -> dict[str, pa.Table]:
    return make_workforce(
        **inputs,
        rng=np.random.default_rng(seed),
        params={"workforce": overrides},
        start=START,
        end=END,
    )


@pytest.fixture(scope="module")
def inputs() -> dict[str, pa.Table]:
    return workforce_inputs()


@pytest.fixture(scope="module")
def tables(inputs: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return workforce(inputs)


def neglect_or_early_help_plans(plans: pa.Table) -> list[dict[str, Any]]:
    return [
        p
        for p in plans.to_pylist()
        if p["plan_type"] == "early_help"
        or (p["plan_type"] == "child_protection" and p["initial_category"] == "NEG")
    ]


def test_workforce_tables_match_their_schemas(tables):
    assert set(tables) == set(TABLES)
    for name in TABLES:
        assert tables[name].schema == SCHEMAS[name], name
        assert tables[name].num_rows > 0, name


def test_practitioners_in_every_agency_with_the_right_roles(inputs, tables):
    practitioners = tables["practitioners"].to_pylist()
    assert [p["practitioner_id"] for p in practitioners] == list(range(1, len(practitioners) + 1))
    usernames = [p["username"] for p in practitioners]
    assert len(set(usernames)) == len(usernames)
    assert all(re.fullmatch(r"[a-z]\.[a-z]+\d+", name) for name in usernames)
    by_agency: dict[str, Counter[str]] = {}
    for p in practitioners:
        by_agency.setdefault(p["agency_key"], Counter())[p["role"]] += 1
    assert set(by_agency) == {key for key, _ in AGENCIES}
    assert all(sum(roles.values()) >= 2 for roles in by_agency.values())
    for key, kind in AGENCIES:
        if kind in {"school", "early_years", "gp"}:
            assert by_agency[key]["designated_safeguarding_lead"] == 1, key
    csc, eh = by_agency["csc"], by_agency["early_help"]
    assert csc["team_manager"] == math.ceil(csc["social_worker"] / 8)
    assert csc["front_door_decision_maker"] >= 2
    assert csc["partnership_analyst"] >= 1
    assert 1 <= csc["partnership_administrator"] <= 2
    assert eh["early_help_practitioner"] > 0
    assert eh["team_manager"] > 0
    # Staff in proportion to the children served: 8,000 children / 80 per social worker.
    assert csc["social_worker"] == 100
    school_staff = sum(sum(by_agency[k].values()) for k, kind in AGENCIES if kind == "school")
    assert 0.8 < school_staff / (8_000 * 12 / 18 / 60) < 1.2  # two thirds are of school age
    roles = {p["role"] for p in practitioners}
    assert roles <= {
        "frontline_practitioner",
        "designated_safeguarding_lead",
        "social_worker",
        "team_manager",
        "early_help_practitioner",
        "front_door_decision_maker",
        "partnership_analyst",
        "partnership_administrator",
    }


def test_sessions_are_monthly_with_places_mostly_filled(tables):
    sessions = tables["training_sessions"].to_pylist()
    bookings = tables["training_bookings"].to_pylist()
    months = {(d.year, d.month) for d in (START + dt.timedelta(days=i) for i in range(1096))}
    for course in COURSES:
        held = {(s["held_on"].year, s["held_on"].month) for s in sessions if s["course"] == course}
        assert held == months, course
    assert all(START <= s["held_on"] <= END and s["held_on"].weekday() < 5 for s in sessions)
    places = {s["session_id"]: s["places"] for s in sessions}
    booked = Counter(b["session_id"] for b in bookings)
    assert all(booked[s] <= places[s] for s in booked)
    assert len({(b["session_id"], b["practitioner_id"]) for b in bookings}) == len(bookings)
    assert abs(len(bookings) / sum(places.values()) - 0.94) < 0.03
    assert abs(sum(b["attended"] for b in bookings) / len(bookings) - 0.85) < 0.03


def test_attended_bookings_have_confidence_before_and_after(tables):
    bookings = tables["training_bookings"].to_pylist()
    gains = []
    for b in bookings:
        if b["attended"]:
            assert 1 <= b["confidence_before"] <= 5
            assert 1 <= b["confidence_after"] <= 5
            gains.append(b["confidence_after"] - b["confidence_before"])
        else:
            assert b["confidence_before"] is None
            assert b["confidence_after"] is None
    assert 0.8 < np.mean(gains) < 1.4
    assert np.mean(np.array(gains) > 0) > 0.8


def test_each_course_reaches_its_audience_once(inputs, tables):
    agencies = inputs["agencies"]
    kind = dict(
        zip(agencies["agency_key"].to_pylist(), agencies["agency_type"].to_pylist(), strict=True)
    )
    staff = {p["practitioner_id"]: p for p in tables["practitioners"].to_pylist()}
    course = {s["session_id"]: s["course"] for s in tables["training_sessions"].to_pylist()}
    held = {s["session_id"]: s["held_on"] for s in tables["training_sessions"].to_pylist()}
    attended: dict[tuple[int, str], list[dt.date]] = {}
    family_kinds: Counter[str] = Counter()
    for b in tables["training_bookings"].to_pylist():
        who = staff[b["practitioner_id"]]
        assert who["role"] not in {"partnership_analyst", "partnership_administrator"}
        if b["attended"]:
            key = (b["practitioner_id"], course[b["session_id"]])
            attended.setdefault(key, []).append(held[b["session_id"]])
        if course[b["session_id"]] == "whole_family_approach":
            family_kinds[kind[who["agency_key"]]] += 1
    # Nobody sits through the same course again within two years (the refresher interval).
    for days in attended.values():
        assert all((b - a).days > 730 for a, b in itertools.pairwise(sorted(days)))
    main = {"adult_mental_health", "substance_misuse", "childrens_social_care"}
    assert sum(family_kinds[k] for k in main) / sum(family_kinds.values()) > 0.75
    assert family_kinds["school"] == 0


def test_tools_are_used_with_children_on_neglect_or_early_help_plans(inputs, tables):
    plans = neglect_or_early_help_plans(inputs["plans"])
    staff = {p["practitioner_id"]: p for p in tables["practitioners"].to_pylist()}
    for use in tables["tool_uses"].to_pylist():
        assert use["completed_on"] <= END
        mine = [p for p in plans if p["person_id"] == use["person_id"]]
        assert any(
            p["started_on"] <= use["completed_on"] <= p["started_on"] + dt.timedelta(days=60)
            for p in mine
        ), use
        who = staff[use["practitioner_id"]]
        if all(p["plan_type"] == "early_help" for p in mine):
            assert (who["agency_key"], who["role"]) == ("early_help", "early_help_practitioner")
        elif all(p["plan_type"] == "child_protection" for p in mine):
            assert (who["agency_key"], who["role"]) == ("csc", "social_worker")
    tools = Counter(u["tool"] for u in tables["tool_uses"].to_pylist())
    assert set(tools) == {
        "gcp2",
        "day_in_my_life",
        "impact_chronology",
        "signs_of_safety_mapping",
        "sdq",
        "genogram",
    }
    assert tools["gcp2"] == max(tools.values())


@pytest.mark.parametrize("rate", [0.6, 0.3])
def test_gcp2_share_among_neglect_plans_is_near_the_configured_rate(inputs, tables, rate):
    out = tables if rate == 0.6 else workforce(inputs, gcp2_rate=rate)
    gcp2 = out["tool_uses"].filter(pc.equal(out["tool_uses"]["tool"], "gcp2"))
    used = set(gcp2["person_id"].to_pylist())
    # Children with one neglect CP plan, started in time for the tool to be recorded.
    plans = neglect_or_early_help_plans(inputs["plans"])
    count = Counter(p["person_id"] for p in plans)
    neglect = [
        p["person_id"]
        for p in plans
        if p["plan_type"] == "child_protection"
        and count[p["person_id"]] == 1
        and p["started_on"] <= END - dt.timedelta(days=60)
    ]
    assert len(neglect) > 600
    assert abs(np.mean([p in used for p in neglect]) - rate) < 0.06


def test_audits_sample_neglect_cases_and_check_gcp2_use(inputs, tables):
    audits = tables["audits"].to_pylist()
    assert {a["theme"] for a in audits} == {"neglect"}
    held = {a["audit_id"]: a["held_on"] for a in audits}
    assert len(held) == 6  # two a year for three years
    assert all(START <= d <= END and d.weekday() < 5 for d in held.values())
    sizes = Counter(a["audit_id"] for a in audits)
    assert set(sizes.values()) == {20}
    assert len({(a["audit_id"], a["person_id"]) for a in audits}) == len(audits)
    plans = neglect_or_early_help_plans(inputs["plans"])
    gcp2: dict[int, list[dt.date]] = {}
    for use in tables["tool_uses"].to_pylist():
        if use["tool"] == "gcp2":
            gcp2.setdefault(use["person_id"], []).append(use["completed_on"])
    for a in audits:
        mine = [p for p in plans if p["person_id"] == a["person_id"]]
        assert any(p["started_on"] <= a["held_on"] for p in mine)
        lead = "csc" if any(p["plan_type"] == "child_protection" for p in mine) else "early_help"
        assert a["agency_key"] in {"csc", "early_help"}
        if lead == "early_help":
            assert a["agency_key"] == "early_help"
        assert a["gcp2_used"] == any(d <= a["held_on"] for d in gcp2.get(a["person_id"], []))
        assert a["grade"] in {"outstanding", "good", "requires_improvement", "inadequate"}


def test_audit_judgements_follow_the_configured_distribution(inputs):
    audits = workforce(inputs, children_per_audit=200)["audits"].to_pylist()
    assert len(audits) == 1_200
    assert abs(np.mean([a["voice_of_child_evident"] for a in audits]) - 0.7) < 0.05
    grades = Counter(a["grade"] for a in audits)
    expected = {"good": 0.45, "requires_improvement": 0.4, "outstanding": 0.05, "inadequate": 0.1}
    for grade, share in expected.items():
        assert abs(grades[grade] / len(audits) - share) < 0.05, grade


def test_same_generator_state_gives_the_same_tables_and_another_different_ones(inputs, tables):
    again, other = workforce(inputs, seed=1), workforce(inputs, seed=2)
    for name in TABLES:
        assert again[name].equals(tables[name]), name
    assert not all(other[name].equals(tables[name]) for name in TABLES)
    assert not other["practitioners"].equals(tables["practitioners"])
    assert not other["tool_uses"].equals(tables["tool_uses"])


def test_unknown_parameters_are_refused(inputs):
    with pytest.raises(ValueError, match="unknown workforce parameters: gcp2"):
        workforce(inputs, gcp2=0.5)
