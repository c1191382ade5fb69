"""The worker loop behind ``cumulus worker``: claim a task, run it, record the outcome.

Guarantees, on PostgreSQL and SQLite:

* **No lost task.** A claim sets a lease; a heartbeat thread renews it while the task runs. A
  worker killed with ``kill -9`` stops renewing, and once the lease has run out any worker
  claims the task again (counting the lost run as an attempt).
* **Nothing half-done.** An atomic task (the default) runs inside one transaction together with
  its ``SUCCESSFUL`` mark: a run that dies or raises leaves no writes behind, so the retry
  starts from clean.
* **Retries.** A task that raises is tried again after a back-off (``2**attempt`` seconds,
  at most five minutes) until it has used ``max_attempts``; then it is ``FAILED`` with every
  error kept.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Q
from django.tasks import Task, TaskContext
from django.utils.module_loading import import_string

from cumulus.core import clock
from cumulus.operations.backend import result_from_record
from cumulus.operations.models import TaskRecord, TaskStatus
from cumulus.operations.registry import registration_for

logger = logging.getLogger("cumulus.operations.worker")

MAX_BACKOFF_SECONDS = 300


def lease_seconds() -> int:
    return int(getattr(settings, "CUMULUS_TASK_LEASE_SECONDS", 60))


def worker_id_default() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def task_claim(*, worker_id: str, queues: list[str] | None = None) -> TaskRecord | None:
    """Take the next runnable task (ready and due, or running with an expired lease)."""
    now = clock.now()
    runnable = Q(status=TaskStatus.READY, run_after__lte=now) | Q(
        status=TaskStatus.RUNNING, lease_expires_at__lt=now
    )
    with transaction.atomic():
        candidates = TaskRecord.objects.filter(runnable)
        if queues:
            candidates = candidates.filter(queue_name__in=queues)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        record = candidates.order_by("-priority", "run_after", "enqueued_at").first()
        if record is None:
            return None
        if record.status == TaskStatus.RUNNING:
            # Its worker died: the lost run counts as an attempt.
            record.errors = [
                *record.errors,
                {
                    "exception": "cumulus.operations.worker.WorkerLostError",
                    "traceback": f"worker {record.worker_ids[-1:]} stopped renewing its lease",
                    "at": now.isoformat(),
                },
            ]
            if record.attempts >= record.max_attempts:
                record.status = TaskStatus.FAILED
                record.finished_at = now
                record.lease_expires_at = None
                record.save(update_fields=["errors", "status", "finished_at", "lease_expires_at"])
                logger.warning("task %s failed: its worker was lost", record.pk)
                return task_claim(worker_id=worker_id, queues=queues)
        record.status = TaskStatus.RUNNING
        record.attempts += 1
        record.started_at = record.started_at or now
        record.last_attempted_at = now
        record.lease_expires_at = now + dt.timedelta(seconds=lease_seconds())
        record.worker_ids = [*record.worker_ids, worker_id]
        record.save()
    return record


class _Heartbeat(threading.Thread):
    """Renews the claim's lease on its own connection while the task runs."""

    def __init__(self, record: TaskRecord, worker_id: str) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{record.pk}")
        self.record_id = record.pk
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(lease_seconds() / 3, 0.2)
        try:
            while not self.stopped.wait(interval):
                try:
                    TaskRecord.objects.filter(pk=self.record_id, status=TaskStatus.RUNNING).update(
                        lease_expires_at=clock.now() + dt.timedelta(seconds=lease_seconds())
                    )
                except DatabaseError:
                    # SQLite: the task's own transaction holds the write lock; try again later.
                    logger.debug("lease renewal for %s deferred", self.record_id)
        finally:
            connection.close()


def _backoff(attempt: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(2**attempt, MAX_BACKOFF_SECONDS))


def _json_safe(value: Any) -> Any:
    try:
        json.dumps(value)
    except TypeError:
        return repr(value)
    return value


def task_run(*, record: TaskRecord, worker_id: str) -> TaskStatus:
    """Run one claimed task and store its outcome; returns the status it ended in."""
    heartbeat = _Heartbeat(record, worker_id)
    heartbeat.start()
    try:
        task = import_string(record.task_path)
        if not isinstance(task, Task):
            raise TypeError(f"{record.task_path} is not a task")
        registration = registration_for(record.task_path)
        func: Callable[..., Any] = task.func
        args: list[Any] = list(record.args)
        if task.takes_context:
            args = [TaskContext(task_result=result_from_record(record, backend=task.backend))]
            args += list(record.args)
        if registration.atomic:
            with transaction.atomic():
                value = func(*args, **record.kwargs)
                _mark_successful(record, value)
        else:
            value = func(*args, **record.kwargs)
            _mark_successful(record, value)
        logger.info(
            "task succeeded",
            extra={"task_id": str(record.pk), "task": record.task_path, "kind": record.kind},
        )
        return TaskStatus.SUCCESSFUL
    except Exception as exc:
        return _mark_failed_attempt(record, exc)
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=5)


def _mark_successful(record: TaskRecord, value: Any) -> None:
    TaskRecord.objects.filter(pk=record.pk).update(
        status=TaskStatus.SUCCESSFUL,
        finished_at=clock.now(),
        lease_expires_at=None,
        return_value=_json_safe(value),
    )


def _mark_failed_attempt(record: TaskRecord, exc: Exception) -> TaskStatus:
    now = clock.now()
    record.refresh_from_db()
    error = {
        "exception": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "traceback": "".join(traceback.format_exception(exc))[-8000:],
        "at": now.isoformat(),
    }
    final = record.attempts >= record.max_attempts
    status = TaskStatus.FAILED if final else TaskStatus.READY
    TaskRecord.objects.filter(pk=record.pk).update(
        status=status,
        errors=[*record.errors, error],
        lease_expires_at=None,
        finished_at=now if final else None,
        run_after=now if final else now + _backoff(record.attempts),
    )
    logger.warning(
        "task attempt failed",
        extra={
            "task_id": str(record.pk),
            "task": record.task_path,
            "attempt": record.attempts,
            "final": final,
            "error": error["exception"],
        },
    )
    return status


def run_worker(
    *,
    worker_id: str,
    queues: list[str] | None = None,
    poll_seconds: float = 1.0,
    max_tasks: int | None = None,
    stop: threading.Event | None = None,
    exit_when_idle: bool = False,
) -> int:
    """Claim and run tasks until stopped; returns how many it ran."""
    done = 0
    stop = stop or threading.Event()
    while not stop.is_set() and (max_tasks is None or done < max_tasks):
        if not connection.in_atomic_block:  # (a caller's transaction, as in tests: keep it)
            # Drop a connection the database closed (restart) or that is too old.
            close_old_connections()
        record = task_claim(worker_id=worker_id, queues=queues)
        if record is None:
            if exit_when_idle:
                break
            stop.wait(poll_seconds)
            continue
        task_run(record=record, worker_id=worker_id)
        done += 1
    return done


def queue_depth() -> int:
    """Tasks due to run now that no live worker holds."""
    now = clock.now()
    return TaskRecord.objects.filter(
        Q(status=TaskStatus.READY, run_after__lte=now)
        | Q(status=TaskStatus.RUNNING, lease_expires_at__lt=now)
    ).count()
