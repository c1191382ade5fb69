"""``cumulus end_sessions USERNAME --by ADMIN --reason "..."``: sign someone out everywhere.

For a practitioner who has left, or whose account may be in someone else's hands. The action
is written to the access log under the administrator's name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.accounts.services import NotAllowedError, sessions_end
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record_offline


class Command(BaseCommand):
    help = "End every session of a user now (they must sign in again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="the administrator's username")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[options["username"], options["by"]])
        }
        for key in ("username", "by"):
            if options[key] not in users:
                raise CommandError(f"No user is called {options[key]!r}")
        actor, user = users[options["by"]], users[options["username"]]
        try:
            with transaction.atomic():
                sessions_end(actor=actor, user=user, reason=options["reason"])
                access_log_record_offline(
                    actor=actor,
                    action=AccessAction.END_SESSIONS,
                    view_name="command:end_sessions",
                    detail={"user": user.username, "reason": options["reason"].strip()},
                )
        except (NotAllowedError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Ended every session of {user.username}")
