"""``cumulus interchange_openapi --out docs/interchange-feeds-openapi.json``: write the agency
feed API's OpenAPI document (committed, and checked by a test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def openapi_text() -> str:
    from cumulus.interchange.api import api

    return (
        json.dumps(api.get_openapi_schema(path_prefix="/interchange/api/feeds/v1"), indent=2) + "\n"
    )


class Command(BaseCommand):
    help = "Write the agency feed API's OpenAPI document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        options["out"].write_text(openapi_text(), encoding="utf-8")
        self.stdout.write(f"wrote {options['out']}")
