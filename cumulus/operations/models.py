"""The task queue's store: one row per enqueued task, in the application's own database.

A worker claims a row by setting ``status=RUNNING`` and a lease (``lease_expires_at``) that it
renews while the task runs. If the worker dies (even ``kill -9``), the lease runs out and the next
worker takes the row again, so no task is lost; the task's database writes and its
``SUCCESSFUL`` mark commit in one transaction, so a task killed half-way leaves nothing behind
and is run again from the start.
"""

from __future__ import annotations

import uuid

from django.db import models

from cumulus.core import clock


class TaskStatus(models.TextChoices):
    READY = "READY", "Waiting"
    RUNNING = "RUNNING", "Running"
    SUCCESSFUL = "SUCCESSFUL", "Done"
    FAILED = "FAILED", "Failed"


class TaskRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_path = models.CharField(max_length=300)
    kind = models.CharField(max_length=40, default="other", db_index=True)
    queue_name = models.CharField(max_length=40, default="default")
    priority = models.SmallIntegerField(default=0)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.READY)
    enqueued_at = models.DateTimeField(default=clock.now)
    run_after = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_attempted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker_ids = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    return_value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-enqueued_at"]
        indexes = [
            models.Index(fields=["status", "run_after"], name="operations_task_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.task_path} {self.status} ({self.attempts}/{self.max_attempts})"
