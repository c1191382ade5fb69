"""Import batches, their quarantined records, source fingerprints and agency API tokens.

Every file or API call that brings records in is one ``ImportBatch``: who ran it, when, the
SHA-256 of what was read, and counts that must add up (accepted + quarantined = read). A record
that breaks an error rule is kept whole in ``QuarantinedRecord`` with the exact reason, so it can
be fixed and re-submitted. ``SourceRecord`` remembers the last digest of each source record
(a CIN child, a 903 child, a feed record) so that a re-import applies only the differences.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core import clock


class BatchKind(models.TextChoices):
    CIN_CENSUS = "cin_census", "CIN census"
    SSDA903 = "ssda903", "SSDA903 (children looked after)"
    AGENCY_FEED = "agency_feed", "Agency feed"


class BatchStatus(models.TextChoices):
    COMPLETE = "complete", "Complete"
    REJECTED = "rejected", "Rejected (file could not be read)"


class ImportBatch(models.Model):
    """One import: written in the same transaction as the records it brings in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=BatchKind.choices)
    source_name = models.CharField(max_length=255, help_text="File name (no directories).")
    source_sha256 = models.CharField(max_length=64)
    source_bytes = models.BigIntegerField(default=0)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    run_by_name = models.CharField(max_length=150, help_text="User name, or the OS user.")
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=BatchStatus.choices)
    rejection_reason = models.TextField(blank=True)
    records_read = models.PositiveIntegerField(default=0)
    records_accepted = models.PositiveIntegerField(default=0)
    records_warned = models.PositiveIntegerField(
        default=0, help_text="Accepted with warnings (a subset of accepted)."
    )
    records_unchanged = models.PositiveIntegerField(
        default=0, help_text="Accepted and identical to what was already held (a subset)."
    )
    records_quarantined = models.PositiveIntegerField(default=0)
    resubmission_of = models.ForeignKey(
        "QuarantinedRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resubmissions",
    )
    meta = models.JSONField(default=dict, blank=True, help_text="e.g. the CIN census header.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="rejected")
                | Q(records_read=models.F("records_accepted") + models.F("records_quarantined")),
                name="interchange_batch_counts_add_up",
            ),
        ]
        indexes = [models.Index(fields=["kind", "source_sha256"], name="interchange_batch_hash")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_name} ({self.started_at:%Y-%m-%d %H:%M})"


class QuarantineStatus(models.TextChoices):
    OPEN = "open", "Waiting to be fixed"
    RESUBMITTED = "resubmitted", "Fixed and re-submitted"


class QuarantinedRecord(models.Model):
    """A record that was not imported, kept whole with every reason it was refused."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="quarantined")
    record_key = models.CharField(max_length=120, help_text="e.g. the LAchildID, or row 12.")
    location = models.CharField(max_length=200, help_text="Line and element, or row number.")
    reasons = models.JSONField(
        help_text="List of {rule, message, field, value, location}: every error found."
    )
    payload = models.TextField(help_text="The record exactly as received (XML, CSV or JSON).")
    status = models.CharField(
        max_length=12, choices=QuarantineStatus.choices, default=QuarantineStatus.OPEN
    )

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return f"{self.record_key} in batch {self.batch_id}"

    @property
    def first_reason(self) -> dict[str, str]:
        return self.reasons[0] if self.reasons else {}


class SourceRecord(models.Model):
    """The last digest seen for one source record, and where it landed.

    ``extras`` keeps the return's fields that the casework model does not hold (former UPN,
    UPN unknown reason, date of death, ICPC target dates ...), so an export gives them back.
    """

    kind = models.CharField(max_length=20, choices=BatchKind.choices)
    key = models.CharField(max_length=160)
    digest = models.CharField(max_length=64)
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extras = models.JSONField(default=dict, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="interchange_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class BatchWarning(models.Model):
    """A query-level finding on an accepted record (accepted with warnings)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="warnings")
    record_key = models.CharField(max_length=120)
    rule = models.CharField(max_length=20)
    message = models.TextField()
    field = models.CharField(max_length=80, blank=True)
    value = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return f"{self.rule} on {self.record_key}"


class AgencyToken(models.Model):
    """A revocable API token for one agency's feed; only its SHA-256 is stored."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, unique=True, help_text="Shown to identify it.")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.agency})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiRequestWindow(models.Model):
    """Requests made with one token in one minute: the rate limiter's counter."""

    token = models.ForeignKey(AgencyToken, on_delete=models.PROTECT, related_name="+")
    window_start = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "window_start"], name="interchange_window")
        ]

    def __str__(self) -> str:
        return f"{self.requests} requests from {self.window_start}"
