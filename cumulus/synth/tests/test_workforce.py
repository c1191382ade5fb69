"""The workforce tables hold together: places, bookings, tools used with children on plans."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.engine.schema import SCHEMAS


@pytest.fixture(scope="module")
def partnership() -> dict[str, pa.Table]:
    return generate(SynthConfig(children=8_000, years=2, seed=4))


def test_workforce_tables_match_their_schemas(partnership):
    for name in ("practitioners", "training_sessions", "training_bookings", "tool_uses", "audits"):
        assert partnership[name].schema == SCHEMAS[name], name
        assert partnership[name].num_rows > 0, name


def test_every_agency_has_practitioners_and_usernames_are_unique(partnership):
    practitioners = partnership["practitioners"]
    assert set(practitioners["agency_key"].to_pylist()) == set(
        partnership["agencies"]["agency_key"].to_pylist()
    )
    assert pc.count_distinct(practitioners["username"]).as_py() == practitioners.num_rows
    roles = set(practitioners["role"].to_pylist())
    assert {"designated_safeguarding_lead", "social_worker", "team_manager"} <= roles


def test_bookings_never_exceed_places_and_attendance_has_confidence(partnership):
    sessions = partnership["training_sessions"]
    bookings = partnership["training_bookings"]
    per_session = bookings.group_by("session_id").aggregate([("practitioner_id", "count")])
    places = dict(
        zip(sessions["session_id"].to_pylist(), sessions["places"].to_pylist(), strict=True)
    )
    for session, booked in zip(
        per_session["session_id"].to_pylist(),
        per_session["practitioner_id_count"].to_pylist(),
        strict=True,
    ):
        assert booked <= places[session]
    attended = bookings.filter(bookings["attended"])
    assert attended["confidence_before"].null_count == 0
    assert attended["confidence_after"].null_count == 0
    not_attended = bookings.filter(pc.invert(bookings["attended"]))
    assert not_attended["confidence_after"].null_count == not_attended.num_rows
    filled = bookings.num_rows / pc.sum(sessions["places"]).as_py()
    assert 0.85 < filled <= 1.0
    gain = pc.mean(pc.subtract(attended["confidence_after"], attended["confidence_before"])).as_py()
    assert gain > 1


def test_tools_are_used_with_children_on_neglect_or_early_help_plans(partnership):
    plans = partnership["plans"]
    on_plans = set(plans["person_id"].to_pylist())
    tools = partnership["tool_uses"]
    assert set(tools["person_id"].to_pylist()) <= on_plans
    gcp2 = set(tools.filter(pc.equal(tools["tool"], "gcp2"))["person_id"].to_pylist())
    neglect = plans.filter(pc.fill_null(pc.equal(plans["initial_category"], "NEG"), False))
    share = np.mean([p in gcp2 for p in set(neglect["person_id"].to_pylist())])
    assert 0.4 < share < 0.9


def test_audits_sample_neglect_cases_and_check_gcp2_use(partnership):
    audits = partnership["audits"]
    assert set(audits["theme"].to_pylist()) == {"neglect"}
    tools = partnership["tool_uses"].filter(pc.equal(partnership["tool_uses"]["tool"], "gcp2"))
    used = {}
    for person, day in zip(
        tools["person_id"].to_pylist(), tools["completed_on"].to_pylist(), strict=True
    ):
        used.setdefault(person, []).append(day)
    for row in audits.to_pylist():
        expected = any(day <= row["held_on"] for day in used.get(row["person_id"], []))
        assert row["gcp2_used"] == expected
