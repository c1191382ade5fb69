"""``cumulus worker``: run background tasks from the database queue until stopped.

    cumulus worker                  # run tasks as they arrive (SIGTERM: finish the task, stop)
    cumulus worker --until-idle     # run what is due, then exit (cron-style, tests)

Run as many workers as you like, on any host that reaches the database.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cumulus.operations.worker import run_worker, worker_id_default


class Command(BaseCommand):
    help = "Run background tasks (imports, linkage, indicators, booklets, alert rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="append", help="Only these queues (repeatable).")
        parser.add_argument("--poll", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--max-tasks", type=int, help="Exit after this many tasks.")
        parser.add_argument("--until-idle", action="store_true", help="Exit when nothing is due.")
        parser.add_argument("--worker-id", default=None, help="Name recorded on each task.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def finish(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, finish)
        signal.signal(signal.SIGINT, finish)
        worker_id = options["worker_id"] or worker_id_default()
        self.stdout.write(f"Worker {worker_id} started")
        self.stdout.flush()
        done = run_worker(
            worker_id=worker_id,
            queues=options["queue"],
            poll_seconds=options["poll"],
            max_tasks=options["max_tasks"],
            stop=stop,
            exit_when_idle=options["until_idle"],
        )
        self.stdout.write(f"Worker {worker_id} stopped after {done} task(s)")
