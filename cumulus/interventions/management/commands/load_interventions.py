"""``cumulus load_interventions [--file PATH]``: load or refresh the interventions catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.interventions.catalogue import CatalogueError
from cumulus.interventions.services import intervention_catalogue_load


class Command(BaseCommand):
    help = "Load the catalogue of local interventions (services and programmes) from TOML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="catalogue file (default: the shipped one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = intervention_catalogue_load(path=options["file"])
        except (CatalogueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Loaded {count} interventions.")
