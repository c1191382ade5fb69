"""``cumulus enqueue TASK [--kwargs JSON]``: put a registered background task on the queue
(from cron or a platform scheduler), printing its id; ``cumulus worker`` runs it.

    cumulus enqueue cumulus.operations.tasks.access_log_export --kwargs '{"on": "2026-12-01"}'
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import Task
from django.tasks.exceptions import InvalidTask
from django.utils.module_loading import import_string

from cumulus.operations.registry import registered


class Command(BaseCommand):
    help = "Enqueue a registered background task."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("task", help="Dotted path of a registered task.")
        parser.add_argument("--kwargs", default="{}", help="Keyword arguments as a JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["task"]
        known = registered()
        if path not in known:
            names = ", ".join(sorted(known)) or "none"
            raise CommandError(f"{path} is not a registered task; registered: {names}")
        try:
            kwargs = json.loads(options["kwargs"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--kwargs is not JSON: {exc}") from exc
        if not isinstance(kwargs, dict):
            raise CommandError("--kwargs must be a JSON object")
        task = import_string(path)
        assert isinstance(task, Task)
        try:
            result = task.enqueue(**kwargs)
        except (InvalidTask, TypeError) as exc:
            raise CommandError(f"cannot enqueue {path}: {exc}") from exc
        self.stdout.write(result.id)
