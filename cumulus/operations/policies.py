"""Who may see the operations pages, and who may scrape ``/metrics``."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from cumulus.accounts.models import Role, User


def can_view_tasks(user: User) -> bool:
    """System administrators (and Django superusers) see the background task status page."""
    return bool(user.is_superuser or user.role == Role.SYSTEM_ADMINISTRATOR)


def can_scrape_metrics(request: HttpRequest) -> bool:
    """``CUMULUS_METRICS_TOKEN`` set: the scraper must send ``Authorization: Bearer <token>``.
    Otherwise only addresses in ``CUMULUS_METRICS_ALLOWED_IPS`` (default loopback) may."""
    token: str = getattr(settings, "CUMULUS_METRICS_TOKEN", "")
    if token:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    remote = request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    allowed: list[str] = getattr(settings, "CUMULUS_METRICS_ALLOWED_IPS", [])
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)
