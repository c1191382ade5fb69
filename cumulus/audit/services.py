"""Writing the access log. Called explicitly by the selector or view that shows the data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.core.network import client_address


def access_log_record(
    *,
    actor: User,
    request: HttpRequest,
    action: AccessAction,
    child_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Append one entry for something ``actor`` saw or tried to see through ``request``."""
    match = request.resolver_match
    return AccessLogEntry.objects.create(
        actor=actor,
        actor_username=actor.get_username(),
        actor_agency=str(actor.agency) if actor.agency_id else "",
        actor_role=actor.role,
        action=action,
        child_id=child_id,
        view_name=(match.view_name if match else "")[:100],
        path=request.get_full_path()[:500],
        method=request.method or "",
        request_id=getattr(request, "request_id", ""),
        ip_address=client_address(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
        detail=detail or {},
    )


def access_log_record_offline(
    *,
    actor: User,
    action: AccessAction,
    view_name: str,
    child_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Append one entry for something done outside a web request (a command an administrator
    ran on the server): no path, address or request id, ``view_name`` says which command."""
    return AccessLogEntry.objects.create(
        actor=actor,
        actor_username=actor.get_username(),
        actor_agency=str(actor.agency) if actor.agency_id else "",
        actor_role=actor.role,
        action=action,
        child_id=child_id,
        view_name=view_name[:100],
        path="",
        method="",
        request_id="",
        ip_address=None,
        detail=detail or {},
    )
