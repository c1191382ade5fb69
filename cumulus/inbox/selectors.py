"""A practitioner's inbox: only their own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.accounts.models import User
from cumulus.inbox.models import Notification


def inbox_list(*, recipient: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=recipient)


def unread_count(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()
