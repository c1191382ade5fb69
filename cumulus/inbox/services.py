"""Sending and reading notifications; called inside the transaction of the action they report."""

from __future__ import annotations

from dataclasses import dataclass

from cumulus.accounts.models import User
from cumulus.core import clock
from cumulus.inbox.models import Notification


def notification_send(*, recipient: User, subject: str, body: str, link: str = "") -> Notification:
    return Notification.objects.create(recipient=recipient, subject=subject, body=body, link=link)


@dataclass(frozen=True)
class Message:
    """One notification to send with ``notifications_send``."""

    recipient_id: int
    subject: str
    body: str
    link: str = ""


def notifications_send(messages: list[Message]) -> int:
    """Many notifications in bulk inserts (e.g. a nightly early-warning run); same rows as
    ``notification_send`` writes one by one."""
    now = clock.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=m.recipient_id,
                subject=m.subject,
                body=m.body,
                link=m.link,
                created_at=now,
            )
            for m in messages
        ],
        batch_size=2000,
    )
    return len(created)


def notifications_mark_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=clock.now()
    )
