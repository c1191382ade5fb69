"""``cumulus serve --production``: run Cumulus under gunicorn, configured by the environment.

    CUMULUS_ENV=production CUMULUS_SECRET_KEY=... CUMULUS_ALLOWED_HOSTS=cumulus.example.gov.uk \\
    DATABASE_URL=postgres://cumulus@db/cumulus cumulus serve --production --bind 0.0.0.0:8000

It refuses to start unless the settings are production ones (DEBUG off, a real secret key,
allowed hosts: the settings themselves refuse the rest), the database is PostgreSQL, and
``check --deploy`` passes. Static files are collected and served by whitenoise.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Run Cumulus under gunicorn with production settings."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--production", action="store_true", help="Required: serve with gunicorn."
        )
        parser.add_argument("--bind", help="host:port (default CUMULUS_BIND or 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, help="Threads per worker.")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Static files are already collected."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["production"]:
            raise CommandError("cumulus serve needs --production (for the demo, use: cumulus demo)")
        problems = production_problems()
        if problems:
            raise CommandError("Refusing to start: " + "; ".join(problems))
        call_command("check", deploy=True, fail_level="WARNING")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        env = dict(os.environ)
        for option, variable in (
            ("bind", "CUMULUS_BIND"),
            ("workers", "CUMULUS_WEB_WORKERS"),
            ("threads", "CUMULUS_WEB_THREADS"),
        ):
            if options[option]:
                env[variable] = str(options[option])
        metrics_dir = Path(settings.VAR_DIR) / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:cumulus.operations.gunicorn_conf",
        ]
        self.stdout.write(f"Starting gunicorn on {env.get('CUMULUS_BIND', '127.0.0.1:8000')}")
        self.stdout.flush()
        os.execvpe(command[0], command, env)  # noqa: S606 - replaces this process


def production_problems() -> list[str]:
    """What stops this configuration from serving production traffic."""
    problems = []
    if not settings.PRODUCTION:
        problems.append("CUMULUS_ENV must be production")
    if settings.DEBUG:
        problems.append("DEBUG is on")
    if connection.vendor != "postgresql":
        problems.append("production needs PostgreSQL (set DATABASE_URL=postgres://...)")
    return problems
