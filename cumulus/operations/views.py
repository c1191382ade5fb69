"""Health, readiness, metrics and the background task page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cumulus.accounts.models import User
from cumulus.operations import metrics
from cumulus.operations.middleware import DATABASE_ERRORS
from cumulus.operations.models import TaskStatus
from cumulus.operations.policies import can_scrape_metrics, can_view_tasks
from cumulus.operations.registry import registered
from cumulus.operations.selectors import task_counts, task_list


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering; touches nothing else (a liveness probe)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the task queue's store answer: send traffic here (a readiness probe)."""
    from cumulus.operations.worker import queue_depth

    checks: dict[str, str] = {}
    depth: int | None = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DATABASE_ERRORS as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if checks["database"] == "ok":
        try:
            depth = queue_depth()
            checks["task_queue"] = "ok"
        except DatabaseError as exc:  # also ProgrammingError: migrations not applied
            checks["task_queue"] = f"unreachable: {type(exc).__name__}"
    else:
        checks["task_queue"] = "unreachable: database"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks, "queue_depth": depth},
        status=200 if ready else 503,
    )


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not can_scrape_metrics(request):
        raise Http404("Not found")
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


@login_required
@require_GET
def task_status(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not can_view_tasks(user):
        raise Http404("Not found")
    counts = task_counts()
    kinds = sorted({kind for kind, _ in counts} | {r.kind.value for r in registered().values()})
    summary = [
        {"kind": kind, "counts": [counts.get((kind, status), 0) for status in TaskStatus.values]}
        for kind in kinds
    ]
    return render(
        request,
        "operations/tasks.html",
        {
            "tasks": task_list(limit=100),
            "summary": summary,
            "statuses": TaskStatus.labels,
        },
    )
