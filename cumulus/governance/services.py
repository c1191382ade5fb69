"""Produce a governance report in the app: the files are written under ``VAR_DIR`` first, then
the record, so a failed render leaves no record pointing at missing files."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.governance.models import GovernanceReport
from cumulus.governance.policies import can_produce_governance_report
from cumulus.governance.render import report_write
from cumulus.governance.sections import ReportPeriod
from cumulus.strategy.models import Strategy


class GovernanceReportNotAllowedError(CumulusError):
    """Only the business unit and partnership analysts produce governance reports."""


def report_dir(report: GovernanceReport) -> Path:
    return Path(settings.VAR_DIR) / "governance" / str(report.pk)


@transaction.atomic
def governance_report_produce(*, actor: User, strategy: Strategy, quarter: str) -> GovernanceReport:
    """Render the report for ``quarter`` (YYYYQn; ``QuarterFormatError`` otherwise)."""
    if not can_produce_governance_report(actor):
        raise GovernanceReportNotAllowedError("You may not produce governance reports")
    period = ReportPeriod.quarter(quarter)
    report = GovernanceReport.objects.create(
        strategy=strategy,
        quarter=quarter.strip(),
        produced_at=clock.now(),
        produced_by=actor,
        pdf_name="",
        xlsx_name="",
    )
    out = report_dir(report)
    try:
        pdf, xlsx = report_write(period=period, strategy=strategy, out_dir=out)
    except Exception:
        shutil.rmtree(out, ignore_errors=True)
        raise
    report.pdf_name, report.xlsx_name = pdf.name, xlsx.name
    report.save(update_fields=["pdf_name", "xlsx_name"])
    return report
