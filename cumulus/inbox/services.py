"""Sending and reading notifications; called inside the transaction of the action they report."""

from __future__ import annotations

from cumulus.accounts.models import User
from cumulus.core import clock
from cumulus.inbox.models import Notification


def notification_send(*, recipient: User, subject: str, body: str, link: str = "") -> Notification:
    return Notification.objects.create(recipient=recipient, subject=subject, body=body, link=link)


def notifications_mark_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=clock.now()
    )
