"""What each agency would record, month by month, driven by the latent state with noise.

Health (appointments and was-not-brought, mandated checks, immunisations, A&E, dental
extractions, faltering growth), schools and early years (concerns, exclusions, weekly
attendance), police (domestic abuse, missing, unsupervised), housing and adult services, and
the casework milestones themselves. Attendance is one row per pupil per school week (sessions
possible and attended), not one per half-day, which would be billions of rows at scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.pathway import Pathway
from cumulus.synth.engine.population import Population
from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import BoolArray, IntArray, as_table, dates, day_number

YEAR = 365.25
NONE = np.array(None, dtype=object)  # a null for np.where over object arrays
SIGNIFICANCE = {
    "health.appointment_attended": "low",
    "health.was_not_brought": "medium",
    "health.mandated_check": "low",
    "health.immunisation_missed": "medium",
    "health.ed_attendance": "medium",
    "health.dental_extraction": "high",
    "health.faltering_growth": "high",
    "education.dsl_concern": "medium",
    "early_years.concern": "medium",
    "education.exclusion": "medium",
    "education.persistent_absence": "high",
    "police.domestic_abuse": "high",
    "police.missing_episode": "high",
    "police.child_unsupervised": "high",
    "housing.poor_conditions": "medium",
    "housing.homelessness": "high",
    "adults.parental_concern": "medium",
    "home.conditions_concern": "high",
}
NEGLECT_RELATED = {
    "health.was_not_brought",
    "health.immunisation_missed",
    "health.dental_extraction",
    "health.faltering_growth",
    "education.dsl_concern",
    "early_years.concern",
    "police.child_unsupervised",
    "home.conditions_concern",
    "education.persistent_absence",
}


@dataclass
class EventRows:
    person: list[IntArray] = field(default_factory=list)
    agency: list[np.ndarray[Any, Any]] = field(default_factory=list)
    kind: list[np.ndarray[Any, Any]] = field(default_factory=list)
    day: list[IntArray] = field(default_factory=list)
    significance: list[np.ndarray[Any, Any]] = field(default_factory=list)
    neglect_type: list[np.ndarray[Any, Any]] = field(default_factory=list)

    def add(
        self,
        person: IntArray,
        agency: Any,
        kind: str,
        day: IntArray,
        neglect_type: np.ndarray[Any, Any] | None = None,
        significance: str | None = None,
    ) -> None:
        n = person.size
        if n == 0:
            return
        self.person.append(person)
        self.agency.append(np.broadcast_to(np.asarray(agency, dtype=object), (n,)))
        self.kind.append(np.full(n, kind, dtype=object))
        self.day.append(day)
        self.significance.append(
            np.full(n, significance or SIGNIFICANCE.get(kind, "low"), dtype=object)
        )
        nt = neglect_type if neglect_type is not None else np.full(n, None, dtype=object)
        self.neglect_type.append(np.asarray(nt, dtype=object))


class Places:
    """Which school, GP practice, early years setting each child attends."""

    def __init__(self, population: Population, rng: np.random.Generator, take_up: BoolArray):
        lsoa = population.household_lsoa[population.child_household]
        keys = population.agency_keys
        self.primary = np.array(keys["primary"], dtype=object)[population.lsoa_primary[lsoa]]
        self.secondary = np.array(keys["secondary"], dtype=object)[population.lsoa_secondary[lsoa]]
        self.gp = np.array(keys["gp"], dtype=object)[population.lsoa_gp[lsoa]]
        self.early_years = np.array(keys["early_years"], dtype=object)[
            population.lsoa_early_years[lsoa]
        ]
        self.takes_up_early_years = take_up
        del rng

    def school(self, age: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.where(
            (age >= 4.5) & (age < 11.5),
            self.primary,
            np.where((age >= 11.5) & (age < 16.5), self.secondary, NONE),
        )


def not_none(values: np.ndarray[Any, Any]) -> BoolArray:
    """Elementwise "is not None" over an object array."""
    return np.asarray(np.not_equal(values, NONE), dtype=bool)


def _pick(rng: np.random.Generator, rates: np.ndarray[Any, Any]) -> IntArray:
    """Indices of children with an event, repeated by a Poisson count at the given rates."""
    counts = rng.poisson(np.clip(rates, 0, None))
    return np.repeat(np.arange(rates.size), counts)


def generate_events(
    config: SynthConfig,
    population: Population,
    pathway: Pathway,
    casework: Mapping[str, pa.Table],
) -> dict[str, pa.Table]:
    params = config.parameters
    ev, att = params["events"], params["attendance"]
    rng = config.rng("events")
    second_service_rng = config.rng("events-second-adult-service")
    n = population.child_id.size
    dob = population.child_dob
    hh = population.child_household
    risks = {k: v[hh] for k, v in population.household_risks.items()}
    poor = population.household_poverty[hh]
    ntype = pathway.neglect_type.astype(object)
    take_up_draw = rng.random(n)
    places = Places(population, rng, take_up_draw < att["early_years_take_up"])
    rows = EventRows()
    first = pathway.period_first_month
    months = pathway.months
    arr = {k: np.asarray(v) for k, v in ev.items() if isinstance(v, list)}

    for month in range(first, months.size - 1):
        s, e = int(months[month]), int(months[month + 1]) - 1
        span = e - s + 1
        alive = pathway.alive[month]
        level = pathway.level[month].astype(np.int64)
        care = pathway.in_care[month]
        age = (s - dob) / YEAR
        home = alive & ~care

        def days(k: int, s: int = s, span: int = span) -> IntArray:
            return s + rng.integers(0, span, size=k)

        def type_if_neglect(
            idx: IntArray, level: np.ndarray[Any, Any] = level
        ) -> np.ndarray[Any, Any]:
            return np.where(level[idx] >= 1, ntype[idx], NONE)

        # GP appointments: attended or not brought.
        idx = _pick(rng, np.where(alive, ev["gp_appointments_per_year"] / 12, 0.0))
        wnb = rng.random(idx.size) < arr["was_not_brought_share"][level[idx]]
        rows.add(
            idx[~wnb], places.gp[idx[~wnb]], "health.appointment_attended", days(int((~wnb).sum()))
        )
        rows.add(
            idx[wnb],
            places.gp[idx[wnb]],
            "health.was_not_brought",
            days(int(wnb.sum())),
            type_if_neglect(idx[wnb]),
        )
        # Health visiting: mandated checks and immunisations at set ages.
        for check_age in (14, 42, 365, 760):
            due = np.flatnonzero(alive & (dob + check_age >= s) & (dob + check_age <= e))
            missed = rng.random(due.size) < arr["mandated_check_missed_share"][level[due]]
            rows.add(
                due[~missed],
                "health_visiting",
                "health.mandated_check",
                dob[due[~missed]] + check_age,
            )
            rows.add(
                due[missed],
                "health_visiting",
                "health.was_not_brought",
                dob[due[missed]] + check_age,
                type_if_neglect(due[missed]),
            )
        for jab_age in (61, 91, 122, 372, 1230):
            due = np.flatnonzero(home & (dob + jab_age >= s) & (dob + jab_age <= e))
            missed = due[rng.random(due.size) < arr["immunisation_missed_share"][level[due]]]
            rows.add(
                missed,
                places.gp[missed],
                "health.immunisation_missed",
                dob[missed] + jab_age,
                type_if_neglect(missed),
            )
        # Hospital.
        idx = _pick(rng, np.where(alive, arr["ed_attendances_per_year"][level] / 12, 0.0))
        rows.add(idx, "hospital", "health.ed_attendance", days(idx.size))
        idx = _pick(
            rng, np.where(home & (age >= 2), arr["dental_extraction_per_year"][level] / 12, 0.0)
        )
        rows.add(idx, "hospital", "health.dental_extraction", days(idx.size), type_if_neglect(idx))
        idx = _pick(
            rng,
            np.where(home & (age < 5), arr["faltering_growth_per_year_under_5"][level] / 12, 0.0),
        )
        rows.add(
            idx, "health_visiting", "health.faltering_growth", days(idx.size), type_if_neglect(idx)
        )
        # Schools and early years.
        school = places.school(age)
        in_school = alive & not_none(school)
        idx = np.flatnonzero(in_school & (rng.random(n) < arr["dsl_concern_per_month"][level]))
        rows.add(idx, school[idx], "education.dsl_concern", days(idx.size), type_if_neglect(idx))
        secondary = in_school & (age >= 11.5)
        idx = _pick(rng, np.where(secondary, arr["exclusion_per_year_secondary"][level] / 12, 0.0))
        rows.add(idx, school[idx], "education.exclusion", days(idx.size))
        in_ey = alive & (age >= 2) & (age < 4.5) & places.takes_up_early_years
        idx = np.flatnonzero(in_ey & (rng.random(n) < arr["early_years_concern_per_month"][level]))
        rows.add(
            idx,
            places.early_years[idx],
            "early_years.concern",
            days(idx.size),
            type_if_neglect(idx),
        )
        # Police.
        da_household = _pick(
            rng,
            np.where(
                population.household_risks["domestic_abuse"],
                ev["domestic_abuse_incidents_per_year"] / 12,
                0.0,
            ),
        )
        if da_household.size:
            incident_day = days(da_household.size)
            children_by_household = np.argsort(hh, kind="stable")
            starts = np.searchsorted(hh[children_by_household], da_household, side="left")
            stops = np.searchsorted(hh[children_by_household], da_household, side="right")
            counts = stops - starts
            rep = np.repeat(np.arange(da_household.size), counts)
            offs = np.arange(rep.size) - np.repeat(np.cumsum(counts) - counts, counts)
            kids = children_by_household[starts[rep] + offs]
            ok = home[kids]
            rows.add(kids[ok], "police", "police.domestic_abuse", incident_day[rep][ok])
        idx = np.flatnonzero(
            alive
            & (age >= 12)
            & (rng.random(n) < arr["missing_per_month_adolescent"][level] * np.where(care, 4, 1))
        )
        rows.add(idx, "police", "police.missing_episode", days(idx.size))
        idx = np.flatnonzero(
            home
            & (age >= 1)
            & (age < 11)
            & (rng.random(n) < arr["unsupervised_per_month_under_11"][level])
        )
        rows.add(
            idx,
            "police",
            "police.child_unsupervised",
            days(idx.size),
            np.full(idx.size, "supervision", dtype=object),
        )
        # Housing and adult services (per child of the household, simplified to per child).
        idx = _pick(
            rng, np.where(home & poor, ev["housing_poor_conditions_per_year_poor"] / 12, 0.0)
        )
        rows.add(idx, "housing", "housing.poor_conditions", days(idx.size))
        idx = _pick(rng, np.where(home & poor, ev["homelessness_per_year_poor"] / 12, 0.0))
        rows.add(idx, "housing", "housing.homelessness", days(idx.size))
        # Each adult service records concerns about the parent it works with, at the same rate,
        # so a parent with both needs is known to both (the toxic trio rule needs that). The
        # events stream draws the first service's concerns (substance misuse where the household
        # has it, else mental health), as it always has; the second, mental health beside
        # substance misuse, has its own stream, so adding it moved no other draw.
        adults_rate = ev["adult_services_concern_per_year"] / 12
        parent_needs = risks["parental_mental_health"] | risks["substance_misuse"]
        idx = _pick(rng, np.where(home & parent_needs, adults_rate, 0.0))
        service = np.where(
            risks["substance_misuse"][idx], "substance_misuse", "adult_mental_health"
        )
        rows.add(idx, service, "adults.parental_concern", days(idx.size))
        both = risks["parental_mental_health"] & risks["substance_misuse"]
        idx = _pick(second_service_rng, np.where(home & both, adults_rate, 0.0))
        rows.add(
            idx,
            "adult_mental_health",
            "adults.parental_concern",
            s + second_service_rng.integers(0, span, size=idx.size),
        )
        idx = np.flatnonzero(home & (rng.random(n) < np.array([0, 0.004, 0.03, 0.07])[level]))
        who = np.where(
            age[idx] < 5,
            "health_visiting",
            np.where(not_none(school[idx]), school[idx], "early_help"),
        )
        rows.add(idx, who, "home.conditions_concern", days(idx.size), type_if_neglect(idx))

    attendance, pa_rows = _attendance(config, population, pathway, places, rng)
    for person, agency, day in pa_rows:
        rows.add(
            person,
            agency,
            "education.persistent_absence",
            day,
            np.where(pathway.level[-2][person] >= 1, ntype[person], NONE),
        )
    _casework_events(rows, casework, population)
    events = _events_table(rows, population, config)
    involvements = _involvements(config, population, places, casework, events)
    return {"events": events, "attendance": attendance, "involvements": involvements}


def _events_table(rows: EventRows, population: Population, config: SynthConfig) -> pa.Table:
    start, end = day_number(config.start_date), day_number(config.end_date)
    day = np.concatenate(rows.day).astype(np.int64)
    keep = (day >= start) & (day <= end)
    person = np.concatenate(rows.person)[keep]
    order = np.lexsort((day[keep], person))
    rng = config.rng("event-times")
    seconds = day[keep][order] * 86_400 + rng.integers(8 * 3600, 20 * 3600, size=order.size)
    return as_table(
        {
            "event_id": np.arange(1, order.size + 1, dtype=np.int64),
            "person_id": population.child_id[person[order]],
            "agency_key": pa.array(np.concatenate(rows.agency)[keep][order], type=pa.string()),
            "event_type": pa.array(np.concatenate(rows.kind)[keep][order], type=pa.string()),
            "occurred_at": pa.array(seconds * 1_000_000, type=pa.int64()).cast(
                pa.timestamp("us", tz="UTC")
            ),
            "significance": pa.array(
                np.concatenate(rows.significance)[keep][order], type=pa.string()
            ),
            "neglect_type": pa.array(
                np.concatenate(rows.neglect_type)[keep][order], type=pa.string()
            ),
        },
        SCHEMAS["events"],
    )


def school_weeks(start: dt.date, end: dt.date) -> list[dt.date]:
    """Mondays of English school term weeks (holidays approximated the same every year)."""
    weeks = []
    day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    while day <= end:
        md = (day.month, day.day)
        holiday = (
            (7, 22) <= md < (9, 3)  # summer
            or md >= (12, 20)
            or md < (1, 4)  # Christmas
            or (3, 29) <= md < (4, 12)  # Easter
            or (10, 24) <= md < (10, 31)  # autumn half-term
            or (2, 13) <= md < (2, 20)  # spring half-term
            or (5, 25) <= md < (6, 1)  # summer half-term
        )
        if not holiday:
            weeks.append(day)
        day += dt.timedelta(days=7)
    return weeks


def _attendance(
    config: SynthConfig,
    population: Population,
    pathway: Pathway,
    places: Places,
    rng: np.random.Generator,
) -> tuple[pa.Table, list[tuple[IntArray, np.ndarray[Any, Any], IntArray]]]:
    att = config.parameters["attendance"]
    n = population.child_id.size
    dob = population.child_dob
    poor = population.household_poverty[population.child_household]
    add_level = np.asarray(att["absence_add_by_neglect_level"])
    mean, conc = att["absence_mean"], att["absence_concentration"]
    yearly = rng.beta(mean * conc, (1 - mean) * conc, size=(config.years + 2, n))
    keys = np.array(sorted({*places.primary, *places.secondary, *places.early_years}), dtype=object)
    code = {key: i for i, key in enumerate(keys)}
    primary = np.array([code[k] for k in places.primary], dtype=np.int16)
    secondary = np.array([code[k] for k in places.secondary], dtype=np.int16)
    early_years = np.array([code[k] for k in places.early_years], dtype=np.int16)
    cols: dict[str, list[Any]] = {
        "person": [],
        "agency": [],
        "week": [],
        "possible": [],
        "attended": [],
    }
    missed_so_far = np.zeros(n, dtype=np.int32)
    possible_so_far = np.zeros(n, dtype=np.int32)
    flagged = np.zeros(n, dtype=bool)
    flags: list[tuple[IntArray, np.ndarray[Any, Any], IntArray]] = []
    month_index = {int(m): i for i, m in enumerate(pathway.months)}
    for monday in school_weeks(config.start_date, config.end_date):
        if monday.month == 9 and monday.day < 10:  # a new academic year starts the count again
            missed_so_far[:] = 0
            possible_so_far[:] = 0
            flagged[:] = False
        w = day_number(monday)
        month = month_index[day_number(monday.replace(day=1))]
        alive = pathway.alive[month] & ~pathway.in_care[month]
        level = pathway.level[month].astype(np.int64)
        age = (w - dob) / YEAR
        school = np.where(
            (age >= 4.5) & (age < 11.5),
            primary,
            np.where((age >= 11.5) & (age < 16.5), secondary, -1),
        )
        pupils = np.flatnonzero(alive & (school >= 0))
        year_index = monday.year - config.start_date.year
        rate = np.clip(
            yearly[year_index, pupils]
            + add_level[level[pupils]]
            + np.where(poor[pupils], att["absence_add_if_poor"], 0.0),
            0,
            0.95,
        )
        week_rate = np.clip(rate * rng.gamma(0.7, 1 / 0.7, size=pupils.size), 0, 1)
        sessions = 8 if (monday.month == 5 and monday.day <= 7) else 10
        missed = rng.binomial(sessions, week_rate).astype(np.int8)
        cols["person"].append(pupils.astype(np.int32))
        cols["agency"].append(school[pupils])
        cols["week"].append(np.full(pupils.size, w, dtype=np.int32))
        cols["possible"].append(np.full(pupils.size, sessions, dtype=np.int8))
        cols["attended"].append(sessions - missed)
        missed_so_far[pupils] += missed
        possible_so_far[pupils] += sessions
        newly = pupils[
            (missed_so_far[pupils] >= 0.1 * possible_so_far[pupils])
            & (possible_so_far[pupils] >= 60)
            & ~flagged[pupils]
        ]
        if newly.size:
            flagged[newly] = True
            flags.append((newly, keys[school[newly]], np.full(newly.size, w + 4)))
        # Childcare for under-fives who take up their funded hours (five sessions a week).
        ey = np.flatnonzero(alive & (age >= 2) & (age < 4.5) & places.takes_up_early_years)
        ey_rate = np.clip(0.08 + add_level[level[ey]] * 1.5, 0, 0.95)
        cols["person"].append(ey.astype(np.int32))
        cols["agency"].append(early_years[ey])
        cols["week"].append(np.full(ey.size, w, dtype=np.int32))
        cols["possible"].append(np.full(ey.size, 5, dtype=np.int8))
        cols["attended"].append((5 - rng.binomial(5, ey_rate)).astype(np.int8))

    def joined(name: str, dtype: Any) -> np.ndarray[Any, Any]:
        chunks = cols[name]
        return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)

    person = joined("person", np.int32)
    table = as_table(
        {
            "person_id": population.child_id[person],
            "agency_key": pa.DictionaryArray.from_arrays(
                pa.array(joined("agency", np.int16)), pa.array(keys.astype(str))
            ),
            "week_start": dates(joined("week", np.int32)),
            "sessions_possible": joined("possible", np.int8),
            "sessions_attended": joined("attended", np.int8),
        },
        SCHEMAS["attendance"],
    )
    del person
    return table, flags


def _casework_events(
    rows: EventRows, casework: Mapping[str, pa.Table], population: Population
) -> None:
    index_of = np.full(int(population.child_id.max()) + 1, -1, dtype=np.int64)
    index_of[population.child_id] = np.arange(population.child_id.size)

    def col_days(table: pa.Table, name: str) -> tuple[IntArray, BoolArray]:
        values = table[name].cast(pa.int32())
        valid = pc.is_valid(values).to_numpy(zero_copy_only=False)
        return np.asarray(
            pc.fill_null(values, 0).to_numpy(zero_copy_only=False), dtype=np.int64
        ), valid

    def person(table: pa.Table) -> IntArray:
        return index_of[table["person_id"].to_numpy()]

    contacts = casework["contacts"]
    d, ok = col_days(contacts, "received_on")
    rows.add(
        person(contacts)[ok],
        contacts["agency_key"].to_numpy(zero_copy_only=False)[ok],
        "casework.contact",
        d[ok],
        significance="medium",
    )
    referrals = casework["referrals"]
    d, ok = col_days(referrals, "referred_on")
    rows.add(person(referrals)[ok], "csc", "casework.referral", d[ok], significance="high")
    d, ok = col_days(referrals, "closed_on")
    rows.add(person(referrals)[ok], "csc", "casework.case_closed", d[ok], significance="medium")
    assessments = casework["assessments"]
    kinds = assessments["assessment_type"].to_numpy(zero_copy_only=False)
    who = np.where(kinds == "early_help", "early_help", "csc")
    start_kind = {
        "early_help": "casework.early_help_assessment",
        "child_and_family": "casework.assessment_start",
        "section_47": "casework.section_47",
    }
    d, ok = col_days(assessments, "started_on")
    p = person(assessments)
    for kind, code in start_kind.items():
        sel = ok & (kinds == kind)
        rows.add(
            p[sel],
            who[sel],
            code,
            d[sel],
            significance="high" if kind == "section_47" else "medium",
        )
    d, ok = col_days(assessments, "authorised_on")
    sel = ok & (kinds != "section_47")
    rows.add(p[sel], who[sel], "casework.assessment_complete", d[sel], significance="medium")
    d, ok = col_days(assessments, "initial_conference_on")
    rows.add(p[ok], "csc", "casework.initial_conference", d[ok], significance="high")
    plans = casework["plans"]
    kinds = plans["plan_type"].to_numpy(zero_copy_only=False)
    who = np.where(kinds == "early_help", "early_help", "csc")
    p = person(plans)
    d, ok = col_days(plans, "started_on")
    rows.add(p[ok], who[ok], "casework.plan_start", d[ok], significance="high")
    d, ok = col_days(plans, "ended_on")
    reasons = np.asarray(plans["end_reason"].to_pylist(), dtype=object)
    end_code: np.ndarray[Any, Any] = np.where(
        reasons == "step_down",
        "casework.step_down",
        np.where(reasons == "step_up", "casework.step_up", "casework.plan_end"),
    )
    for c in ("casework.step_down", "casework.step_up", "casework.plan_end"):
        sel = ok & (end_code == c)
        rows.add(p[sel], who[sel], c, d[sel], significance="high")
    reviews = casework["reviews"]
    if reviews.num_rows:
        plan_person = dict(zip(plans["plan_id"].to_pylist(), p.tolist(), strict=True))
        rp = np.array([plan_person[x] for x in reviews["plan_id"].to_pylist()], dtype=np.int64)
        d, ok = col_days(reviews, "held_on")
        rows.add(rp[ok], "csc", "casework.review", d[ok], significance="medium")


def _involvements(
    config: SynthConfig,
    population: Population,
    places: Places,
    casework: Mapping[str, pa.Table],
    events: pa.Table,
) -> pa.Table:
    start, end = day_number(config.start_date), day_number(config.end_date)
    dob = population.child_dob
    n = dob.size
    idx = np.arange(n)
    cols: dict[str, list[Any]] = {"person": [], "agency": [], "role": [], "start": [], "end": []}

    def add(sel: IntArray, agency: Any, role: str, s: IntArray, e: IntArray) -> None:
        """``agency`` is one key, or one key per element of ``sel``."""
        keep = (s <= end) & (e >= start) & (e >= s)
        agencies = (
            np.full(sel.size, agency, dtype=object)
            if np.ndim(agency) == 0
            else np.asarray(agency, dtype=object)
        )
        cols["person"].append(population.child_id[sel[keep]])
        cols["agency"].append(agencies[keep])
        cols["role"].append(np.full(int(keep.sum()), role, dtype=object))
        cols["start"].append(np.maximum(s[keep], start))
        cols["end"].append(e[keep])

    add(idx, places.gp, "Registered GP practice", dob, dob + int(18 * YEAR) - 1)
    add(idx, "health_visiting", "Health visitor", dob, dob + int(5 * YEAR) - 1)
    add(idx, places.primary, "Class teacher", dob + int(4.5 * YEAR), dob + int(11.5 * YEAR) - 1)
    add(idx, places.secondary, "Head of year", dob + int(11.5 * YEAR), dob + int(16.5 * YEAR) - 1)
    ey = idx[places.takes_up_early_years]
    add(
        ey,
        places.early_years[ey],
        "Key person",
        dob[ey] + int(2 * YEAR),
        dob[ey] + int(4.5 * YEAR) - 1,
    )
    index_of = np.full(int(population.child_id.max()) + 1, -1, dtype=np.int64)
    index_of[population.child_id] = idx

    def days(table: pa.Table, name: str, null: int) -> IntArray:
        return np.asarray(
            pc.fill_null(table[name].cast(pa.int32()), null).to_numpy(zero_copy_only=False),
            dtype=np.int64,
        )

    referrals = casework["referrals"]
    rp = index_of[referrals["person_id"].to_numpy()]
    add(
        rp,
        "csc",
        "Allocated social worker",
        days(referrals, "referred_on", 0),
        days(referrals, "closed_on", end + 1),
    )
    plans = casework["plans"]
    eh = plans["plan_type"].to_numpy(zero_copy_only=False) == "early_help"
    pp = index_of[plans["person_id"].to_numpy()]
    add(
        pp[eh],
        "early_help",
        "Lead practitioner",
        days(plans, "started_on", 0)[eh],
        days(plans, "ended_on", end + 1)[eh],
    )
    police = pc.equal(events["agency_key"], "police").to_numpy(zero_copy_only=False)
    if police.any():
        ep = index_of[events["person_id"].to_numpy()[police]]
        eday = np.asarray(
            events["occurred_at"].cast(pa.int64()).to_numpy()[police] // 86_400_000_000
        )
        first = np.full(n, np.iinfo(np.int64).max)
        last = np.full(n, -1)
        np.minimum.at(first, ep, eday)
        np.maximum.at(last, ep, eday)
        who = np.flatnonzero(last >= 0)
        add(who, "police", "Public protection unit", first[who], last[who] + 180)
    end_days = np.concatenate(cols["end"])
    return as_table(
        {
            "person_id": np.concatenate(cols["person"]),
            "agency_key": pa.array(np.concatenate(cols["agency"]), type=pa.string()),
            "role": pa.array(np.concatenate(cols["role"]), type=pa.string()),
            "started_on": dates(np.concatenate(cols["start"])),
            "ended_on": dates(np.minimum(end_days, end), mask=end_days > end),
        },
        SCHEMAS["involvements"],
    )
