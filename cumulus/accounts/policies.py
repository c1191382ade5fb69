"""Yes/no questions about accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from cumulus.core import clock


def dormant_since(*, now: dt.datetime | None = None) -> dt.datetime:
    """Accounts last used before this moment are dormant."""
    return (now or clock.now()) - dt.timedelta(days=settings.CUMULUS_DORMANT_DAYS)


def is_dormant(user: Any, *, now: dt.datetime | None = None) -> bool:
    """True for a staff account unused (never signed in: since it was made) for too long."""
    last_used = user.last_login or user.date_joined
    return bool(last_used is not None and last_used < dormant_since(now=now))


def can_end_sessions(actor: Any) -> bool:
    """System and partnership administrators may sign someone out everywhere."""
    from cumulus.accounts.models import Role

    return bool(
        actor.is_authenticated
        and actor.is_active
        and actor.role in {Role.SYSTEM_ADMINISTRATOR, Role.PARTNERSHIP_ADMINISTRATOR}
    )
