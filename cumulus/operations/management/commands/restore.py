"""``cumulus restore FILE``: load a backup into an empty database and verify it row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.operations.backup import BackupError, restore_apply


class Command(BaseCommand):
    help = "Restore a backup made by cumulus backup, then check every table against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Drop the target database's tables first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_apply(file=options["file"], replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t.rows for t in manifest.tables.values())
        self.stdout.write(
            f"Restored {len(manifest.tables)} tables, {rows} rows; counts and checksums match"
        )
