"""The partnership's workforce and what it does that the indicators count: practitioners per
agency, neglect training (sessions, places, attendance, confidence before and after), use of the
neglect tools with the children who need them, and neglect-themed multi-agency audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.person.en_GB import Provider as PersonProvider

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import as_table, dates, day_number

DEFAULTS: dict[str, Any] = {
    # Children per practitioner by agency type (at least two practitioners per agency).
    "children_per_practitioner": {
        "school": 60,
        "gp": 250,
        "health_visiting": 150,
        "police": 400,
        "childrens_social_care": 80,
        "early_help": 150,
        "early_years": 120,
        "default": 3000,
    },
    "places_per_session": 20,
    "places_filled": 0.94,  # Hillingdon: 94% of training places filled
    "attendance_of_booked": 0.85,
    "gcp2_rate": 0.6,
    "tool_rates": {
        "day_in_my_life": 0.35,
        "impact_chronology": 0.3,
        "signs_of_safety_mapping": 0.4,
        "sdq": 0.25,
        "genogram": 0.3,
    },
    "audits_per_year": 2,
    "children_per_audit": 20,
    "voice_of_child_evident": 0.7,
}
COURSES = {
    # course: agency types it is mainly for
    "neglect_basic": ("school", "early_years", "health_visiting", "gp", "police", "early_help"),
    "neglect_advanced": ("childrens_social_care", "early_help", "health_visiting", "school"),
    "gcp2": ("early_help", "childrens_social_care", "health_visiting"),
    "age_appropriate_communication": ("school", "early_years", "police", "health_visiting"),
    "whole_family_approach": ("adult_mental_health", "substance_misuse", "childrens_social_care"),
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
    p = {**DEFAULTS, **params.get("workforce", {})}
    practitioners = _practitioners(agencies, children.num_rows, rng, p)
    sessions, bookings = _training(practitioners, agencies, rng, p, start, end)
    tool_uses = _tool_uses(practitioners, plans, rng, p, end)
    audits = _audits(plans, tool_uses, rng, p, start, end)
    del assessments
    return {
        "practitioners": practitioners,
        "training_sessions": sessions,
        "training_bookings": bookings,
        "tool_uses": tool_uses,
        "audits": audits,
    }


def _practitioners(
    agencies: pa.Table, n_children: int, rng: np.random.Generator, p: Mapping[str, Any]
) -> pa.Table:
    keys = agencies["agency_key"].to_pylist()
    kinds = agencies["agency_type"].to_pylist()
    per = p["children_per_practitioner"]
    same_kind = {k: kinds.count(k) for k in set(kinds)}
    rows: list[tuple[str, str]] = []
    for key, kind in zip(keys, kinds, strict=True):
        count = max(2, round(n_children / per.get(kind, per["default"]) / same_kind[kind]))
        roles = ["frontline_practitioner"] * count
        if kind in {"school", "early_years", "gp"}:
            roles[0] = "designated_safeguarding_lead"
        elif kind == "childrens_social_care":
            roles = ["social_worker"] * count
            for i in range(0, count, 8):
                roles[i] = "team_manager"
            roles[1] = "front_door_decision_maker"
            roles[-1] = "partnership_administrator"
            roles.append("partnership_analyst")
        elif kind == "early_help":
            roles = ["early_help_practitioner"] * count
            roles[0] = "team_manager"
        rows.extend((key, role) for role in roles)
    n = len(rows)
    male = np.array(PersonProvider.first_names_male)
    female = np.array(PersonProvider.first_names_female)
    last = np.array(list(PersonProvider.last_names))
    given = np.where(rng.random(n) < 0.7, rng.choice(female, n), rng.choice(male, n))
    family = rng.choice(last, n)
    usernames = [
        f"{g[0].lower()}.{f.lower().replace(' ', '').replace(chr(39), '')}{i + 1}"
        for i, (g, f) in enumerate(zip(given, family, strict=True))
    ]
    return as_table(
        {
            "practitioner_id": np.arange(1, n + 1, dtype=np.int32),
            "agency_key": [r[0] for r in rows],
            "username": usernames,
            "given_name": given,
            "family_name": family,
            "role": [r[1] for r in rows],
        },
        SCHEMAS["practitioners"],
    )


def _training(
    practitioners: pa.Table,
    agencies: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    start: dt.date,
    end: dt.date,
) -> tuple[pa.Table, pa.Table]:
    kind_of = dict(
        zip(agencies["agency_key"].to_pylist(), agencies["agency_type"].to_pylist(), strict=True)
    )
    staff_kind = np.array([kind_of[a] for a in practitioners["agency_key"].to_pylist()])
    staff_ids = practitioners["practitioner_id"].to_numpy()
    first, last = day_number(start), day_number(end)
    month_starts = (
        np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + np.timedelta64(1, "M"))
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    s_rows: dict[str, list[Any]] = {"course": [], "held": [], "places": []}
    b_rows: dict[str, list[Any]] = {
        "session": [],
        "who": [],
        "attended": [],
        "before": [],
        "after": [],
    }
    session_id = 0
    places = int(p["places_per_session"])
    for month_start in month_starts:
        for course, audience in COURSES.items():
            eligible = staff_ids[np.isin(staff_kind, audience)]
            if eligible.size == 0:
                continue
            held = int(np.clip(month_start + rng.integers(3, 25), first, last))
            session_id += 1
            s_rows["course"].append(course)
            s_rows["held"].append(held)
            s_rows["places"].append(places)
            booked = min(eligible.size, int(rng.binomial(places, p["places_filled"])))
            who = rng.choice(eligible, size=booked, replace=False)
            attended = rng.random(booked) < p["attendance_of_booked"]
            before = rng.integers(2, 8, size=booked)
            after = np.clip(before + rng.integers(0, 5, size=booked), 1, 10)
            b_rows["session"].append(np.full(booked, session_id))
            b_rows["who"].append(who)
            b_rows["attended"].append(attended)
            b_rows["before"].append(np.where(attended, before, -1))
            b_rows["after"].append(np.where(attended, after, -1))
    sessions = as_table(
        {
            "session_id": np.arange(1, session_id + 1, dtype=np.int32),
            "course": s_rows["course"],
            "held_on": dates(s_rows["held"]),
            "places": np.asarray(s_rows["places"], dtype=np.int16),
        },
        SCHEMAS["training_sessions"],
    )
    attended_all = np.concatenate(b_rows["attended"]) if b_rows["attended"] else np.zeros(0, bool)
    before_all = np.concatenate(b_rows["before"]) if b_rows["before"] else np.zeros(0, np.int64)
    after_all = np.concatenate(b_rows["after"]) if b_rows["after"] else np.zeros(0, np.int64)
    bookings = as_table(
        {
            "session_id": np.concatenate(b_rows["session"]).astype(np.int32),
            "practitioner_id": np.concatenate(b_rows["who"]).astype(np.int32),
            "attended": attended_all,
            "confidence_before": pa.array(before_all.astype(np.int8), mask=~attended_all),
            "confidence_after": pa.array(after_all.astype(np.int8), mask=~attended_all),
        },
        SCHEMAS["training_bookings"],
    )
    return sessions, bookings


def _tool_uses(
    practitioners: pa.Table,
    plans: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    end: dt.date,
) -> pa.Table:
    is_neglect_cp = pc.and_(
        pc.equal(plans["plan_type"], "child_protection"),
        pc.equal(plans["initial_category"], "NEG"),
    )
    wanted = pc.or_(pc.fill_null(is_neglect_cp, False), pc.equal(plans["plan_type"], "early_help"))
    chosen = plans.filter(wanted)
    person = chosen["person_id"].to_numpy()
    started = np.asarray(chosen["started_on"].cast(pa.int32()).to_numpy(), dtype=np.int64)
    early_help = np.asarray(chosen["plan_type"].to_pylist()) == "early_help"
    roles = np.asarray(practitioners["role"].to_pylist())
    ids = practitioners["practitioner_id"].to_numpy()
    eh_staff = ids[roles == "early_help_practitioner"]
    sw_staff = ids[roles == "social_worker"]
    last = day_number(end)
    cols: dict[str, list[Any]] = {"person": [], "tool": [], "day": [], "who": []}
    for tool, rate in [("gcp2", p["gcp2_rate"]), *p["tool_rates"].items()]:
        used = rng.random(person.size) < rate
        day = started + rng.integers(0, 60, size=person.size)
        used &= day <= last
        staff = np.where(
            early_help,
            rng.choice(eh_staff if eh_staff.size else ids, size=person.size),
            rng.choice(sw_staff if sw_staff.size else ids, size=person.size),
        )
        cols["person"].append(person[used])
        cols["tool"].append(np.full(int(used.sum()), tool, dtype=object))
        cols["day"].append(day[used])
        cols["who"].append(staff[used])
    return as_table(
        {
            "person_id": np.concatenate(cols["person"]).astype(np.int64),
            "tool": np.concatenate(cols["tool"]),
            "completed_on": dates(np.concatenate(cols["day"])),
            "practitioner_id": np.concatenate(cols["who"]).astype(np.int32),
        },
        SCHEMAS["tool_uses"],
    )


def _audits(
    plans: pa.Table,
    tool_uses: pa.Table,
    rng: np.random.Generator,
    p: Mapping[str, Any],
    start: dt.date,
    end: dt.date,
) -> pa.Table:
    neglect = pc.fill_null(pc.equal(plans["initial_category"], "NEG"), False)
    eh = pc.equal(plans["plan_type"], "early_help")
    candidates = plans.filter(pc.or_(neglect, eh))
    person = candidates["person_id"].to_numpy()
    started = np.asarray(candidates["started_on"].cast(pa.int32()).to_numpy(), dtype=np.int64)
    lead = np.where(
        np.asarray(candidates["plan_type"].to_pylist()) == "early_help", "early_help", "csc"
    )
    gcp2 = tool_uses.filter(pc.equal(tool_uses["tool"], "gcp2"))
    gcp2_person = gcp2["person_id"].to_numpy()
    gcp2_day = np.asarray(gcp2["completed_on"].cast(pa.int32()).to_numpy(), dtype=np.int64)
    first, last = day_number(start), day_number(end)
    n_audits = max(1, round((last - first) / 365.25 * p["audits_per_year"]))
    cols: dict[str, list[Any]] = {
        k: [] for k in ("audit", "held", "person", "lead", "voice", "gcp2")
    }
    for audit in range(1, n_audits + 1):
        held = first + int((last - first) * audit / (n_audits + 1))
        eligible = np.flatnonzero(started < held)
        if eligible.size == 0:
            continue
        pick = rng.choice(eligible, size=min(eligible.size, p["children_per_audit"]), replace=False)
        used = np.array(
            [bool(((gcp2_person == person[i]) & (gcp2_day <= held)).any()) for i in pick]
        )
        cols["audit"].append(np.full(pick.size, audit))
        cols["held"].append(np.full(pick.size, held))
        cols["person"].append(person[pick])
        cols["lead"].append(lead[pick])
        cols["voice"].append(rng.random(pick.size) < p["voice_of_child_evident"])
        cols["gcp2"].append(used)
    grades = rng.choice(
        np.array(["outstanding", "good", "requires_improvement", "inadequate"]),
        size=sum(len(c) for c in cols["audit"]),
        p=[0.05, 0.45, 0.4, 0.1],
    )

    def joined(name: str, dtype: Any) -> np.ndarray[Any, Any]:
        return np.concatenate(cols[name]) if cols[name] else np.empty(0, dtype=dtype)

    return as_table(
        {
            "audit_id": joined("audit", np.int32).astype(np.int32),
            "theme": np.full(grades.size, "neglect"),
            "held_on": dates(joined("held", np.int64)),
            "person_id": joined("person", np.int64).astype(np.int64),
            "agency_key": joined("lead", object),
            "voice_of_child_evident": joined("voice", bool),
            "gcp2_used": joined("gcp2", bool),
            "grade": grades,
        },
        SCHEMAS["audits"],
    )
