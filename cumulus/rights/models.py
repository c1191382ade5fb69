"""Requests a child (or someone for them) makes about their record, and what was done.

Nothing here is ever deleted: each request, its sign-off and its outcome are the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core import clock


class SubjectAccessStatus(models.TextChoices):
    PREPARED = "prepared", "Prepared, waiting for a reviewer"
    APPROVED = "approved", "Approved for release"
    RELEASED = "released", "Released"


class SubjectAccessRequest(models.Model):
    """A subject access request (UK GDPR Article 15) about one child's record.

    The package (everything held, with third parties redacted) is prepared by one person and
    must be approved by a different one before it can be released.
    """

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    requester = models.CharField(
        max_length=200, help_text="Who asked, e.g. the young person, or a parent with PR."
    )
    received_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=SubjectAccessStatus.choices)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=clock.now)
    package = models.JSONField()
    redactions = models.PositiveIntegerField(default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("prepared_by")),
                name="rights_sar_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"subject access request {self.pk} for child {self.child_id}"


class Erasure(models.Model):
    """The tombstone left when a child's personal data is erased at the end of retention.

    The child's row stays (so indicator counts for past years do not change) with no name,
    identifiers or free text; this row says who erased it, when, and under which rule.
    """

    child = models.OneToOneField("people.Child", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=60)
    reason = models.TextField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    erased_at = models.DateTimeField(default=clock.now)
    fields_cleared = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"erasure of child {self.child_id} under {self.rule}"


class RecordRequestKind(models.TextChoices):
    RECTIFICATION = "rectification", "Rectification (correct something)"
    RESTRICTION = "restriction", "Restriction (stop using something for now)"


class RecordRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    CARRIED_OUT = "carried_out", "Carried out"
    REFUSED = "refused", "Refused, with reasons"


class RecordRequest(models.Model):
    """A request to correct (Article 16) or restrict (Article 18) part of a child's record."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RecordRequestKind.choices)
    requester = models.CharField(max_length=200)
    what = models.TextField(help_text="Which part of the record, and what the person says.")
    status = models.CharField(
        max_length=20, choices=RecordRequestStatus.choices, default=RecordRequestStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk} for child {self.child_id}"


class RecordRequestUpdate(models.Model):
    """One step in a record request's trail: what was decided or done, by whom, when."""

    request = models.ForeignKey(RecordRequest, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=RecordRequestStatus.choices)
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} on request {self.request_id}"
