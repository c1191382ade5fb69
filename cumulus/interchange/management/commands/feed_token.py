"""``cumulus feed_token issue|list|revoke``: agencies' API tokens for the feed API.

The secret is printed once, at issue; only its SHA-256 is kept, so a lost secret is revoked
and a new token issued. Revoking takes effect on the next request (the API answers 401).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.accounts.models import Agency
from cumulus.interchange.models import AgencyToken
from cumulus.interchange.services import TokenError, agency_token_create, agency_token_revoke


class Command(BaseCommand):
    help = "Issue, list or revoke an agency's token for the feed API."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="a new token; the secret is shown once")
        issue.add_argument("--agency", required=True, help="the agency's code")
        issue.add_argument("--name", required=True, help="what the token is for")
        listing = sub.add_parser("list", help="tokens, newest first, without secrets")
        listing.add_argument("--agency", help="only this agency's tokens")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix", help="the token's prefix, as `list` shows it")
        revoke.add_argument("--reason", default="", help="why it is revoked (kept with it)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "issue":
            agency = self._agency(options["agency"])
            name = options["name"].strip()
            if not name:
                raise CommandError("--name must say what the token is for")
            try:
                token, secret = agency_token_create(actor=None, agency=agency, name=name)
            except TokenError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"issued {token.prefix} for {agency}: {name}")
            self.stdout.write(f"secret (shown once, store it now): {secret}")
        elif action == "list":
            tokens = AgencyToken.objects.select_related("agency").order_by("-created_at")
            if options["agency"]:
                tokens = tokens.filter(agency=self._agency(options["agency"]))
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                self.stdout.write(f"{t.prefix}  {t.agency}  {t.name}  {state}  last used {used}")
        else:
            found = AgencyToken.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No token has the prefix {options['prefix']!r}")
            already = found.revoked_at is not None
            agency_token_revoke(actor=None, token=found, reason=options["reason"])
            self.stdout.write(f"{found.prefix} {'was already' if already else 'is now'} revoked")

    @staticmethod
    def _agency(code: str) -> Agency:
        agency = Agency.objects.filter(code=code, is_active=True).first()
        if agency is None:
            raise CommandError(f"No active agency has the code {code!r}")
        return agency
