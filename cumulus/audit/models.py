"""The append-only access log: who looked at which child, when, how and from which request.

Rows are never changed or deleted: the model refuses it, and database triggers (see the
migration ``0002_append_only_triggers``) refuse it on SQLite and PostgreSQL alike. The log keeps
the child's id as a plain number, not a foreign key, so it outlives what it describes.

Each row is also a link in a hash chain (``cumulus.audit.chain``): it carries a gapless
``sequence`` number, the previous row's hash and its own SHA-256 hash over its content and that
previous hash, so ``cumulus audit verify`` finds any row altered or removed behind the
triggers' back (by someone with the database owner's rights, or on a restored copy).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cumulus.core import clock


class AccessAction(models.TextChoices):
    VIEW_CHILD = "view_child", "Viewed child record"
    SEARCH = "search", "Searched for a child"
    EXPORT = "export", "Exported a record"
    VIEW_ACCESS_LOG = "view_access_log", "Viewed who accessed a record"
    DENIED = "denied", "Was refused a record"
    BREAK_GLASS = "break_glass", "Used emergency access"
    END_SESSIONS = "end_sessions", "Ended a user's sessions"
    END_OWN_SESSIONS = "end_own_sessions", "Ended one or all others of their own sessions"
    RIGHTS = "rights", "Handled a rights request"
    AGENCY_TOKEN = "agency_token", "Issued or revoked an agency's API token"
    RESTRICTION = "restriction", "Restricted a record or lifted a restriction"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an access log entry."""


class AccessLogEntry(models.Model):
    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    actor_username = models.CharField(max_length=150)
    actor_agency = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=30, choices=AccessAction.choices)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    view_name = models.CharField(max_length=100)
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=10)
    request_id = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    sequence = models.BigIntegerField(unique=True, null=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [models.Index(fields=["child_id", "-occurred_at"], name="audit_child_recent")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Access log entries cannot be changed")
        from cumulus.audit.chain import append_to_chain

        append_to_chain(self, lambda: super(AccessLogEntry, self).save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access log entries cannot be deleted")
