"""``cumulus import cin-census FILE | ssda903 DIR | feed --agency CODE FILE``.

Each prints one summary line (read, accepted, warned, quarantined) and exits 1 if any record
was quarantined, 2 if the file was refused, so scripts notice.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cumulus.accounts.models import Agency
from cumulus.interchange.batches import BatchResult
from cumulus.interchange.management.commands._summary import QuarantineExit
from cumulus.interchange.models import BatchKind, BatchStatus
from cumulus.interchange.services import import_data_run, import_file_run
from cumulus.interchange.ssda903.files import pack_directory


class Command(BaseCommand):
    help = "Import a CIN census file, an SSDA903 directory or an agency feed as one batch."
    # The system checks load every URLconf (and with it the analytics stack): seconds of start-up
    # that a data import does not need. `cumulus check` and the service still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="format", required=True)
        cin = sub.add_parser("cin-census", help="a CIN census XML file")
        cin.add_argument("file", type=Path)
        ssda = sub.add_parser("ssda903", help="a directory of SSDA903 CSV files")
        ssda.add_argument("directory", type=Path)
        feed = sub.add_parser("feed", help="an agency feed, CSV or JSON")
        feed.add_argument("--agency", required=True, help="the agency's code")
        feed.add_argument("file", type=Path)
        for p in (cin, ssda, feed):
            p.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        progress = None if options["quiet"] else self._progress
        if fmt == "cin-census":
            path = self._file(options["file"])
            result = import_file_run(
                actor=None, kind=BatchKind.CIN_CENSUS, path=path, progress=progress
            )
        elif fmt == "ssda903":
            directory = options["directory"]
            if not directory.is_dir():
                raise CommandError(f"{directory} is not a directory", returncode=2)
            name, data = pack_directory(directory)
            result = import_data_run(
                actor=None, kind=BatchKind.SSDA903, name=name, data=data, progress=progress
            )
        else:
            path = self._file(options["file"])
            agency = Agency.objects.filter(code=options["agency"], is_active=True).first()
            if agency is None:
                raise CommandError(f"No active agency has the code {options['agency']!r}")
            result = import_file_run(
                actor=None, kind=BatchKind.AGENCY_FEED, path=path, agency=agency, progress=progress
            )
        self._finish(result)

    def _file(self, path: Path) -> Path:
        if not path.is_file():
            raise CommandError(f"{path} is not a file", returncode=2)
        return path

    def _progress(self, done: int, total: int) -> None:
        print(f"processed {done} of {total} records", file=sys.stderr, flush=True)

    def _finish(self, result: BatchResult) -> None:
        batch = result.batch
        if batch.status == BatchStatus.REJECTED:
            raise CommandError(result.summary, returncode=2)
        self.stdout.write(result.summary)
        for finding in batch.meta.get("file_queries", []):
            self.stdout.write(
                f"  file query {finding['rule']}: {finding['message']} ({finding['value']})"
            )
        if batch.records_quarantined:
            for record in batch.quarantined.all()[:20]:
                reason = record.first_reason
                where = reason.get("location") or record.location
                self.stdout.write(
                    f"  quarantined {record.record_key} at {where}: "
                    f"rule {reason.get('rule')} {reason.get('message')} "
                    f"[{reason.get('field')}={reason.get('value')!r}]"
                )
            raise QuarantineExit(f"{batch.records_quarantined} record(s) quarantined")
