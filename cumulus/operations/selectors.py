"""Reads for the operations pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from cumulus.operations.models import TaskRecord


def task_list(*, limit: int = 100) -> QuerySet[TaskRecord]:
    return TaskRecord.objects.order_by("-enqueued_at")[:limit]


def task_counts() -> dict[tuple[str, str], int]:
    rows = TaskRecord.objects.values("kind", "status").annotate(n=Count("id"))
    return {(row["kind"], row["status"]): row["n"] for row in rows}
