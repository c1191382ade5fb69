"""Reads of produced governance reports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cumulus.governance.models import GovernanceReport
from cumulus.governance.policies import can_produce_governance_report


def report_list() -> QuerySet[GovernanceReport]:
    return GovernanceReport.objects.select_related("strategy", "produced_by")


def report_get(*, viewer: Any, report_id: int) -> GovernanceReport:
    report = report_list().filter(pk=report_id).first()
    if report is None or not can_produce_governance_report(viewer):
        raise Http404
    return report
