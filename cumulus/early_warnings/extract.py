"""Feeding the rule engine: the extract tables from the case record or from synthetic Parquet.

Both produce the tables of ``engine.EXTRACT``; the rules cannot tell them apart, which is what
lets the benchmark measure the very rules the service runs.
"""

# The Parquet paths come from the operator's command line, never from a request.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from cumulus.core.arrow_read import read_arrow
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


def _read(name: str, queryset: QuerySet[Any]) -> pa.Table:
    """Run ``queryset`` (a ``values_list`` in the order of ``EXTRACT[name]``) into Arrow, with
    no Python work per row on PostgreSQL (``cumulus.core.arrow_read``)."""
    return read_arrow(queryset, EXTRACT[name])


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
