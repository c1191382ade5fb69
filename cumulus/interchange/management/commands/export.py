"""``cumulus export cin-census --year YYYY --out FILE | ssda903 --year YYYY --out DIR |
annex-a --out FILE.xlsx``.

Each prints one summary line; records left out of a return because they break an error rule
are listed with their reasons and make the command exit 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cumulus.interchange.management.commands._summary import QuarantineExit


class Command(BaseCommand):
    help = "Export the CIN census, the SSDA903 return or the Ofsted Annex A workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="format", required=True)
        cin = sub.add_parser("cin-census", help="CIN census XML for the year ending 31 March")
        cin.add_argument("--year", type=int, required=True)
        cin.add_argument("--out", type=Path, required=True)
        cin.add_argument("--lea", default="999", help="the local authority's 3-digit number")
        ssda = sub.add_parser("ssda903", help="SSDA903 CSV files for the year ending 31 March")
        ssda.add_argument("--year", type=int, required=True)
        ssda.add_argument("--out", type=Path, required=True)
        annex = sub.add_parser("annex-a", help="Ofsted Annex A lists as an XLSX workbook")
        annex.add_argument("--out", type=Path, required=True)
        annex.add_argument("--as-of", type=str, default=None, help="YYYY-MM-DD, default today")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt == "cin-census":
            from cumulus.interchange.cin.export import export_census

            result = export_census(year=options["year"], lea=options["lea"])
            options["out"].write_bytes(result.xml)
            self.stdout.write(f"{options['out']}: {result.summary}")
            for finding in result.file_queries:
                self.stdout.write(
                    f"  file query {finding.rule}: {finding.message} ({finding.value})"
                )
            for key, errors in list(result.left_out.items())[:20]:
                first = errors[0]
                self.stdout.write(
                    f"  left out {key}: rule {first.rule} {first.message} "
                    f"[{first.field}={first.value!r}] at {first.location}"
                )
            if result.left_out:
                raise QuarantineExit(f"{len(result.left_out)} child(ren) left out of the return")
        elif fmt == "ssda903":
            from cumulus.interchange.ssda903.export import export_ssda903

            out = options["out"]
            out.mkdir(parents=True, exist_ok=True)
            ssda = export_ssda903(year=options["year"], directory=out)
            self.stdout.write(f"{out}: {ssda.summary}")
            if ssda.left_out:
                for key, message in list(ssda.left_out.items())[:20]:
                    self.stdout.write(f"  left out {key}: {message}")
                raise QuarantineExit(f"{len(ssda.left_out)} child(ren) left out of the return")
        else:
            import datetime as dt

            from cumulus.interchange.annex_a import export_annex_a

            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else None
            annex = export_annex_a(path=options["out"], as_of=as_of)
            self.stdout.write(f"{options['out']}: {annex.summary}")
