"""The partnership's workforce and the work the neglect indicators count.

Why: several indicators are about practitioners, not children: training places filled and
attended by agency, confidence before and after (Bury 1-3 and 11, Hillingdon, Newcastle), use of
the graded care profile and the other neglect tools with the children who need them (Hillingdon's
GCP2 measure, Bury 4, Cumbria's toolkit), and neglect-themed multi-agency audits (voice of the
child evident, Hillingdon). This module makes those tables from the population and its plans:
practitioners per agency (with the roles Cumulus's accounts use), monthly training sessions and
their bookings, tool uses for children on neglect child protection plans and early help plans,
and audits that sample those children.

Everything is drawn with numpy from one generator, so the same generator state gives the same
tables; the only Python loops are over sessions, audits and practitioners' usernames.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.person.en_GB import Provider as PersonProvider

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import merged_parameters

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
EPOCH = dt.date(1970, 1, 1)
YEAR = 365.25

COURSES: tuple[str, ...] = (
    "neglect_basic",
    "neglect_advanced",
    "gcp2",
    "age_appropriate_communication",
    "whole_family_approach",
)
TOOLS: tuple[str, ...] = (
    "gcp2",
    "day_in_my_life",
    "impact_chronology",
    "signs_of_safety_mapping",
    "sdq",
    "genogram",
)
GRADES: tuple[str, ...] = ("outstanding", "good", "requires_improvement", "inadequate")
# Roles that do not take places on practice training.
NOT_TRAINED = frozenset({"partnership_analyst", "partnership_administrator"})

# ``params["workforce"]`` overrides any of these; mappings are merged key by key.
DEFAULTS: dict[str, Any] = {
    # Children served per practitioner, by agency type; each agency of a type gets an equal share
    # of the children that type serves (schools: school age; health visiting: under fives;
    # early years: two to four; midwifery: under ones and unborn; others: every child).
    "children_per_practitioner": {
        "school": 60,
        "gp": 250,
        "health_visiting": 150,
        "police": 400,
        "childrens_social_care": 80,
        "early_help": 150,
        "early_years": 40,
        "school_nursing": 1500,
        "midwifery": 40,
        "hospital": 600,
        "camhs": 1500,
        "adult_mental_health": 1500,
        "substance_misuse": 2000,
        "probation": 3000,
        "housing": 3000,
        "voluntary_sector": 2000,
        "default": 3000,
    },
    "minimum_per_agency": 2,
    "social_workers_per_team_manager": 8,
    "social_workers_per_front_door_decision_maker": 60,  # at least two
    "children_per_partnership_analyst": 150_000,  # at least one
    "partnership_administrators": 1,  # two above 100,000 children
    # Training: every course runs at least once a month, more often for a large audience, with
    # up to ``places_per_session`` places (fewer, down to ``minimum_places``, for a small one)
    # so that about ``yearly_uptake`` of the audience books each year. Someone who attended a
    # course may book it again as a refresher after ``refresher_days``.
    "places_per_session": 20,
    "minimum_places": 6,
    "refresher_days": 730,
    "places_filled": 0.94,  # Hillingdon: 94% of training places filled
    "attended_share": 0.85,  # of bookings
    "confidence_before_mean": 2.5,  # self-rated confidence on a 1-5 scale
    "confidence_gain_mean": 1.2,
    # Share of a course's audience offered a place each year.
    "yearly_uptake": {
        "neglect_basic": 0.3,
        "neglect_advanced": 0.1,
        "gcp2": 0.12,
        "age_appropriate_communication": 0.12,
        "whole_family_approach": 0.15,
    },
    # Who books each course: a weight per practitioner by agency type (0: never).
    "course_audience": {
        "neglect_basic": {
            "school": 3,
            "early_years": 3,
            "health_visiting": 3,
            "school_nursing": 3,
            "midwifery": 3,
            "gp": 2,
            "hospital": 2,
            "childrens_social_care": 3,
            "early_help": 3,
            "police": 1,
            "housing": 1,
            "voluntary_sector": 1,
            "camhs": 1,
            "adult_mental_health": 1,
            "substance_misuse": 1,
            "probation": 1,
        },
        "neglect_advanced": {
            "childrens_social_care": 4,
            "early_help": 3,
            "health_visiting": 2,
            "school_nursing": 2,
            "school": 1,
            "early_years": 1,
        },
        "gcp2": {
            "childrens_social_care": 4,
            "early_help": 4,
            "health_visiting": 2,
            "school_nursing": 1,
            "early_years": 1,
            "school": 0.5,
        },
        "age_appropriate_communication": {
            "school": 3,
            "early_years": 3,
            "police": 2,
            "health_visiting": 2,
            "childrens_social_care": 2,
            "early_help": 2,
            "school_nursing": 1,
        },
        "whole_family_approach": {
            "adult_mental_health": 6,
            "substance_misuse": 6,
            "probation": 3,
            "childrens_social_care": 4,
            "early_help": 1,
            "housing": 1,
        },
    },
    # Tools: share of neglect child protection plans and early help plans with each tool,
    # completed within ``tool_within_days`` of the plan's start.
    "gcp2_rate": 0.6,
    "tool_rates": {
        "day_in_my_life": 0.35,
        "impact_chronology": 0.3,
        "signs_of_safety_mapping": 0.4,
        "sdq": 0.25,
        "genogram": 0.3,
    },
    "tool_within_days": 60,
    # Audits: neglect-themed, sampling children on those plans in the months before.
    "audits_per_year": 2,
    "children_per_audit": 20,
    "audit_lookback_days": 183,
    "voice_of_child_evident": 0.7,
    "audit_grades": {
        "outstanding": 0.05,
        "good": 0.45,
        "requires_improvement": 0.4,
        "inadequate": 0.1,
    },
}


def make_workforce(
    *,
    agencies: pa.Table,
    children: pa.Table,
    plans: pa.Table,
    assessments: pa.Table,
    rng: np.random.Generator,
    params: Mapping[str, Any],
    start: dt.date,
    end: dt.date,
) -> dict[str, pa.Table]:
    """Practitioners, training sessions and bookings, tool uses and audits for ``[start, end]``.

    ``assessments`` is accepted for tools used at assessment, which are not generated yet.
    """
    del assessments
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    p = _settings(params)
    first, last = _day(start), _day(end)
    practitioners = _practitioners(agencies, children, rng, p, last)
    sessions, bookings = _training(practitioners, agencies, rng, p, first, last)
    tool_uses = _tool_uses(practitioners, agencies, plans, rng, p, last)
    audits = _audits(agencies, plans, tool_uses, rng, p, first, last)
    return {
        "practitioners": practitioners,
        "training_sessions": sessions,
        "training_bookings": bookings,
        "tool_uses": tool_uses,
        "audits": audits,
    }


def _settings(params: Mapping[str, Any]) -> dict[str, Any]:
    return merged_parameters("workforce", DEFAULTS, params)


# -- practitioners ----------------------------------------------------------------------------


def _practitioners(
    agencies: pa.Table,
    children: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    last: int,
) -> pa.Table:
    keys: list[str] = agencies.column("agency_key").to_pylist()
    kinds: list[str] = agencies.column("agency_type").to_pylist()
    served = _served(children, last)
    per: Mapping[str, float] = p["children_per_practitioner"]
    same_kind = {kind: kinds.count(kind) for kind in kinds}
    minimum = int(p["minimum_per_agency"])
    rows: list[tuple[str, str]] = []
    for key, kind in zip(keys, kinds, strict=True):
        share = served.get(kind, served["all"]) / same_kind[kind]
        count = max(minimum, round(share / float(per.get(kind, per["default"]))))
        rows.extend((key, role) for role in _roles(kind, count, p))
    n_children = served["all"]
    central = _key_of(keys, kinds, "childrens_social_care", keys[0] if keys else "csc")
    analysts = max(1, round(n_children / float(p["children_per_partnership_analyst"])))
    admins = int(p["partnership_administrators"]) + (1 if n_children > 100_000 else 0)
    rows += [(central, "partnership_analyst")] * analysts
    rows += [(central, "partnership_administrator")] * admins

    n = len(rows)
    female = np.array(PersonProvider.first_names_female)
    male = np.array(PersonProvider.first_names_male)
    surnames = np.array(list(PersonProvider.last_names))
    is_female = rng.random(n) < 0.75
    given = np.where(is_female, rng.choice(female, n), rng.choice(male, n))
    family = rng.choice(surnames, n)
    suffix = rng.integers(1, 100, size=n)
    return pa.table(
        {
            "practitioner_id": pa.array(np.arange(1, n + 1), pa.int32()),
            "agency_key": pa.array([row[0] for row in rows], pa.string()),
            "username": pa.array(_usernames(given, family, suffix), pa.string()),
            "given_name": pa.array(given.tolist(), pa.string()),
            "family_name": pa.array(family.tolist(), pa.string()),
            "role": pa.array([row[1] for row in rows], pa.string()),
        },
        schema=SCHEMAS["practitioners"],
    )


def _served(children: pa.Table, last: int) -> dict[str, float]:
    """How many children each agency type serves at the end of the period ("all": 0-17)."""
    born = np.asarray(
        pc.fill_null(children.column("date_of_birth").cast(pa.int32()), last).to_numpy(),
        dtype=np.int64,
    )
    age = (last - born) / YEAR
    return {
        "all": float(((age >= 0) & (age < 18)).sum()),
        "school": float(((age >= 4.5) & (age < 16.5)).sum()),
        "health_visiting": float(((age >= 0) & (age < 5)).sum()),
        "early_years": float(((age >= 2) & (age < 4.5)).sum()),
        "midwifery": float((age < 1).sum()),
    }


def _roles(kind: str, count: int, p: Mapping[str, Any]) -> list[str]:
    """The roles of an agency's ``count`` practitioners (managers and the front door on top)."""
    if kind == "childrens_social_care":
        managers = math.ceil(count / float(p["social_workers_per_team_manager"]))
        front_door = max(2, round(count / float(p["social_workers_per_front_door_decision_maker"])))
        return (
            ["team_manager"] * managers
            + ["front_door_decision_maker"] * front_door
            + ["social_worker"] * count
        )
    if kind == "early_help":
        managers = math.ceil(count / float(p["social_workers_per_team_manager"]))
        return ["team_manager"] * managers + ["early_help_practitioner"] * count
    return ["designated_safeguarding_lead"] + ["frontline_practitioner"] * (count - 1)


