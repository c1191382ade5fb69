"""Feeding the rule engine: the extract tables from the case record or from synthetic Parquet.

Both produce the tables of ``engine.EXTRACT``; the rules cannot tell them apart, which is what
lets the benchmark measure the very rules the service runs.
"""

# The Parquet paths come from the operator's command line, never from a request.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from cumulus.early_warnings.engine import EXTRACT


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


def _table(name: str, rows: Iterable[Any]) -> pa.Table:
    schema = EXTRACT[name]
    listed = [dict(r) for r in rows]
    return pa.Table.from_pylist(listed, schema=schema) if listed else schema.empty_table()


def django_tables(*, child_ids: list[int] | None = None) -> dict[str, pa.Table]:
    """The extract read from the database (optionally for some children and their households).

    Rules look back at most two years and need every agency's events, so the extract takes
    each child's whole record; at partnership scale this runs nightly, not per request.
    """
    from django.db.models import F

    from cumulus.casework.models import Assessment, Plan, Referral, Review
    from cumulus.chronology.models import AttendanceWeek
    from cumulus.people.models import Child, HouseholdMembership

    children = Child.objects.all()
    if child_ids is not None:
        households = HouseholdMembership.objects.filter(person_id__in=child_ids).values(
            "household_id"
        )
        household_children = HouseholdMembership.objects.filter(household_id__in=households).values(
            "person_id"
        )
        children = children.filter(pk__in=[*child_ids]) | children.filter(pk__in=household_children)
    # A subquery, not a list of ids: SQLite limits the parameters of one statement.
    ids = children.values("pk")
    return {
        "children": _table(
            "children",
            Child.objects.filter(pk__in=ids).values(
                child_id=F("pk"), date_of_birth=F("person__date_of_birth")
            ),
        ),
        "household_members": _table(
            "household_members",
            HouseholdMembership.objects.filter(person_id__in=ids, ended_on__isnull=True).values(
                "household_id", child_id=F("person_id")
            ),
        ),
        "events": _events(ids),
        "plans": _table(
            "plans",
            Plan.objects.filter(child_id__in=ids).values(
                "plan_type",
                "started_on",
                "ended_on",
                "end_reason",
                "number_of_previous_cp_plans",
                "referral_id",
                "child_id",
                plan_id=F("pk"),
            ),
        ),
        "reviews": _table(
            "reviews",
            list(Review.objects.filter(plan__child_id__in=ids).values("plan_id", "held_on")),
        ),
        "referrals": _table(
            "referrals",
            Referral.objects.filter(child_id__in=ids).values(
                "child_id",
                "referred_on",
                "closed_on",
                "no_further_action",
                "is_neglect_concern",
                referral_id=F("pk"),
            ),
        ),
        "assessments": _table(
            "assessments",
            Assessment.objects.filter(child_id__in=ids).values(
                "child_id",
                "referral_id",
                "assessment_type",
                "started_on",
                "authorised_on",
                assessment_id=F("pk"),
            ),
        ),
        "attendance": _table(
            "attendance",
            AttendanceWeek.objects.filter(child_id__in=ids).values(
                "child_id", "week_start", "sessions_possible", "sessions_attended"
            ),
        ),
    }


def _events(ids: Any) -> pa.Table:
    from cumulus.chronology.models import ChronologyEvent

    rows = ChronologyEvent.objects.filter(child_id__in=ids).values_list(
        "pk",
        "child_id",
        "agency_id",
        "agency__agency_type",
        "event_type__code",
        "occurred_at",
        "significance",
    )
    return _table(
        "events",
        [
            {
                "event_id": pk,
                "child_id": child,
                "agency_key": str(agency),
                "agency_type": agency_type,
                "event_type": code,
                "occurred_on": occurred.date(),
                "significance": significance,
            }
            for pk, child, agency, agency_type, code, occurred, significance in rows
        ],
    )
