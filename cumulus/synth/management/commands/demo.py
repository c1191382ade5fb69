"""``cumulus demo``: set up the demo partnership on the embedded database and serve it.

cumulus demo                      # build assets, migrate, load the demo, serve on :8000
cumulus demo --host 0.0.0.0 --port 9000
cumulus demo --no-serve           # prepare the database and exit
cumulus demo --reset              # throw the demo data away and build it again
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from cumulus.accounts.models import Agency
from cumulus.synth.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo_partnership
from cumulus.web.assets import FrontendBuildError, ensure_frontend_assets


class Command(BaseCommand):
    help = "Prepare the synthetic demo partnership and serve Cumulus."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the demo database, then exit."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the demo data.")
        parser.add_argument(
            "--children", type=int, default=500, help="Children (0-17) in the demo partnership."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the embedded SQLite database and rebuild the demo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("cumulus demo refuses to run with CUMULUS_ENV=production")
        if not 1 <= options["port"] <= 65535:
            raise CommandError(f"--port must be between 1 and 65535; got {options['port']}")
        try:
            if ensure_frontend_assets():
                self.stdout.write("Front-end assets built from package-lock.json.")
        except FrontendBuildError as exc:
            raise CommandError(str(exc)) from exc
        if options["reset"]:
            self._delete_embedded_database()
        call_command("migrate", interactive=False, verbosity=0)
        if Agency.objects.exists():
            self.stdout.write("Demo partnership already loaded (use --reset to rebuild it).")
        else:
            if not 50 <= options["children"] <= 100_000:
                raise CommandError(
                    f"--children must be between 50 and 100000; got {options['children']}"
                )
            summary = build_demo_partnership(seed=options["seed"], children=options["children"])
            self.stdout.write(
                f"Demo partnership loaded: {summary.agencies} agencies, {summary.households} "
                f"households, {summary.children} children, {summary.adults} adults, "
                f"{summary.plans} plans, {summary.events} chronology events."
            )
        self._print_logins(options["host"], options["port"])
        if options["no_serve"]:
            return
        call_command(
            "runserver",
            f"{options['host']}:{options['port']}",
            use_reloader=False,
            skip_checks=True,
        )

    def _delete_embedded_database(self) -> None:
        """Start again from an empty SQLite file (the access log cannot be emptied otherwise)."""
        database = connections["default"].settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("--reset only works on the embedded SQLite database")
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
        self.stdout.write("Demo database deleted.")

    def _print_logins(self, host: str, port: int) -> None:
        shown = "localhost" if host in {"127.0.0.1", "0.0.0.0", "::"} else host  # noqa: S104
        self.stdout.write(self.style.SUCCESS(f"\nCumulus: http://{shown}:{port}/"))
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<16} {login.job_title}")
        self.stdout.write(f"  {'family.parent':<16} a parent: the family's own view of their plan")