def _usernames(
    given: npt.NDArray[np.str_], family: npt.NDArray[np.str_], suffix: IntArray
) -> list[str]:
    """Unique usernames like "a.khan42": initial, surname, a number (bumped on a clash)."""
    taken: set[str] = set()
    out: list[str] = []
    for first, last, number in zip(given.tolist(), family.tolist(), suffix.tolist(), strict=True):
        stem = f"{first[:1].lower()}.{''.join(ch for ch in last.lower() if ch.isalpha())}"
        while f"{stem}{number}" in taken:
            number += 1
        taken.add(f"{stem}{number}")
        out.append(f"{stem}{number}")
    return out


# -- training ---------------------------------------------------------------------------------


def _training(
    practitioners: pa.Table,
    agencies: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    first: int,
    last: int,
) -> tuple[pa.Table, pa.Table]:
    kind_of = dict(
        zip(
            agencies.column("agency_key").to_pylist(),
            agencies.column("agency_type").to_pylist(),
            strict=True,
        )
    )
    staff_kind = [kind_of.get(key, "") for key in practitioners.column("agency_key").to_pylist()]
    trainable = ~np.isin(
        np.asarray(practitioners.column("role").to_pylist(), dtype=object), list(NOT_TRAINED)
    )
    staff_ids = np.asarray(practitioners.column("practitioner_id").to_numpy(), dtype=np.int64)
    most, fewest = int(p["places_per_session"]), int(p["minimum_places"])
    refresher = int(p["refresher_days"])
    months = _month_starts(first, last)

    s_course: list[str] = []
    s_day: list[int] = []
    s_places: list[int] = []
    b_session: list[IntArray] = []
    b_staff: list[IntArray] = []
    b_attended: list[BoolArray] = []
    for course in COURSES:
        audience: Mapping[str, float] = p["course_audience"].get(course, {})
        weight = np.array([float(audience.get(kind, 0.0)) for kind in staff_kind]) * trainable
        eligible = int((weight > 0).sum())
        if eligible == 0:
            continue
        wanted = eligible * float(p["yearly_uptake"][course]) / 12  # places a month
        per_month = max(1, math.ceil(wanted / most))
        places = int(np.clip(round(wanted / per_month), min(fewest, most), most))
        last_attended = np.full(staff_ids.size, np.iinfo(np.int32).min, dtype=np.int64)
        for month in months:
            for day in np.sort(_weekdays_in_month(rng, month, per_month)).tolist():
                if not first <= day <= last:
                    continue
                s_course.append(course)
                s_day.append(day)
                s_places.append(places)
                session_id = len(s_course)
                available = (weight > 0) & (day - last_attended > refresher)
                booked = min(int(rng.binomial(places, p["places_filled"])), int(available.sum()))
                who = _weighted_sample(rng, np.where(available, weight, 0.0), booked)
                attended = rng.random(booked) < p["attended_share"]
                last_attended[who[attended]] = day
                b_session.append(np.full(booked, session_id, dtype=np.int64))
                b_staff.append(staff_ids[who])
                b_attended.append(attended)

    sessions = pa.table(
        {
            "session_id": pa.array(np.arange(1, len(s_course) + 1), pa.int32()),
            "course": pa.array(s_course, pa.string()),
            "held_on": _dates(np.asarray(s_day, dtype=np.int64)),
            "places": pa.array(s_places, pa.int16()),
        },
        schema=SCHEMAS["training_sessions"],
    )
    attended_all = _concat_bool(b_attended)
    k = attended_all.size
    before = np.clip(np.rint(rng.normal(float(p["confidence_before_mean"]), 0.8, k)), 1, 4)
    gain = np.rint(rng.normal(float(p["confidence_gain_mean"]), 0.6, k))
    after = np.clip(before + gain, 1, 5)
    bookings = pa.table(
        {
            "session_id": pa.array(_concat_int(b_session), pa.int32()),
            "practitioner_id": pa.array(_concat_int(b_staff), pa.int32()),
            "attended": pa.array(attended_all, pa.bool_()),
            "confidence_before": pa.array(before.astype(np.int8), pa.int8(), mask=~attended_all),
            "confidence_after": pa.array(after.astype(np.int8), pa.int8(), mask=~attended_all),
        },
        schema=SCHEMAS["training_bookings"],
    )
    return sessions, bookings


