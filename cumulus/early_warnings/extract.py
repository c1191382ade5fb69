"""Feeding the rule engine: the extract tables from the case record or from synthetic Parquet.

Both produce the tables of ``engine.EXTRACT``; the rules cannot tell them apart, which is what
lets the benchmark measure the very rules the service runs.
"""

# The Parquet paths come from the operator's command line, never from a request.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyarrow import csv as pa_csv

from cumulus.early_warnings.engine import EXTRACT

if TYPE_CHECKING:
    from django.db.models import QuerySet


def synth_tables(directory: Path) -> dict[str, str]:
    """DuckDB sources for the extract over ``cumulus synth --out`` Parquet files."""

    def pq(name: str) -> str:
        path = directory / f"{name}.parquet"
        return f"read_parquet('{path.as_posix()}')"

    return {
        "children": f"(SELECT person_id AS child_id, date_of_birth FROM {pq('children')})",
        "household_members": (
            f"(SELECT person_id AS child_id, household_id FROM {pq('children')})"
        ),
        "events": (
            f"(SELECT e.event_id, e.person_id AS child_id, e.agency_key, a.agency_type, "
            f"e.event_type, CAST(e.occurred_at AS DATE) AS occurred_on, e.significance "
            f"FROM {pq('events')} e LEFT JOIN {pq('agencies')} a USING (agency_key))"
        ),
        "plans": (
            f"(SELECT plan_id, person_id AS child_id, referral_id, plan_type, started_on, "
            f"ended_on, end_reason, number_of_previous_cp_plans FROM {pq('plans')})"
        ),
        "reviews": f"(SELECT plan_id, held_on FROM {pq('reviews')})",
        "referrals": (
            f"(SELECT referral_id, person_id AS child_id, referred_on, closed_on, "
            f"no_further_action, is_neglect_concern FROM {pq('referrals')})"
        ),
        "assessments": (
            f"(SELECT assessment_id, person_id AS child_id, referral_id, assessment_type, "
            f"started_on, authorised_on FROM {pq('assessments')})"
        ),
        "attendance": (
            f"(SELECT person_id AS child_id, week_start, sessions_possible, sessions_attended "
            f"FROM {pq('attendance')})"
        ),
    }


def _arrow(name: str, rows: Iterable[Any]) -> pa.Table:
    """A table of the extract's schema from rows in schema order (tuples), column by column."""
    schema = EXTRACT[name]
    listed = list(rows)
    if not listed:
        return schema.empty_table()
    columns = list(zip(*listed, strict=True))
    return pa.Table.from_arrays(
        [_column(values, f.type) for values, f in zip(columns, schema, strict=True)],
        schema=schema,
    )


def _column(values: tuple[Any, ...], kind: pa.DataType) -> pa.Array:
    # SQLite hands dates back as ISO text and booleans as 0/1: Arrow's cast reads both.
    try:
        return pa.array(values, type=kind)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(values).cast(kind)


# Rows per text chunk when PostgreSQL writes the extract as CSV (see ``_postgres_csv``).
CSV_CHUNK_KEYS = 200


