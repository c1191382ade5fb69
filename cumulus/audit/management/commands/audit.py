"""``cumulus audit verify``: check the access log's hash chain; exit 0 when it is intact.

Prints how many entries were checked and the head of the chain (its last sequence number and
hash: record it somewhere else, e.g. with each backup, to detect removal of the newest entries
later). On a break it prints each one (sequence, entry id, what is wrong) and exits 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Access log tools. 'verify' checks the hash chain and exits 1 if it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the access log's hash chain")
        verify.add_argument(
            "--expect-head",
            metavar="SEQUENCE:HASH",
            help="fail unless the chain still holds this entry (a head recorded earlier)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        for problem in report.breaks:
            self.stderr.write(
                f"BROKEN at sequence {problem.sequence} (entry id {problem.entry_id}): "
                f"{problem.problem}"
            )
        expected = options.get("expect_head")
        if expected:
            self._check_expected_head(expected, report.head_sequence)
        if not report.intact:
            raise CommandError(
                f"The access log's hash chain is broken: {len(report.breaks)} problem(s) "
                f"in {report.entries_checked} entries checked."
            )
        self.stdout.write(
            f"Access log intact: {report.entries_checked} entries; head "
            f"{report.head_sequence}:{report.head_hash}"
        )

    def _check_expected_head(self, expected: str, head_sequence: int) -> None:
        from cumulus.audit.chain import entry_hash
        from cumulus.audit.models import AccessLogEntry

        sequence_text, _, hash_text = expected.partition(":")
        if not sequence_text.isdigit() or len(hash_text) != 64:
            raise CommandError("--expect-head takes SEQUENCE:HASH as printed by a previous run")
        sequence = int(sequence_text)
        if sequence > head_sequence:
            raise CommandError(
                f"The chain ends at {head_sequence}, before the recorded head {sequence}: "
                "the newest entries have been removed."
            )
        entry = AccessLogEntry.objects.filter(sequence=sequence).first()
        if (
            entry is None
            or entry.entry_hash != hash_text
            or entry_hash(entry, entry.previous_hash) != hash_text
        ):
            raise CommandError(f"Entry {sequence} no longer matches the recorded head hash.")