def _weighted_sample(rng: np.random.Generator, weight: FloatArray, size: int) -> IntArray:
    """``size`` distinct indices, each drawn with probability proportional to ``weight``
    (Efraimidis-Spirakis keys); indices with weight 0 are never drawn."""
    if size <= 0:
        return np.zeros(0, dtype=np.int64)
    with np.errstate(divide="ignore"):
        keys = np.where(weight > 0, rng.exponential(size=weight.size) / weight, np.inf)
    return np.sort(np.argpartition(keys, size - 1)[:size]).astype(np.int64)


def _weekdays_in_month(rng: np.random.Generator, month: int, count: int) -> IntArray:
    """``count`` weekdays (day numbers) in the month starting on day ``month``."""
    offsets = rng.integers(0, 24, size=count)
    days = (np.asarray(month + offsets, dtype=np.int64)).astype("datetime64[D]")
    return np.asarray(np.busday_offset(days, 0, roll="forward").astype(np.int64), dtype=np.int64)


# -- tools ------------------------------------------------------------------------------------


def _tool_uses(
    practitioners: pa.Table,
    agencies: pa.Table,
    plans: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    last: int,
) -> pa.Table:
    person, started, ended, is_cp = _neglect_plans(plans)
    n = person.size
    social_workers = _staff(practitioners, agencies, "childrens_social_care", "social_worker")
    early_help = _staff(practitioners, agencies, "early_help", "early_help_practitioner")
    rates = {"gcp2": float(p["gcp2_rate"]), **{k: float(v) for k, v in p["tool_rates"].items()}}
    window = int(p["tool_within_days"])
    out_person: list[IntArray] = []
    out_tool: list[str] = []
    out_day: list[IntArray] = []
    out_staff: list[IntArray] = []
    for tool in TOOLS:
        used = rng.random(n) < rates.get(tool, 0.0)
        day = np.minimum(started + rng.integers(0, window + 1, size=n), ended)
        staff = np.where(is_cp, _assign(rng, social_workers, n), _assign(rng, early_help, n))
        keep = used & (day <= last) & (staff > 0)
        out_person.append(person[keep])
        out_tool += [tool] * int(keep.sum())
        out_day.append(day[keep])
        out_staff.append(staff[keep])
    all_person, all_day, all_staff = (
        _concat_int(out_person),
        _concat_int(out_day),
        _concat_int(out_staff),
    )
    tool_index = np.array([TOOLS.index(t) for t in out_tool], dtype=np.int64)
    order = np.lexsort((tool_index, all_person, all_day))
    return pa.table(
        {
            "person_id": pa.array(all_person[order], pa.int64()),
            "tool": pa.array(np.array(TOOLS, dtype=object)[tool_index[order]], pa.string()),
            "completed_on": _dates(all_day[order]),
            "practitioner_id": pa.array(all_staff[order], pa.int32()),
        },
        schema=SCHEMAS["tool_uses"],
    )


