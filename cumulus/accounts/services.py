"""Writes to accounts."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from cumulus.accounts.models import User
from cumulus.accounts.policies import dormant_since


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
