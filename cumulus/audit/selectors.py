"""Reads of the access log."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.audit.models import AccessLogEntry


def access_log_for_child(*, child_id: int, limit: int = 200) -> QuerySet[AccessLogEntry]:
    """Who viewed, searched for or exported this child's record, newest first."""
    return AccessLogEntry.objects.filter(child_id=child_id).select_related("actor")[:limit]
