"""``cumulus rights ...``: the records team's tools for the child's rights.

cumulus rights retention-due                    # children whose record is due for review
cumulus rights sar-prepare --child ID --requester "the young person" --received 2026-11-20 --by USER
cumulus rights sar-approve --request ID --by USER       # a different person
cumulus rights sar-release --request ID --by USER --out DIR   # writes .json and .pdf
cumulus rights erase --child ID --by USER --reason "..."
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.accounts.models import User
from cumulus.core.errors import CumulusError
from cumulus.people.models import Child
from cumulus.rights import services
from cumulus.rights.models import SubjectAccessRequest
from cumulus.rights.selectors import retention_review_list


class Command(BaseCommand):
    help = "Subject access, retention review and erasure for a child's record."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("retention-due", help="list records due for retention review")
        prepare = sub.add_parser("sar-prepare", help="prepare a subject access package")
        prepare.add_argument("--child", type=int, required=True)
        prepare.add_argument("--requester", required=True)
        prepare.add_argument("--received", type=dt.date.fromisoformat, required=True)
        for name in ("sar-approve", "sar-release"):
            p = sub.add_parser(name)
            p.add_argument("--request", type=int, required=True)
            if name == "sar-release":
                p.add_argument("--out", type=Path, required=True)
        erase = sub.add_parser("erase", help="erase a record that is due")
        erase.add_argument("--child", type=int, required=True)
        erase.add_argument("--reason", required=True)
        for p in sub.choices.values():
            if p.prog.split()[-1] != "retention-due":
                p.add_argument("--by", required=True, help="username of who does it")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "retention-due":
                for due in retention_review_list():
                    self.stdout.write(f"child {due.child_id}\t{due.rule.name}\tdue {due.review_on}")
                return
            actor = self._user(options["by"])
            if action == "sar-prepare":
                request = services.subject_access_prepare(
                    actor=actor,
                    child=self._child(options["child"]),
                    requester=options["requester"],
                    received_on=options["received"],
                )
                self.stdout.write(
                    f"prepared request {request.pk}: {request.redactions} redaction(s); "
                    f"due {request.due_on}; needs a second person to approve"
                )
            elif action == "sar-approve":
                services.subject_access_approve(
                    actor=actor, request=self._request(options["request"])
                )
                self.stdout.write(f"approved request {options['request']}")
            elif action == "sar-release":
                machine, pdf = services.subject_access_release(
                    actor=actor, request=self._request(options["request"])
                )
                out: Path = options["out"]
                out.mkdir(parents=True, exist_ok=True)
                (out / f"subject-access-{options['request']}.json").write_bytes(machine)
                (out / f"subject-access-{options['request']}.pdf").write_bytes(pdf)
                self.stdout.write(f"released request {options['request']} to {out}")
            elif action == "erase":
                erasure = services.child_erase(
                    actor=actor, child=self._child(options["child"]), reason=options["reason"]
                )
                self.stdout.write(f"erased child {options['child']} under rule {erasure.rule}")
        except (CumulusError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}")
        return user

    def _child(self, child_id: int) -> Child:
        child = Child.objects.select_related("person").filter(pk=child_id).first()
        if child is None:
            raise CommandError(f"No child has id {child_id}")
        return child

    def _request(self, request_id: int) -> SubjectAccessRequest:
        request = SubjectAccessRequest.objects.filter(pk=request_id).first()
        if request is None:
            raise CommandError(f"No subject access request has id {request_id}")
        return request
