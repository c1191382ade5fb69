"""Reads of the access log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncHour

from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.core import clock

# Looking at this many different children's records within one clock hour is unusual enough
# for the data protection officer to ask why (a caseload review rarely needs more).
UNUSUAL_CHILDREN_PER_HOUR = 20


def access_log_for_child(
    *, child_id: int, since: dt.datetime | None = None, limit: int | None = None
) -> QuerySet[AccessLogEntry]:
    """Who viewed, searched for or exported this child's record, newest first."""
    entries = AccessLogEntry.objects.filter(child_id=child_id).select_related("actor")
    if since is not None:
        entries = entries.filter(occurred_at__gte=since)
    return entries[:limit] if limit is not None else entries


@dataclass(frozen=True)
class ViewerSummary:
    username: str
    agency: str
    role: str
    views: int
    last_at: dt.datetime
    emergency: int


def viewers_of_child(*, child_id: int, since: dt.datetime) -> list[ViewerSummary]:
    """One row per person who looked at the child's record since ``since``: "who has viewed
    this record in the last year", the question a subject access request or complaint asks."""
    rows = (
        AccessLogEntry.objects.filter(child_id=child_id, occurred_at__gte=since)
        .values("actor_username", "actor_agency", "actor_role")
        .annotate(
            views=Count("id"),
            last_at=Max("occurred_at"),
            emergency=Count("id", filter=Q(action=AccessAction.BREAK_GLASS)),
        )
        .order_by("-last_at")
    )
    return [
        ViewerSummary(
            r["actor_username"],
            r["actor_agency"],
            r["actor_role"],
            r["views"],
            r["last_at"],
            r["emergency"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class UnusualAccess:
    username: str
    agency: str
    role: str
    hour: dt.datetime
    children: int
    emergency: int
    denied: int


def unusual_access(
    *, since: dt.datetime | None = None, threshold: int = UNUSUAL_CHILDREN_PER_HOUR
) -> list[UnusualAccess]:
    """Hours in which one user opened at least ``threshold`` different children's records.

    Counted set-based in the database (not per user in Python). Shows who and when, and how
    many records, emergency accesses and refusals: never which children, since the analyst who
    reads it needs the pattern, not the records.
    """
    since = since or clock.now() - dt.timedelta(days=30)
    rows = (
        AccessLogEntry.objects.filter(occurred_at__gte=since, child_id__isnull=False)
        .annotate(hour=TruncHour("occurred_at"))
        .values("actor_username", "actor_agency", "actor_role", "hour")
        .annotate(
            children=Count("child_id", distinct=True),
            emergency=Count("id", filter=Q(action=AccessAction.BREAK_GLASS)),
            denied=Count("id", filter=Q(action=AccessAction.DENIED)),
        )
        .filter(children__gte=threshold)
        .order_by("-hour", "-children")
    )
    return [
        UnusualAccess(
            r["actor_username"],
            r["actor_agency"],
            r["actor_role"],
            r["hour"],
            r["children"],
            r["emergency"],
            r["denied"],
        )
        for r in rows
    ]
