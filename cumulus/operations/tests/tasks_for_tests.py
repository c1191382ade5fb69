"""Tasks used by the queue's tests (module-level, as django.tasks requires)."""

from __future__ import annotations

import time

from django.db import connection
from django.tasks import TaskContext, task

from cumulus.accounts.models import Agency

CALLS: list[str] = []


@task()
def add(*, a: int, b: int) -> int:
    return a + b


@task()
def fail_always(*, name: str) -> None:
    # A write that must not survive the failed attempt.
    Agency.objects.create(name=name, agency_type="school")
    raise RuntimeError(f"{name} is broken")


@task(takes_context=True)
def effect_then_sleep_first_time(context: TaskContext, *, marker: str, seconds: float) -> str:
    """Writes a row, then (on the first attempt only) sleeps so a drill can kill the worker
    between the write and the commit."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS drill_effect (marker VARCHAR(100) NOT NULL)")
        cursor.execute("INSERT INTO drill_effect (marker) VALUES (%s)", [marker])
    if context.attempt == 1:
        time.sleep(seconds)
    return marker