def _assign(rng: np.random.Generator, pool: IntArray, size: int) -> IntArray:
    """``size`` practitioner ids drawn from ``pool`` (0, no one, if the pool is empty)."""
    if pool.size == 0:
        rng.integers(0, 1, size=size)  # the same draws either way
        return np.zeros(size, dtype=np.int64)
    return pool[rng.integers(0, pool.size, size=size)]


def _neglect_plans(plans: pa.Table) -> tuple[IntArray, IntArray, IntArray, BoolArray]:
    """Child protection plans under neglect and early help plans: person, start, end (far
    future if open) and whether each is a CP plan."""
    plan_type = plans.column("plan_type")
    cp = pc.fill_null(
        pc.and_(
            pc.equal(plan_type, "child_protection"),
            pc.equal(plans.column("initial_category"), "NEG"),
        ),
        False,
    )
    wanted = pc.or_(cp, pc.fill_null(pc.equal(plan_type, "early_help"), False))
    chosen = plans.filter(wanted)
    never = np.iinfo(np.int32).max
    return (
        np.asarray(chosen.column("person_id").to_numpy(), dtype=np.int64),
        _days(chosen, "started_on", 0),
        _days(chosen, "ended_on", never),
        np.asarray(pc.equal(chosen.column("plan_type"), "child_protection").to_numpy(), dtype=bool),
    )


