"""Per-request operations: a structured log line and a latency sample per request, and a
friendly 503 page (not a stack trace) while the database is unreachable.

Sits just after ``cumulus.core.middleware.RequestIdMiddleware``, so each log line carries the
same ``request_id`` as the ``X-Request-ID`` header and the access log row.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from cumulus.operations import logs
from cumulus.operations.metrics import REQUEST_LATENCY

DATABASE_ERRORS = (OperationalError, InterfaceError)
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    body = render_to_string(
        "operations/503.html", {"request_id": getattr(request, "request_id", "")}
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "10"
    return response


def _note_database_error(
    sender: object, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Django turns an exception raised in an inner middleware (e.g. the session being saved)
    into a 500 page before it reaches us; remember when the cause was the database."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        request._cumulus_database_error = True  # type: ignore[attr-defined]


got_request_exception.connect(_note_database_error, dispatch_uid="cumulus-database-error")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.log = logs.request_logger()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = getattr(request, "request_id", "")
        logs.bind_request(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS:
            self.log.exception("database unavailable")
            response = database_unavailable_response(request)
        if response.status_code == 500 and getattr(request, "_cumulus_database_error", False):
            response = database_unavailable_response(request)
        elapsed = time.perf_counter() - started
        match = request.resolver_match
        view = match.view_name if match else "unmatched"
        REQUEST_LATENCY.labels(
            view=view, method=request.method or "", status=f"{response.status_code // 100}xx"
        ).observe(elapsed)
        if request.path not in _QUIET_PATHS or response.status_code >= 400:
            user = getattr(request, "user", None)
            self.log.info(
                "request",
                method=request.method,
                path=request.path,
                view=view,
                status=response.status_code,
                duration_ms=round(elapsed * 1000, 1),
                user_id=getattr(user, "pk", None),
            )
        logs.unbind_request()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            self.log.error("database unavailable", error=str(exception)[:300])
            return database_unavailable_response(request)
        return None
