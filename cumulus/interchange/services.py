"""Interchange writes: run an import batch, re-submit a fixed quarantined record, tokens.

Each import is one atomic batch (``cumulus.interchange.batches.batch_run``); a re-submission
is a new batch of one record, linked to the quarantined record it fixes.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.interchange.batches import BatchResult, Handler, ProgressCallback, batch_run
from cumulus.interchange.models import (
    AgencyToken,
    BatchKind,
    QuarantinedRecord,
    QuarantineStatus,
)
from cumulus.interchange.policies import can_manage_agency_tokens


class ResubmissionError(CumulusError):
    """The quarantined record cannot be re-submitted (already fixed, or not allowed)."""


def handler_for(kind: str, *, agency: Agency | None = None) -> Handler:
    """The format handler for a batch kind (imported lazily: each pulls in its parser)."""
    if kind == BatchKind.CIN_CENSUS:
        from cumulus.interchange.cin.handler import CinCensusHandler

        return CinCensusHandler()
    if kind == BatchKind.SSDA903:
        from cumulus.interchange.ssda903.handler import Ssda903Handler

        return Ssda903Handler()
    if kind == BatchKind.AGENCY_FEED:
        from cumulus.interchange.feeds.handler import FeedHandler

        if agency is None:
            raise CumulusError("An agency feed needs the agency it comes from")
        return FeedHandler(agency=agency)
    raise CumulusError(f"Unknown import kind {kind!r}")


def import_file_run(
    *,
    actor: User | None,
    kind: str,
    path: Path,
    agency: Agency | None = None,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Import one file as a batch (the ``cumulus import`` commands)."""
    return import_data_run(
        actor=actor,
        kind=kind,
        name=path.name,
        data=path.read_bytes(),
        agency=agency,
        progress=progress,
    )


def import_data_run(
    *,
    actor: User | None,
    kind: str,
    name: str,
    data: bytes,
    agency: Agency | None = None,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Import ``data`` (a file's bytes, an API request's body) as one batch."""
    return batch_run(
        handler=handler_for(kind, agency=agency),
        source_name=name,
        data=data,
        actor=actor,
        agency=agency,
        progress=progress,
    )


def quarantined_record_resubmit(
    *, actor: User, record: QuarantinedRecord, payload: str
) -> BatchResult:
    """Import a corrected ``payload`` for ``record`` as a new batch of one.

    If the corrected record is accepted the quarantined record is marked re-submitted; if it
    still breaks a rule, it stays open and the new batch holds the new reasons.
    """
    if record.status != QuarantineStatus.OPEN:
        raise ResubmissionError("This record has already been fixed and re-submitted")
    batch = record.batch
    handler = handler_for(batch.kind, agency=batch.agency)
    data = handler.wrap_payload(payload, meta=batch.meta)
    return batch_run(
        handler=handler,
        source_name=f"resubmission-{record.pk}-{batch.source_name}",
        data=data,
        actor=actor,
        agency=batch.agency,
        resubmission_of=record,
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenError(CumulusError):
    """An agency token cannot be issued or revoked as asked (who, which agency, why)."""


@transaction.atomic
def agency_token_create(
    *, actor: User | None, agency: Agency, name: str
) -> tuple[AgencyToken, str]:
    """A new API token for ``agency``; the secret is returned once and only its hash kept.

    ``actor`` is ``None`` only from the command line (``cumulus feed_token``), whose user is
    whoever may run commands on the server.
    """
    if actor is not None and not can_manage_agency_tokens(actor):
        raise TokenError("Only a partnership or system administrator can issue API tokens.")
    name = name.strip()
    if not name:
        raise TokenError("Say what the token is for, e.g. 'school attendance nightly feed'.")
    if len(name) > 100:
        raise TokenError(f"What the token is for must be 100 characters or fewer ({len(name)}).")
    if not agency.is_active:
        raise TokenError(f"{agency} is no longer active: it cannot be given a token.")
    secret = "cmls_" + secrets.token_urlsafe(32)
    token = AgencyToken.objects.create(
        agency=agency,
        name=name,
        prefix=secret[:12],
        token_sha256=_digest(secret),
        created_by=actor,
    )
    return token, secret


@transaction.atomic
def agency_token_revoke(*, actor: User | None, token: AgencyToken, reason: str = "") -> AgencyToken:
    """Revoke ``token`` from its next request on (idempotent: a revoked token stays as it was)."""
    if actor is not None and not can_manage_agency_tokens(actor):
        raise TokenError("Only a partnership or system administrator can revoke API tokens.")
    if actor is not None and not reason.strip():
        raise TokenError("Say why the token is being revoked.")
    token = AgencyToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.revoked_by = actor
        token.revoke_reason = reason.strip()[:300]
        token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return token


def agency_token_authenticate(*, secret: str) -> AgencyToken | None:
    """The active token with this secret, or ``None`` (unknown or revoked)."""
    token = (
        AgencyToken.objects.select_related("agency")
        .filter(token_sha256=_digest(secret), revoked_at__isnull=True, agency__is_active=True)
        .first()
    )
    if token is not None:
        AgencyToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token
