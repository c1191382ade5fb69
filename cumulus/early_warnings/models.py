"""Alerts raised by the early-warning rules, who they went to, and what was done about them.

An alert keeps a copy of the rule's title, version and rationale as they were when it fired,
so a later change to a rule file never rewrites why an earlier alert was raised. Responses
are appended, never edited: the practitioner decides, and the record shows what they decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core import clock


class Alert(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    rule_code = models.CharField(max_length=60)
    rule_version = models.PositiveIntegerField()
    rule_title = models.CharField(max_length=120)
    rationale = models.TextField()
    ruleset = models.CharField(max_length=60)
    evidence = models.TextField(blank=True)
    fired_on = models.DateField(help_text="The day the rule's condition was met.")
    raised_at = models.DateTimeField(default=clock.now)
    events = models.ManyToManyField(
        "chronology.ChronologyEvent", related_name="+", blank=True, through="AlertEvent"
    )

    class Meta:
        ordering = ["-fired_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule_code", "fired_on"], name="early_warnings_alert_once"
            )
        ]
        indexes = [models.Index(fields=["child", "rule_code", "-fired_on"], name="ew_child_rule")]

    def __str__(self) -> str:
        return f"{self.rule_code} for child {self.child_id} on {self.fired_on}"


class AlertEvent(models.Model):
    """One chronology event that triggered the alert."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        "chronology.ChronologyEvent", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "event"], name="early_warnings_alert_event")
        ]

    def __str__(self) -> str:
        return f"alert {self.alert_id}: event {self.event_id}"


class RecipientReason(models.TextChoices):
    LEAD_PRACTITIONER = "lead_practitioner", "Lead practitioner"
    AGENCY_DSL = "agency_dsl", "Designated safeguarding lead"


class AlertRecipient(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=RecipientReason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="early_warnings_recipient_once")
        ]
        indexes = [models.Index(fields=["user", "alert"], name="ew_recipient_user")]

    def __str__(self) -> str:
        return f"alert {self.alert_id} to user {self.user_id} ({self.reason})"


class ResponseKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTION_TAKEN = "action_taken", "Action taken"
    NO_ACTION = "no_action", "No action needed"


class AlertResponse(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="responses")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ResponseKind.choices)
    note = models.TextField(blank=True, help_text="What was done, or why no action is needed.")
    responded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-responded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.responder_id} on alert {self.alert_id}"