def _postgres_csv(name: str, sql: str, params: Any) -> pa.Table:
    """One extract table from PostgreSQL as CSV text that the database writes in chunks and
    Arrow parses: tens of millions of rows arrive as a few thousand strings, so Python does
    no work per row (fetching row by row, or by ``COPY``, which sends a message per row, cost
    1.5-2 microseconds a row: a minute for the attendance weeks of 300,000 children).

    Rows are grouped by their first column (an integer key) divided by ``CSV_CHUNK_KEYS``;
    text columns are quoted with quotes doubled, and a null is an empty unquoted field."""
    from django.db import connection

    schema = EXTRACT[name]
    names = [f"c{i}" for i in range(len(schema))]

    def cell(column: str, kind: pa.DataType) -> str:
        if pa.types.is_string(kind):
            return f"""'"' || replace({column}::text, '"', '""') || '"'"""
        if pa.types.is_boolean(kind):
            return f"CASE WHEN {column} THEN 't' WHEN NOT {column} THEN 'f' END"
        return f"{column}::text"

    line = ", ".join(f"coalesce({cell(c, f.type)}, '')" for c, f in zip(names, schema, strict=True))
    chunked = (
        f"SELECT string_agg(concat_ws(',', {line}), E'\\n') FROM ({sql}) AS q({', '.join(names)}) "
        f"GROUP BY q.c0 / {CSV_CHUNK_KEYS}"
    )
    with connection.cursor() as cursor:
        cursor.execute(chunked, params)
        chunks = [text for (text,) in cursor.fetchall()]
    if not chunks:
        return schema.empty_table()
    data = "\n".join(chunks).encode() + b"\n"
    table = pa_csv.read_csv(
        pa.BufferReader(data),
        read_options=pa_csv.ReadOptions(column_names=schema.names, block_size=16 << 20),
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            true_values=["t"],
            false_values=["f"],
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    return table.select(schema.names).cast(schema)


def _read(name: str, queryset: QuerySet[Any]) -> pa.Table:
    """Run ``queryset`` (a ``values_list`` in the order of ``EXTRACT[name]``) into Arrow."""
    from django.db import connection

    if connection.vendor == "postgresql":
        sql, params = queryset.query.sql_with_params()
        return _postgres_csv(name, sql, params)
    return _arrow(name, queryset.iterator(chunk_size=20_000))


def django_tables(*, child_ids: list[int] | None = None) -> dict[str, pa.Table]:
    """The extract read from the database (optionally for some children and their households).

    Rules look back at most two years and need every agency's events, so the extract takes
    each child's whole record; at partnership scale this runs nightly, not per request. Each
    table is one query, read once (on PostgreSQL as CSV text chunks that Arrow parses), so the
    rules then run over one consistent snapshot in DuckDB without going back to the database.
    """
    from django.db.models import CharField
    from django.db.models.functions import Cast, TruncDate

    from cumulus.casework.models import Assessment, Plan, Referral, Review
    from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
    from cumulus.people.models import Child, HouseholdMembership

    def some(queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
        return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})

    ids: QuerySet[Any] | None = None
    if child_ids is not None:
        children = Child.objects.all()
        households = HouseholdMembership.objects.filter(person_id__in=child_ids).values(
            "household_id"
        )
        household_children = HouseholdMembership.objects.filter(household_id__in=households).values(
            "person_id"
        )
        children = children.filter(pk__in=[*child_ids]) | children.filter(pk__in=household_children)
        # A subquery, not a list of ids: SQLite limits the parameters of one statement.
        ids = children.values("pk")
    # Each values_list names its columns in the order of the schema in engine.EXTRACT.
    return {
        "children": _read(
            "children",
            some(Child.objects.order_by(), "pk").values_list("pk", "person__date_of_birth"),
        ),
        "household_members": _read(
            "household_members",
            some(
                HouseholdMembership.objects.filter(
                    ended_on__isnull=True, person__child__isnull=False
                ),
                "person_id",
            )
            .order_by()
            .values_list("person_id", "household_id"),
        ),
        "events": _read(
            "events",
            some(ChronologyEvent.objects.order_by(), "child_id")
            .annotate(
                agency_key=Cast("agency_id", CharField()),
                occurred_on=TruncDate("occurred_at", tzinfo=dt.UTC),
            )
            .values_list(
                "pk",
                "child_id",
                "agency_key",
                "agency__agency_type",
                "event_type__code",
                "occurred_on",
                "significance",
            ),
        ),
        "plans": _read(
            "plans",
            some(Plan.objects.order_by(), "child_id").values_list(
                "pk",
                "child_id",
                "referral_id",
                "plan_type",
                "started_on",
                "ended_on",
                "end_reason",
                "number_of_previous_cp_plans",
            ),
        ),
        "reviews": _read(
            "reviews",
            some(Review.objects.order_by(), "plan__child_id").values_list("plan_id", "held_on"),
        ),
        "referrals": _read(
            "referrals",
            some(Referral.objects.order_by(), "child_id").values_list(
                "pk",
                "child_id",
                "referred_on",
                "closed_on",
                "no_further_action",
                "is_neglect_concern",
            ),
        ),
        "assessments": _read(
            "assessments",
            some(Assessment.objects.order_by(), "child_id").values_list(
                "pk", "child_id", "referral_id", "assessment_type", "started_on", "authorised_on"
            ),
        ),
        "attendance": _read(
            "attendance",
            some(AttendanceWeek.objects.order_by(), "child_id").values_list(
                "child_id", "week_start", "sessions_possible", "sessions_attended"
            ),
        ),
    }
