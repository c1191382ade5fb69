"""A ``django.tasks`` backend that keeps tasks in the application's database.

Configured in settings as ``TASKS = {"default": {"BACKEND":
"cumulus.operations.backend.DatabaseBackend"}}``. Enqueueing is an INSERT in the caller's
transaction, so a task enqueued by a service that then rolls back is never run. Tasks are run
by ``cumulus worker`` (see :mod:`cumulus.operations.worker`). Works on PostgreSQL (claims use
``SELECT ... FOR UPDATE SKIP LOCKED``) and on SQLite (writes are serialised by the database).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.tasks import Task, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils.module_loading import import_string

from cumulus.core import clock
from cumulus.operations.models import TaskRecord
from cumulus.operations.registry import registration_for

DEFAULT_MAX_ATTEMPTS = 3


class DatabaseBackend(BaseTaskBackend):
    supports_defer = True
    supports_get_result = True
    supports_priority = True

    @property
    def default_max_attempts(self) -> int:
        return int(self.options.get("MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        registration = registration_for(task.module_path)
        now = clock.now()
        record = TaskRecord.objects.create(
            task_path=task.module_path,
            kind=registration.kind.value,
            queue_name=task.queue_name,
            priority=task.priority,
            args=list(args),
            kwargs=dict(kwargs),
            enqueued_at=now,
            run_after=task.run_after or now,
            max_attempts=registration.max_attempts or self.default_max_attempts,
        )
        return result_from_record(record, backend=self.alias)

    def get_result(self, result_id: str) -> TaskResult:
        try:
            record = TaskRecord.objects.get(pk=result_id)
        except (TaskRecord.DoesNotExist, ValidationError, ValueError):
            raise TaskResultDoesNotExist(result_id) from None
        return result_from_record(record, backend=self.alias)


_STATUS = {
    "READY": TaskResultStatus.READY,
    "RUNNING": TaskResultStatus.RUNNING,
    "SUCCESSFUL": TaskResultStatus.SUCCESSFUL,
    "FAILED": TaskResultStatus.FAILED,
}


def result_from_record(record: TaskRecord, *, backend: str) -> TaskResult:
    """The ``django.tasks`` view of a stored task."""
    try:
        task = import_string(record.task_path)
    except ImportError:
        task = None
    if not isinstance(task, Task):
        raise TaskResultDoesNotExist(f"{record.pk}: {record.task_path} is no longer a task")
    result: TaskResult = TaskResult(
        task=task.using(priority=record.priority, queue_name=record.queue_name),
        id=str(record.pk),
        status=_STATUS[record.status],
        enqueued_at=record.enqueued_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        last_attempted_at=record.last_attempted_at,
        args=list(record.args),
        kwargs=dict(record.kwargs),
        backend=backend,
        errors=[
            TaskError(exception_class_path=e.get("exception", ""), traceback=e.get("traceback", ""))
            for e in record.errors
        ],
        worker_ids=list(record.worker_ids),
    )
    if record.status == "SUCCESSFUL":
        object.__setattr__(result, "_return_value", record.return_value)
    return result
