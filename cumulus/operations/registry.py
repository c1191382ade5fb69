"""Task entry points: what kind of background work a task is, and how often to try it.

Other apps define their task with Django's ``@task`` decorator and register it here, next to
the definition, so the worker knows its kind (for the status page and the metrics) and its
retry budget::

    from django.tasks import task
    from cumulus.operations.registry import EntryPoint, register

    @task()
    def census_import_run(*, batch_id: int) -> dict[str, int]: ...

    register(census_import_run, kind=EntryPoint.IMPORT, max_attempts=3)

A task that is not registered runs as kind ``other`` with the backend's default attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.tasks import Task


class EntryPoint(StrEnum):
    """The kinds of background work Cumulus runs outside the request cycle."""

    IMPORT = "import"
    LINKAGE = "linkage"
    INDICATOR_REFRESH = "indicator_refresh"
    BOOKLET_RENDERING = "booklet_rendering"
    ALERT_RULES = "alert_rules"
    HOUSEKEEPING = "housekeeping"
    OTHER = "other"


@dataclass(frozen=True)
class Registration:
    kind: EntryPoint
    max_attempts: int | None
    atomic: bool


_REGISTRY: dict[str, Registration] = {}


def register(
    task: Task, *, kind: EntryPoint, max_attempts: int | None = None, atomic: bool = True
) -> Task:
    """Record ``task``'s kind and retry budget; ``atomic=False`` for long tasks that commit in
    batches themselves (they must then be safe to run again)."""
    if max_attempts is not None and not 1 <= max_attempts <= 20:
        raise ValueError(f"max_attempts must be between 1 and 20; got {max_attempts}")
    _REGISTRY[task.module_path] = Registration(kind=kind, max_attempts=max_attempts, atomic=atomic)
    return task


def registration_for(task_path: str) -> Registration:
    return _REGISTRY.get(
        task_path, Registration(kind=EntryPoint.OTHER, max_attempts=None, atomic=True)
    )


def registered() -> dict[str, Registration]:
    return dict(_REGISTRY)
