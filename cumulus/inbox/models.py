"""Messages to a practitioner: a referrer told what happened to their concern, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core import clock


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    created_at = models.DateTimeField(default=clock.now)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="inbox_recent")]

    def __str__(self) -> str:
        return self.subject
