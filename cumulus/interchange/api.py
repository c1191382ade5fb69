"""The agency feed REST API (django-ninja): the same records as a feed file, over HTTPS.

Each agency authenticates with its own revocable bearer token (only the token's SHA-256 is
stored). Each token may make ``CUMULUS_FEED_RATE_LIMIT_PER_MINUTE`` requests a minute (a
counter row per token and minute, so the limit holds across processes). A POST is one batch:
the response says what was accepted and why anything was quarantined. The OpenAPI document is
committed as ``docs/interchange-feeds-openapi.json`` (a test keeps it current).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from cumulus.core import clock
from cumulus.interchange.models import (
    AgencyToken,
    ApiRequestWindow,
    BatchKind,
    BatchStatus,
    ImportBatch,
)
from cumulus.interchange.services import agency_token_authenticate, import_data_run
from cumulus.sharing.models import LawfulBasis

DEFAULT_RATE_LIMIT = 60


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AgencyToken | None:
        found = agency_token_authenticate(secret=token)
        if found is not None:
            _rate_limit(found)
        return found


def _rate_limit(token: AgencyToken) -> None:
    limit = int(getattr(settings, "CUMULUS_FEED_RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT))
    window = clock.now().replace(second=0, microsecond=0)
    with transaction.atomic():
        updated = ApiRequestWindow.objects.filter(token=token, window_start=window).update(
            requests=F("requests") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ApiRequestWindow.objects.create(token=token, window_start=window, requests=1)
            except IntegrityError:
                ApiRequestWindow.objects.filter(token=token, window_start=window).update(
                    requests=F("requests") + 1
                )
        used = ApiRequestWindow.objects.get(token=token, window_start=window).requests
    if used > limit:
        raise RateLimitedError


class RateLimitedError(Exception):
    pass


api = NinjaAPI(
    title="Cumulus agency feeds",
    version="1",
    description=(
        "Agencies send events about children (health appointments attended or not brought, "
        "immunisations, school attendance by session, exclusions, police incidents, housing "
        "concerns). Each record follows the JSON Schema in docs/agency-feed-v1.schema.json "
        "and carries the lawful basis on which it is shared (or the request's defaults give "
        "it). "
        "Authenticate with the bearer token your partnership issued to your agency."
    ),
    urls_namespace="interchange-api",
    auth=TokenAuth(),
    docs_url=None,
)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> Any:
    """Django's upload ceiling, answered in the API's JSON rather than Django's HTML page."""
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000
    return api.create_response(
        request,
        {"detail": f"Request body too large: send at most {limit_mb:g} MB per request"},
        status=413,
    )


@api.exception_handler(RateLimitedError)
def _too_many(request: HttpRequest, exc: RateLimitedError) -> Any:
    response = api.create_response(
        request, {"detail": "Too many requests: wait a minute and try again"}, status=429
    )
    response["Retry-After"] = "60"
    return response


class FeedDefaults(Schema):
    """The lawful basis of every record in the request that does not give its own."""

    model_config = {"extra": "forbid"}

    lawful_basis: str | None = Field(
        None,
        max_length=40,
        description="One of " + ", ".join(LawfulBasis.values) + " (as a record's lawful_basis).",
    )
    lawful_basis_reason: str | None = Field(
        None,
        max_length=2000,
        description="Why without consent: e.g. the data sharing agreement and its purpose.",
    )
    lawful_basis_consent_from: str | None = Field(
        None, max_length=200, description="Who consented, when the basis is consent."
    )


class FeedIn(Schema):
    records: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=10_000,
        description="Records following docs/agency-feed-v1.schema.json; each is accepted or "
        "quarantined with its reasons.",
    )
    defaults: FeedDefaults | None = Field(
        None,
        description="The agency's data sharing agreement: the lawful basis of each record that "
        "gives none. A record without a usable basis, its own or this, is quarantined.",
    )


class Reason(Schema):
    rule: str
    message: str
    field: str
    value: str
    location: str


class QuarantinedOut(Schema):
    location: str
    record_key: str
    reasons: list[Reason]


class BatchOut(Schema):
    batch_id: uuid.UUID
    status: str
    already_imported: bool
    started_at: dt.datetime
    read: int
    accepted: int
    warned: int
    unchanged: int
    quarantined: int
    rejection_reason: str
    quarantined_records: list[QuarantinedOut]


class ErrorOut(Schema):
    detail: str | list[dict[str, Any]]


def _batch_out(batch: ImportBatch, *, already_imported: bool = False) -> dict[str, Any]:
    return {
        "batch_id": batch.pk,
        "status": batch.status,
        "already_imported": already_imported,
        "started_at": batch.started_at,
        "read": batch.records_read,
        "accepted": batch.records_accepted,
        "warned": batch.records_warned,
        "unchanged": batch.records_unchanged,
        "quarantined": batch.records_quarantined,
        "rejection_reason": batch.rejection_reason,
        "quarantined_records": [
            {"location": q.location, "record_key": q.record_key, "reasons": q.reasons}
            for q in batch.quarantined.all()[:1000]
        ],
    }


@api.post(
    "/records",
    response={
        200: BatchOut,
        400: ErrorOut,
        401: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Send a batch of feed records",
)
def records_post(request: HttpRequest, feed: FeedIn) -> Any:
    """One batch: every record accepted or quarantined with its reasons; nothing half-saved."""
    token: AgencyToken = request.auth  # type: ignore[attr-defined]
    body: dict[str, Any] = {"records": feed.records}
    defaults = feed.defaults.model_dump(exclude_none=True) if feed.defaults else {}
    if defaults:
        body["defaults"] = defaults
    data = json.dumps(body, sort_keys=True).encode("utf-8")
    result = import_data_run(
        actor=None,
        kind=BatchKind.AGENCY_FEED,
        name=f"api-{token.prefix}.json",
        data=data,
        agency=token.agency,
    )
    if result.batch.status == BatchStatus.REJECTED:
        return Status(422, {"detail": result.batch.rejection_reason})
    return Status(200, _batch_out(result.batch, already_imported=result.already_imported))


@api.get(
    "/batches/{batch_id}",
    response={200: BatchOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="What happened to a batch your agency sent",
)
def batch_get(request: HttpRequest, batch_id: uuid.UUID) -> Any:
    token: AgencyToken = request.auth  # type: ignore[attr-defined]
    batch = ImportBatch.objects.filter(pk=batch_id, agency=token.agency).first()
    if batch is None:
        raise HttpError(404, "No batch with this id was sent by your agency")
    return Status(200, _batch_out(batch))
