"""Writes to accounts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cumulus.accounts.models import User
from cumulus.accounts.policies import can_end_sessions, dormant_since
from cumulus.core import clock
from cumulus.core.errors import CumulusError


class NotAllowedError(CumulusError):
    """The actor's role may not do this."""


@transaction.atomic
def dormant_accounts_disable(*, now: dt.datetime | None = None) -> list[str]:
    """Switch off every active account unused for ``CUMULUS_DORMANT_DAYS``; return usernames.

    Nothing is deleted: an administrator can switch an account back on after checking the
    person still needs it (their history and the access log keep pointing at the same row).
    """
    cutoff = dormant_since(now=now)
    dormant = (
        User.objects.select_for_update()
        .filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    usernames = sorted(dormant.values_list("username", flat=True))
    User.objects.filter(username__in=usernames).update(is_active=False)
    return usernames


@transaction.atomic
def sessions_end(*, actor: User, user: User, reason: str) -> User:
    """Sign ``user`` out of every session now (they have left, or an account is suspect).

    Sets ``sessions_ended_at``; ``SessionTimeoutMiddleware`` signs out any session started
    before it on its next request, whichever device it is on. The account stays usable: to stop
    the person signing in again, also switch it off. The caller logs the action.
    """
    if not can_end_sessions(actor):
        raise NotAllowedError("Only an administrator can end someone's sessions.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the sessions are being ended"})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.sessions_ended_at = clock.now()
    user.save(update_fields=["sessions_ended_at"])
    return user
