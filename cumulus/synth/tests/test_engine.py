"""The synthetic partnership: calibrated to national figures, deterministic, and showing the
dynamics the strategies describe. No database: the engine is pure numpy and pyarrow."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.engine.report import calibration_report
from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import day_number


@pytest.fixture(scope="module")
def partnership() -> tuple[SynthConfig, dict[str, pa.Table]]:
    config = SynthConfig(children=50_000, years=3, seed=1)
    return config, generate(config)


def _days(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(column.cast(pa.int32()), 10**7).to_numpy(), dtype=np.int64)


def test_every_table_matches_its_schema(partnership):
    _, tables = partnership
    assert set(tables) == set(SCHEMAS)
    for name, table in tables.items():
        assert table.schema == SCHEMAS[name], name


def test_calibration_is_within_tolerance_of_every_national_target(partnership):
    config, tables = partnership
    rows = calibration_report(tables, config)
    assert {r.name for r in rows} == set(config.parameters["targets"])
    misses = [f"{r.name}: {r.generated} vs {r.target} ±{r.tolerance:.0%}" for r in rows if not r.ok]
    assert not misses, misses


def test_population_is_the_requested_size_on_the_last_day(partnership):
    config, tables = partnership
    dob = _days(tables["children"]["date_of_birth"])
    end = day_number(config.end_date)
    aged_0_17 = ((dob <= end) & (end - dob < 18 * 365.25)).sum()
    assert abs(aged_0_17 - config.children) / config.children < 0.02


def test_poverty_is_concentrated_in_deprived_neighbourhoods(partnership):
    _, tables = partnership
    households = tables["households"].join(tables["neighbourhoods"], "lsoa_id")
    decile = households["imd_decile"].to_numpy()
    poor = households["in_poverty"].to_numpy(zero_copy_only=False)
    assert poor[decile == 1].mean() > 0.5
    assert poor[decile == 10].mean() < 0.06


def test_same_seed_gives_identical_tables_and_another_seed_does_not():
    first = generate(SynthConfig(children=1_500, years=2, seed=7))
    again = generate(SynthConfig(children=1_500, years=2, seed=7))
    other = generate(SynthConfig(children=1_500, years=2, seed=8))
    for name in SCHEMAS:
        assert first[name].equals(again[name]), name
    assert not first["children"].equals(other["children"])
    assert not first["events"].equals(other["events"])


def test_re_referrals_follow_step_down_and_closure_more_in_relapse_prone_families(partnership):
    _, tables = partnership
    referrals = tables["referrals"]
    person = referrals["person_id"].to_numpy()
    day = _days(referrals["referred_on"])
    order = np.lexsort((day, person))
    again = np.zeros(person.size, dtype=bool)
    again[order[1:]] = person[order][1:] == person[order][:-1]
    children = tables["children"].join(tables["households"], "household_id")
    prone = dict(
        zip(
            children["person_id"].to_pylist(),
            children["relapse_prone"].to_pylist(),
            strict=True,
        )
    )
    re_referred = set(person[again].tolist())
    referred = set(person.tolist())
    rate_prone = np.mean([c in re_referred for c in referred if prone[c]])
    rate_other = np.mean([c in re_referred for c in referred if not prone[c]])
    assert again.sum() > 100
    assert rate_prone > rate_other * 1.15
    stepped_down = pc.equal(tables["plans"]["end_reason"], "step_down")
    stepped_children = set(tables["plans"].filter(stepped_down)["person_id"].to_pylist())
    assert stepped_children & re_referred


def test_neglect_plans_are_preceded_by_low_level_events_from_several_agencies(partnership):
    config, tables = partnership
    plans = tables["plans"]
    neglect = plans.filter(
        pc.and_(
            pc.equal(plans["plan_type"], "child_protection"),
            pc.equal(plans["initial_category"], "NEG"),
        )
    )
    start = _days(neglect["started_on"])
    keep = start >= day_number(config.start_date) + 365
    events = tables["events"].filter(
        pc.invert(pc.starts_with(tables["events"]["event_type"], "casework."))
    )
    e_person = events["person_id"].to_numpy()
    e_day = events["occurred_at"].cast(pa.int64()).to_numpy() // 86_400_000_000
    e_agency = np.asarray(events["agency_key"].to_pylist(), dtype=object)

    low_level = np.isin(
        np.asarray(events["event_type"].to_pylist()),
        ["health.appointment_attended", "health.mandated_check", "health.ed_attendance"],
        invert=True,
    )

    def agencies_before(child: int, day: int) -> int:
        sel = (e_person == child) & (e_day < day) & (e_day >= day - 365) & low_level
        return len(set(e_agency[sel]))

    plan_children = neglect["person_id"].to_numpy()[keep][:150]
    plan_days = start[keep][:150]
    with_plan = [agencies_before(c, d) for c, d in zip(plan_children, plan_days, strict=True)]
    rng = np.random.default_rng(0)
    others = rng.choice(
        np.setdiff1d(tables["children"]["person_id"].to_numpy(), plan_children), 150
    )
    without = [agencies_before(c, d) for c, d in zip(others, plan_days, strict=True)]
    assert len(with_plan) >= 50
    # Several agencies each saw something in the year before the plan, more than for others.
    assert np.median(with_plan) >= 2
    assert np.mean(with_plan) > np.mean(without) + 0.5
    assert np.mean([n >= 2 for n in with_plan]) > 2 * np.mean([n >= 2 for n in without])


def test_poverty_raises_unmet_need_without_being_neglect(partnership):
    _, tables = partnership
    states = tables["need_states"]
    children = tables["children"].join(tables["households"], "household_id")
    poor = dict(
        zip(children["person_id"].to_pylist(), children["in_poverty"].to_pylist(), strict=True)
    )
    ever = states.group_by("person_id").aggregate(
        [("neglect_level", "max"), ("material_need", "any")]
    )
    person = ever["person_id"].to_pylist()
    # Significant neglect (level 2 or 3), not the emerging needs early help meets.
    neglected = ever["neglect_level_max"].to_numpy() >= 2
    material = ever["material_need_any"].to_numpy(zero_copy_only=False)
    is_poor = np.array([poor[p] for p in person])
    assert material[is_poor].mean() > 0.9
    # Most poor children are never neglected, and neglect is likelier, not certain, in poverty.
    assert (~neglected[is_poor]).mean() > 0.6
    assert neglected[is_poor].mean() > neglected[~is_poor].mean()


def test_each_adult_service_records_concerns_from_its_own_risk(partnership):
    """A parent with mental ill health and substance misuse is known to both services (the
    household toxic trio rule needs to see both), at the same rate as with either alone."""
    _, tables = partnership
    events = tables["events"].filter(
        pc.equal(tables["events"]["event_type"], "adults.parental_concern")
    )
    children = tables["children"].join(tables["households"], "household_id")
    joined = events.join(
        children.select(
            ["person_id", "household_id", "parental_mental_health", "substance_misuse"]
        ),
        "person_id",
    )
    service = np.asarray(joined["agency_key"].to_pylist(), dtype=object)
    mh = joined["parental_mental_health"].to_numpy(zero_copy_only=False)
    sm = joined["substance_misuse"].to_numpy(zero_copy_only=False)
    assert set(service) == {"adult_mental_health", "substance_misuse"}
    assert mh[service == "adult_mental_health"].all()
    assert sm[service == "substance_misuse"].all()

    household = joined["household_id"].to_numpy()
    both = mh & sm
    seen_by = {
        name: set(household[both & (service == name)].tolist())
        for name in ("adult_mental_health", "substance_misuse")
    }
    households = tables["households"]
    dual = pc.and_(households["parental_mental_health"], households["substance_misuse"])
    n_dual = int(pc.sum(dual).as_py())
    known_to_both = seen_by["adult_mental_health"] & seen_by["substance_misuse"]
    assert n_dual >= 100
    assert len(known_to_both) > 0.3 * n_dual

    # Mental health concerns per child are as common beside substance misuse as without it.
    c_mh = children["parental_mental_health"].to_numpy(zero_copy_only=False)
    c_sm = children["substance_misuse"].to_numpy(zero_copy_only=False)
    amh = service == "adult_mental_health"
    per_child_with = (amh & sm).sum() / (c_mh & c_sm).sum()
    per_child_without = (amh & ~sm).sum() / (c_mh & ~c_sm).sum()
    assert 0.75 < per_child_with / per_child_without < 1.33


def test_attendance_is_weekly_sessions_not_half_days(partnership):
    _, tables = partnership
    attendance = tables["attendance"]
    possible = attendance["sessions_possible"].to_numpy()
    attended = attendance["sessions_attended"].to_numpy()
    assert set(np.unique(possible)) <= {5, 8, 10}
    assert (attended <= possible).all()
    assert (attended >= 0).all()
    weeks = _days(attendance["week_start"])
    assert (np.asarray(weeks.astype("datetime64[D]").astype(dt.date)[:100])).size == 100
    assert (((weeks - 4) % 7) == 0).all()  # 1 January 1970 was a Thursday: Mondays are 4 mod 7


def test_identifiers_are_synthetic_and_valid(partnership):
    from cumulus.core.identifiers import (
        SYNTHETIC_UPN_LA_CODE,
        UPN_LA_CODES,
        validate_nhs_number,
        validate_upn,
    )

    _, tables = partnership
    children = tables["children"].slice(0, 2_000)
    for nhs in children["nhs_number"].drop_null().to_pylist():
        assert nhs.startswith("999")
        validate_nhs_number(nhs)
    for upn in children["upn"].drop_null().to_pylist():
        assert upn[1:4] == SYNTHETIC_UPN_LA_CODE
        assert upn[1:4] in UPN_LA_CODES  # so the synthetic census passes CIN rule 1530
        validate_upn(upn)
    numbers = tables["children"]["nhs_number"].drop_null()
    assert pc.count_distinct(numbers).as_py() == len(numbers)
