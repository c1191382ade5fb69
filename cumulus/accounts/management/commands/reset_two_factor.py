"""``cumulus reset_two_factor USERNAME``: remove a user's authenticators (a lost phone).

The user sets up a new authenticator at their next sign-in. Run by an administrator after
checking who is asking.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from cumulus.accounts.models import User


class Command(BaseCommand):
    help = "Remove a user's two-factor authenticators so they set up a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {removed} authenticator(s) for {user.username}")
