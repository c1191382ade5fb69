"""``cumulus disable_dormant_accounts``: switch off accounts unused for 90 days (run nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cumulus.accounts.services import dormant_accounts_disable


class Command(BaseCommand):
    help = "Disable every account not used for CUMULUS_DORMANT_DAYS days (default 90)."

    def handle(self, *args: Any, **options: Any) -> None:
        usernames = dormant_accounts_disable()
        for username in usernames:
            self.stdout.write(f"disabled {username}")
        self.stdout.write(f"{len(usernames)} dormant account(s) disabled")
