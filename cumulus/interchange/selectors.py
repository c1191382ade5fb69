"""Reads for the import report pages; each checks the viewer's role first."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from cumulus.accounts.models import User
from cumulus.interchange.models import AgencyToken, BatchWarning, ImportBatch, QuarantinedRecord
from cumulus.interchange.policies import (
    can_fix_quarantined_records,
    can_manage_agency_tokens,
    can_view_import_reports,
)


def batch_list(*, viewer: User) -> QuerySet[ImportBatch]:
    if not can_view_import_reports(viewer):
        raise PermissionDenied
    return ImportBatch.objects.select_related("agency").order_by("-started_at")


def batch_get(*, viewer: User, batch_id: uuid.UUID) -> ImportBatch:
    return get_object_or_404(batch_list(viewer=viewer), pk=batch_id)


def quarantined_for_batch(*, viewer: User, batch: ImportBatch) -> QuerySet[QuarantinedRecord]:
    if not can_view_import_reports(viewer):
        raise PermissionDenied
    return QuarantinedRecord.objects.filter(batch=batch).order_by("id")


def warnings_for_batch(*, viewer: User, batch: ImportBatch) -> QuerySet[BatchWarning]:
    if not can_view_import_reports(viewer):
        raise PermissionDenied
    return BatchWarning.objects.filter(batch=batch).order_by("id")


def quarantined_record_get(*, viewer: User, record_id: int) -> QuarantinedRecord:
    if not can_fix_quarantined_records(viewer):
        raise PermissionDenied
    return get_object_or_404(QuarantinedRecord.objects.select_related("batch"), pk=record_id)


def agency_token_list(*, viewer: User) -> QuerySet[AgencyToken]:
    """Every agency's tokens, active first, then newest; never the secrets (only hashes exist)."""
    if not can_manage_agency_tokens(viewer):
        raise PermissionDenied
    return AgencyToken.objects.select_related("agency", "created_by", "revoked_by").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )


def agency_token_get(*, viewer: User, token_id: int) -> AgencyToken:
    return get_object_or_404(agency_token_list(viewer=viewer), pk=token_id)