def _staff(practitioners: pa.Table, agencies: pa.Table, kind: str, role: str) -> IntArray:
    """Ids of practitioners with ``role`` in agencies of type ``kind`` (any role there if none
    has it)."""
    keys = agencies.filter(pc.equal(agencies.column("agency_type"), kind)).column("agency_key")
    there = practitioners.filter(pc.is_in(practitioners.column("agency_key"), value_set=keys))
    with_role = there.filter(pc.equal(there.column("role"), role))
    chosen = with_role if with_role.num_rows else there
    return np.asarray(chosen.column("practitioner_id").to_numpy(), dtype=np.int64)


# -- audits -----------------------------------------------------------------------------------


def _audits(
    agencies: pa.Table,
    plans: pa.Table,
    tool_uses: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    first: int,
    last: int,
) -> pa.Table:
    person, started, ended, is_cp = _neglect_plans(plans)
    keys: list[str] = agencies.column("agency_key").to_pylist()
    kinds: list[str] = agencies.column("agency_type").to_pylist()
    csc = _key_of(keys, kinds, "childrens_social_care", "csc")
    eh = _key_of(keys, kinds, "early_help", "early_help")

    # Each child's first GCP2, for "was a GCP2 used before the audit?".
    gcp2 = tool_uses.filter(pc.equal(tool_uses.column("tool"), "gcp2"))
    gcp2_person = np.asarray(gcp2.column("person_id").to_numpy(), dtype=np.int64)
    gcp2_day = _days(gcp2, "completed_on", 0)
    order = np.lexsort((gcp2_day, gcp2_person))
    gcp2_person, gcp2_day = gcp2_person[order], gcp2_day[order]
    firsts = np.ones(gcp2_person.size, dtype=bool)
    firsts[1:] = gcp2_person[1:] != gcp2_person[:-1]
    gcp2_person, gcp2_day = gcp2_person[firsts], gcp2_day[firsts]

    span = last - first + 1
    n_audits = max(1, round(span / YEAR * float(p["audits_per_year"])))
    lookback = int(p["audit_lookback_days"])
    size = int(p["children_per_audit"])
    grade_p = np.array([float(p["audit_grades"][g]) for g in GRADES])
    a_id: list[IntArray] = []
    a_day: list[IntArray] = []
    a_person: list[IntArray] = []
    a_cp: list[BoolArray] = []
    for audit in range(n_audits):
        held = first + int((audit + 0.5) * span / n_audits)
        held = int(np.busday_offset(np.datetime64(held, "D"), 0, roll="backward").astype(np.int64))
        held = max(first, held)
        active = (started <= held) & (ended >= max(first, held - lookback))
        # One row per child: a child protection plan leads over an early help plan.
        ranked = np.lexsort((~is_cp[active], person[active]))
        cand_person, cand_cp = person[active][ranked], is_cp[active][ranked]
        one = np.ones(cand_person.size, dtype=bool)
        one[1:] = cand_person[1:] != cand_person[:-1]
        cand_person, cand_cp = cand_person[one], cand_cp[one]
        if cand_person.size == 0:
            continue
        pick = np.sort(
            rng.choice(cand_person.size, size=min(size, cand_person.size), replace=False)
        )
        a_id.append(np.full(pick.size, audit + 1, dtype=np.int64))
        a_day.append(np.full(pick.size, held, dtype=np.int64))
        a_person.append(cand_person[pick])
        a_cp.append(cand_cp[pick])

    audited = _concat_int(a_person)
    held_on = _concat_int(a_day)
    k = audited.size
    at = np.minimum(np.searchsorted(gcp2_person, audited), max(0, gcp2_person.size - 1))
    has_gcp2 = (
        (gcp2_person[at] == audited) & (gcp2_day[at] <= held_on)
        if gcp2_person.size
        else np.zeros(k, dtype=bool)
    )
    return pa.table(
        {
            "audit_id": pa.array(_concat_int(a_id), pa.int32()),
            "theme": pa.array(["neglect"] * k, pa.string()),
            "held_on": _dates(held_on),
            "person_id": pa.array(audited, pa.int64()),
            "agency_key": pa.array(np.where(_concat_bool(a_cp), csc, eh).tolist(), pa.string()),
            "voice_of_child_evident": pa.array(
                rng.random(k) < float(p["voice_of_child_evident"]), pa.bool_()
            ),
            "gcp2_used": pa.array(has_gcp2, pa.bool_()),
            "grade": pa.array(
                np.array(GRADES, dtype=object)[
                    rng.choice(len(GRADES), size=k, p=grade_p / grade_p.sum())
                ],
                pa.string(),
            ),
        },
        schema=SCHEMAS["audits"],
    )


# -- helpers ----------------------------------------------------------------------------------


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


def _days(table: pa.Table, name: str, null: int) -> IntArray:
    values = pc.fill_null(table.column(name).cast(pa.int32()), null)
    return np.asarray(values.to_numpy(), dtype=np.int64)


def _dates(days: IntArray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


def _month_starts(first: int, last: int) -> IntArray:
    lo = np.datetime64(first, "D").astype("datetime64[M]")
    hi = np.datetime64(last, "D").astype("datetime64[M]")
    months = np.arange(lo, hi + np.timedelta64(1, "M"))
    return np.asarray(months.astype("datetime64[D]").astype(np.int64))


def _key_of(keys: list[str], kinds: list[str], kind: str, fallback: str) -> str:
    """The key of the first agency of type ``kind``."""
    return next((key for key, k in zip(keys, kinds, strict=True) if k == kind), fallback)


def _concat_int(parts: list[IntArray]) -> IntArray:
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def _concat_bool(parts: list[BoolArray]) -> BoolArray:
    return np.concatenate(parts).astype(bool) if parts else np.zeros(0, dtype=bool)
