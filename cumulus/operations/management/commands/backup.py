"""``cumulus backup FILE``: the whole database to FILE, with FILE.manifest.json beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.operations.backup import BackupError, backup_create, manifest_path


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump, or SQLite's backup API) with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(file=options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t.rows for t in manifest.tables.values())
        self.stdout.write(
            f"Backed up {len(manifest.tables)} tables, {rows} rows, to {options['file']} "
            f"(manifest {manifest_path(options['file'])})"
        )
