"""The analytical extract from the operational database into DuckDB: incremental, pseudonymised.

A run reads only rows created or changed since the last run's watermark (``updated_at`` on
every ``TimeStampedModel``; ``recorded_at`` for chronology events, which are append-only;
attendance has no timestamps, so its last 28 days of weeks are re-read), turns ids into
keyed pseudonyms, upserts them by key and recomputes the derived neglect flags. Names,
addresses and identifiers never leave the operational database.

Training sessions and bookings (``cumulus.training``) and audited cases with agreed grades
(``cumulus.audits``) are small tables, re-read whole on every run, so a cancelled booking or a
re-moderated case is never left behind; so are learning reviews (``cumulus.learning``: rapid
reviews and practice reviews, dated by publication). Tool uses come from completed instrument
assessments (one per lineage) and from events with a written impact, incrementally. Education
status comes from the council's participation records (``cumulus.participation``): each month's
latest record, incrementally by ``recorded_at``, with "not known" as a null ``is_neet``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db.models import Max, Min, Q
from django.db.models.functions import TruncDate

from cumulus.accounts.models import Agency
from cumulus.analytics.extract_store import delete_where_in, derive_flags, ensure_tables, upsert
from cumulus.analytics.pseudonym import key_map, pseudonym
from cumulus.analytics.schema import arrow_schema
from cumulus.casework.models import Assessment, Contact, Plan, Referral, Review
from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
from cumulus.core import clock
from cumulus.core.arrow_read import read_arrow
from cumulus.people.models import Child, HouseholdMembership, RecordRestriction

ATTENDANCE_LOOKBACK_DAYS = 28
FROM_OPERATIONAL_DB = (
    "children",
    "contacts",
    "referrals",
    "assessments",
    "assessment_factors",
    "plans",
    "reviews",
    "events",
    "attendance",
    "household_factors",
    "training_sessions",
    "training_bookings",
    "audits",
    "learning_reviews",
    "tool_uses",
    "education_status",
)
# Re-read whole on every run (small, and rows can disappear: a cancelled booking).
RELOADED_WHOLE = ("training_sessions", "training_bookings", "audits", "learning_reviews")


def extract_path() -> Path:
    return Path(settings.VAR_DIR) / "analytics.duckdb"


def pseudonym_secret() -> bytes:
    """``CUMULUS_PSEUDONYM_KEY`` if set, else one derived from the secret key (never the key)."""
    key = os.environ.get("CUMULUS_PSEUDONYM_KEY")
    if key:
        return key.encode()
    return hashlib.sha256(b"cumulus-pseudonym:" + settings.SECRET_KEY.encode()).digest()


class _Keys:
    def __init__(self) -> None:
        self.secret = pseudonym_secret()
        self.agency_type = dict(Agency.objects.values_list("id", "agency_type"))

    def __call__(self, kind: str, value: int | None) -> int | None:
        return None if value is None else pseudonym(kind, value, secret=self.secret)


def _table(name: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=arrow_schema(name))


def _changed(model: Any, since: dt.datetime | None) -> Any:
    qs = model.objects.all()
    return qs if since is None else qs.filter(updated_at__gt=since)


def _children(k: _Keys, since: dt.datetime | None) -> tuple[pa.Table, list[int]]:
    qs = Child.objects.select_related("person", "ethnicity")
    if since is not None:
        moved = HouseholdMembership.objects.filter(
            Q(started_on__gte=since.date()) | Q(ended_on__gte=since.date())
        ).values("person_id")
        qs = qs.filter(
            Q(updated_at__gt=since) | Q(person__updated_at__gt=since) | Q(person_id__in=moved)
        )
    children = list(qs)
    ids = [c.person_id for c in children]
    homes: dict[int, Any] = {}
    spans = dict(
        (r["person_id"], r)
        for r in HouseholdMembership.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(first=Min("started_on"), last=Max("ended_on"))
    )
    open_ids = set(
        HouseholdMembership.objects.filter(person_id__in=ids, ended_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    for m in HouseholdMembership.objects.filter(person_id__in=ids).select_related("household"):
        if m.person_id not in homes or m.started_on > homes[m.person_id][0]:
            homes[m.person_id] = (m.started_on, m.household)
    disabilities: dict[int, str] = {}
    for child_id, code in Child.disabilities.through.objects.filter(child_id__in=ids).values_list(
        "child_id", "code__code"
    ):
        disabilities.setdefault(child_id, code)
    # A restricted record (adoption, a refuge) still counts, but says nothing of where the
    # child lives: no locality or deprivation decile that could point to a refuge or new home.
    restricted = set(
        RecordRestriction.objects.filter(child_id__in=ids, lifted_at__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    rows = []
    for c in children:
        if c.person.is_archived:
            continue
        home = None if c.person_id in restricted else homes.get(c.person_id, (None, None))[1]
        span = spans.get(c.person_id)
        rows.append(
            {
                "child_key": k("child", c.person_id),
                "birth_on": c.person.date_of_birth,
                "expected_birth_on": c.expected_birth_on,
                "sex": c.person.sex,
                "ethnicity": c.ethnicity.code if c.ethnicity else None,
                "disability": disabilities.get(c.person_id, "NONE"),
                "locality": (home.town or None) if home else None,
                "imd_decile": home.imd_decile if home else None,
                "resident_from": span["first"] if span else None,
                "resident_to": None if c.person_id in open_ids or not span else span["last"],
            }
        )
    archived = [k("child", c.person_id) for c in children if c.person.is_archived]
    return _table("children", rows), [a for a in archived if a is not None]


def _contacts(k: _Keys, since: dt.datetime | None) -> pa.Table:
    rows = _changed(Contact, since).values(
        "id", "child_id", "received_on", "agency_id", "is_neglect_concern"
    )
    return _table(
        "contacts",
        (
            {
                "contact_key": k("contact", r["id"]),
                "child_key": k("child", r["child_id"]),
                "received_on": r["received_on"],
                "agency_type": k.agency_type.get(r["agency_id"]),
                "is_neglect": r["is_neglect_concern"],
            }
            for r in rows
        ),
    )


def _referrals(k: _Keys, since: dt.datetime | None) -> pa.Table:
    rows = _changed(Referral, since).values(
        "id",
        "child_id",
        "referred_on",
        "source__code",
        "primary_need__code",
        "is_neglect_concern",
        "no_further_action",
        "closed_on",
        "closure_reason__code",
        "contact__agency_id",
    )
    return _table(
        "referrals",
        (
            {
                "referral_key": k("referral", r["id"]),
                "child_key": k("child", r["child_id"]),
                "referred_on": r["referred_on"],
                "source": r["source__code"],
                "primary_need": r["primary_need__code"],
                "is_neglect": r["is_neglect_concern"],
                "no_further_action": r["no_further_action"],
                "closed_on": r["closed_on"],
                "closure_reason": r["closure_reason__code"],
                "agency_type": k.agency_type.get(r["contact__agency_id"]),
            }
            for r in rows
        ),
    )


def _assessments(k: _Keys, since: dt.datetime | None) -> tuple[pa.Table, pa.Table]:
    rows = list(
        _changed(Assessment, since).values(
            "id",
            "child_id",
            "referral_id",
            "assessment_type",
            "started_on",
            "authorised_on",
            "initial_conference_on",
            "lead_practitioner__agency_id",
        )
    )
    table = _table(
        "assessments",
        (
            {
                "assessment_key": k("assessment", r["id"]),
                "child_key": k("child", r["child_id"]),
                "referral_key": k("referral", r["referral_id"]),
                "assessment_type": r["assessment_type"],
                "started_on": r["started_on"],
                "authorised_on": r["authorised_on"],
                "initial_conference_on": r["initial_conference_on"],
                "agency_type": k.agency_type.get(r["lead_practitioner__agency_id"])
                or (
                    "early_help"
                    if r["assessment_type"] == "early_help"
                    else "childrens_social_care"
                ),
                "is_neglect": False,
            }
            for r in rows
        ),
    )
    through = Assessment.factors.through.objects.filter(assessment_id__in=[r["id"] for r in rows])
    factors = _table(
        "assessment_factors",
        (
            {"assessment_key": k("assessment", a), "factor": code}
            for a, code in through.values_list("assessment_id", "code__code")
        ),
    )
    return table, factors


def _plans(k: _Keys, since: dt.datetime | None) -> pa.Table:
    rows = _changed(Plan, since).values(
        "id",
        "child_id",
        "referral_id",
        "plan_type",
        "started_on",
        "ended_on",
        "initial_category__code",
        "latest_category__code",
        "number_of_previous_cp_plans",
        "end_reason",
        "lead_agency_id",
    )
    return _table(
        "plans",
        (
            {
                "plan_key": k("plan", r["id"]),
                "child_key": k("child", r["child_id"]),
                "referral_key": k("referral", r["referral_id"]),
                "plan_type": r["plan_type"],
                "started_on": r["started_on"],
                "ended_on": r["ended_on"],
                "initial_category": r["initial_category__code"],
                "latest_category": r["latest_category__code"],
                "number_of_previous_cp_plans": r["number_of_previous_cp_plans"],
                "end_reason": r["end_reason"] or None,
                "agency_type": k.agency_type.get(r["lead_agency_id"])
                or ("early_help" if r["plan_type"] == "early_help" else "childrens_social_care"),
                "is_neglect": False,
            }
            for r in rows
        ),
    )


def _reviews(k: _Keys, since: dt.datetime | None) -> pa.Table:
    rows = _changed(Review, since).values("id", "plan_id", "held_on")
    return _table(
        "reviews",
        (
            {
                "review_key": k("review", r["id"]),
                "plan_key": k("plan", r["plan_id"]),
                "held_on": r["held_on"],
            }
            for r in rows
        ),
    )


def _key_column(k: _Keys, kind: str, ids: pa.ChunkedArray) -> pa.ChunkedArray:
    """Operational ids to their pseudonyms, hashing each distinct id once (nulls stay null)."""
    known = key_map(kind, ids, secret=k.secret)
    return pc.take(known.column("key"), pc.index_in(ids, value_set=known.column("id")))


def _agency_types(k: _Keys, agency_ids: pa.ChunkedArray) -> pa.ChunkedArray:
    ids = pa.array(list(k.agency_type), pa.int64())
    types = pa.array(list(k.agency_type.values()), pa.string())
    return pc.take(types, pc.index_in(agency_ids, value_set=ids))


_EVENT_ROWS = pa.schema(
    [
        ("child_id", pa.int64()),
        ("agency_id", pa.int64()),
        ("event_type", pa.string()),
        ("occurred_on", pa.date32()),
        ("neglect_type", pa.string()),
    ]
)
_ATTENDANCE_ROWS = pa.schema(
    [
        ("child_id", pa.int64()),
        ("agency_id", pa.int64()),
        ("week_start", pa.date32()),
        ("sessions_possible", pa.int64()),
        ("sessions_attended", pa.int64()),
    ]
)


def _events(k: _Keys, since: dt.datetime | None) -> pa.Table:
    qs = ChronologyEvent.objects.order_by()
    if since is not None:
        qs = qs.filter(recorded_at__gt=since)
    raw = read_arrow(
        qs.annotate(occurred_on=TruncDate("occurred_at", tzinfo=dt.UTC)).values_list(
            "child_id", "agency_id", "event_type__code", "occurred_on", "neglect_type__code"
        ),
        _EVENT_ROWS,
    )
    columns = {
        "child_key": _key_column(k, "child", raw.column("child_id")),
        "agency_type": _agency_types(k, raw.column("agency_id")),
        "event_type": raw.column("event_type"),
        "occurred_on": raw.column("occurred_on"),
        "neglect_type": raw.column("neglect_type"),
    }
    return pa.table(columns, schema=arrow_schema("events"))


def _attendance(k: _Keys, from_week: dt.date | None) -> pa.Table:
    """Attendance weeks (the largest table: about 27 million at 300,000 children), read and
    keyed column by column."""
    qs = AttendanceWeek.objects.order_by()
    if from_week is not None:
        qs = qs.filter(week_start__gte=from_week)
    raw = read_arrow(
        qs.values_list(
            "child_id", "agency_id", "week_start", "sessions_possible", "sessions_attended"
        ),
        _ATTENDANCE_ROWS,
    )
    early_years = pa.array(
        [a for a, kind in k.agency_type.items() if kind == "early_years"], pa.int64()
    )
    setting = pc.if_else(
        pc.is_in(raw.column("agency_id"), value_set=early_years), "early_years", "school"
    )
    columns = {
        "child_key": _key_column(k, "child", raw.column("child_id")),
        "setting_type": setting,
        "week_start": raw.column("week_start"),
        "sessions_possible": raw.column("sessions_possible"),
        "sessions_attended": raw.column("sessions_attended"),
    }
    return pa.table(columns, schema=arrow_schema("attendance"))


# Each instrument's ``tool`` in the extract (the catalogue's and the synthetic partnership's
# names); any other instrument keeps its own id, with underscores.
TOOL_OF_INSTRUMENT = {
    "gcp2-shell": "gcp2",
    "day-in-my-life": "day_in_my_life",
    "sdq-scores": "sdq",
    "worries-strengths-map": "signs_of_safety_mapping",
}
IMPACT_CHRONOLOGY = "impact_chronology"


def _tool(instrument_id: str) -> str:
    return TOOL_OF_INSTRUMENT.get(instrument_id, instrument_id.replace("-", "_"))


def _tool_uses(k: _Keys, since: dt.datetime | None) -> pa.Table:
    """Completed instrument assessments (one per lineage) and impacts written on chronology
    events (Cumbria's impact chronology), changed since ``since``."""
    from cumulus.instruments.selectors import extract_completed_assessments

    rows = [
        {
            "tool_use_key": pseudonym("instrument_assessment", str(r["lineage"]), secret=k.secret),
            "child_key": k("child", r["child_id"]),
            "tool": _tool(r["instrument_id"]),
            "completed_on": r["assessed_on"],
            "agency_type": r["author_agency__agency_type"],
        }
        for r in extract_completed_assessments(since=since)
    ]
    impacts = ChronologyEvent.objects.order_by().filter(impact_recorded_at__isnull=False)
    if since is not None:
        impacts = impacts.filter(impact_recorded_at__gt=since)
    for r in impacts.annotate(completed_on=TruncDate("impact_recorded_at", tzinfo=dt.UTC)).values(
        "id", "child_id", "completed_on", "impact_recorded_by__agency_id", "agency_id"
    ):
        rows.append(
            {
                "tool_use_key": k("impact_chronology", r["id"]),
                "child_key": k("child", r["child_id"]),
                "tool": IMPACT_CHRONOLOGY,
                "completed_on": r["completed_on"],
                "agency_type": k.agency_type.get(
                    r["impact_recorded_by__agency_id"] or r["agency_id"]
                ),
            }
        )
    return _table("tool_uses", rows)


_PARTICIPATION_ROWS = pa.schema(
    [("child_id", pa.int64()), ("month", pa.date32()), ("status", pa.string())]
)


def _education_status(k: _Keys, since: dt.datetime | None) -> pa.Table:
    """Each (child, month)'s latest participation record made after ``since``: ``is_neet``
    true for NEET, false for any other known status, null for "not known" (which the NEET
    indicator leaves out of its denominator, as DfE does)."""
    from cumulus.participation.models import ActivityStatus
    from cumulus.participation.selectors import extract_participation

    raw = read_arrow(extract_participation(since=since), _PARTICIPATION_ROWS)
    status = raw.column("status")
    known = pc.not_equal(status, ActivityStatus.NOT_KNOWN.value)
    is_neet = pc.if_else(
        known, pc.equal(status, ActivityStatus.NEET.value), pa.scalar(None, pa.bool_())
    )
    columns = {
        "child_key": _key_column(k, "child", raw.column("child_id")),
        "month": raw.column("month"),
        "is_neet": is_neet,
    }
    return pa.table(columns, schema=arrow_schema("education_status"))


def _training_sessions(k: _Keys) -> pa.Table:
    from cumulus.training.selectors import extract_sessions

    return _table(
        "training_sessions",
        (
            {
                "session_key": k("training_session", r["id"]),
                "course": r["course__code"],
                "held_on": r["held_on"],
                "places": r["places"],
            }
            for r in extract_sessions()
        ),
    )


def _training_bookings(k: _Keys) -> pa.Table:
    from cumulus.training.selectors import extract_bookings

    return _table(
        "training_bookings",
        (
            {
                "session_key": k("training_session", r["session_id"]),
                "practitioner_key": k("practitioner", r["practitioner_id"]),
                "agency_type": r["agency__agency_type"],
                "attended": bool(r["attended"]),
                "confidence_before": r["confidence_before"],
                "confidence_after": r["confidence_after"],
            }
            for r in extract_bookings()
        ),
    )


def _audits(k: _Keys) -> pa.Table:
    from cumulus.audits.selectors import extract_audited_cases

    return _table(
        "audits",
        (
            {
                "audit_key": k("audit_case", r["case_id"]),
                "child_key": k("child", r["child_id"]),
                "held_on": r["held_on"],
                "agency_type": r["agency_type"],
                "voice_of_child_evident": r["voice_of_child_evident"],
                "gcp2_used": r["gcp2_used"],
            }
            for r in extract_audited_cases()
        ),
    )


def _learning_reviews(k: _Keys) -> pa.Table:
    from cumulus.learning.selectors import extract_reviews

    return _table(
        "learning_reviews",
        (
            {
                "review_key": k("learning_review", r["id"]),
                "held_on": r["published_on"],
                "kind": r["kind"],
                "features_neglect": r["features_neglect"],
            }
            for r in extract_reviews()
        ),
    )


def _reload_whole(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> int:
    con.register(f"{name}_batch", table)
    # Table names come from RELOADED_WHOLE, never from input.
    con.execute(f"delete from {name}")  # noqa: S608
    con.execute(f"insert into {name} select * from {name}_batch")  # noqa: S608
    return table.num_rows


def extract_refresh(*, database: Path | None = None, full: bool = False) -> dict[str, int]:
    """Bring the DuckDB extract up to date; returns rows written per table.

    The watermark is the start of this run (kept in the extract), so a row changed while the
    run reads is read again next time rather than missed.
    """
    path = database or extract_path()
    started = clock.now()
    con = duckdb.connect(str(path))
    try:
        # ISO text, not timestamptz: reading a timestamptz back needs pytz.
        con.execute("create table if not exists extract_state (watermark varchar)")
        found = con.execute("select max(cast(watermark as varchar)) from extract_state").fetchall()
        since = (
            None
            if full or not found or found[0][0] is None
            else dt.datetime.fromisoformat(found[0][0])
        )
        if since is None:
            for name in FROM_OPERATIONAL_DB:
                con.execute(f"drop table if exists {name}")
        ensure_tables(con)
        k = _Keys()
        written: dict[str, int] = {}
        con.execute("begin")
        children, archived = _children(k, since)
        if archived:
            delete_where_in(con, "children", "child_key", pa.array(archived, pa.int64()))
        written["children"] = upsert(con, "children", children, ["child_key"])
        written["contacts"] = upsert(con, "contacts", _contacts(k, since), ["contact_key"])
        written["referrals"] = upsert(con, "referrals", _referrals(k, since), ["referral_key"])
        assessments, factors = _assessments(k, since)
        written["assessments"] = upsert(con, "assessments", assessments, ["assessment_key"])
        delete_where_in(
            con, "assessment_factors", "assessment_key", assessments.column("assessment_key")
        )
        con.register("factors_batch", factors)
        con.execute("insert into assessment_factors select * from factors_batch")
        written["assessment_factors"] = factors.num_rows
        written["plans"] = upsert(con, "plans", _plans(k, since), ["plan_key"])
        written["reviews"] = upsert(con, "reviews", _reviews(k, since), ["review_key"])
        events = _events(k, since)
        con.register("events_batch", events)
        con.execute("insert into events select * from events_batch")
        written["events"] = events.num_rows
        written["tool_uses"] = upsert(con, "tool_uses", _tool_uses(k, since), ["tool_use_key"])
        written["education_status"] = upsert(
            con, "education_status", _education_status(k, since), ["child_key", "month"]
        )
        from_week = None
        if since is not None:
            from_week = since.date() - dt.timedelta(days=ATTENDANCE_LOOKBACK_DAYS)
            con.execute("delete from attendance where week_start >= ?", [from_week])
        attendance = _attendance(k, from_week)
        con.register("attendance_batch", attendance)
        con.execute("insert into attendance select * from attendance_batch")
        written["attendance"] = attendance.num_rows
        written["training_sessions"] = _reload_whole(
            con, "training_sessions", _training_sessions(k)
        )
        written["training_bookings"] = _reload_whole(
            con, "training_bookings", _training_bookings(k)
        )
        written["audits"] = _reload_whole(con, "audits", _audits(k))
        written["learning_reviews"] = _reload_whole(con, "learning_reviews", _learning_reviews(k))
        con.execute("insert into extract_state values (?)", [started.isoformat()])
        con.execute("commit")
        derive_flags(con, household_factors_from_assessments=True)
        return written
    finally:
        con.close()
