"""``cumulus load_codelists``: reload the code list CSVs after a new collection year."""

from typing import Any

from django.core.management.base import BaseCommand

from cumulus.codelists.loader import load_all
from cumulus.codelists.models import Code, Scheme


class Command(BaseCommand):
    help = "Create or update the reference code lists from cumulus/codelists/data/*.csv."

    def handle(self, *args: Any, **options: Any) -> None:
        written = load_all(Code, [s.value for s in Scheme])
        self.stdout.write(self.style.SUCCESS(f"{written} codes loaded"))
