"""Completed and draft assessments made with an instrument, their photographs, and who is
trained in which licensed tool.

An ``InstrumentAssessment`` keeps a full copy of the definition it was made with (and its
SHA-256, and the licensed pack's hash and licensee), so changing or removing an instrument
file never changes a past result. After sign-off an assessment is read-only; a correction is a
new row in the same ``lineage`` with a higher ``version`` and a reason.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core import clock
from cumulus.core.models import TimeStampedModel


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_COUNTERSIGN = "awaiting_countersign", "Signed off, awaiting countersignature"
    COMPLETE = "complete", "Complete"


class InstrumentAssessment(TimeStampedModel):
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="instrument_assessments"
    )
    instrument_id = models.CharField(max_length=80)
    instrument_version = models.PositiveIntegerField()
    instrument_title = models.CharField(max_length=200)
    definition = models.JSONField(help_text="The definition exactly as used, wording included.")
    definition_sha256 = models.CharField(max_length=64)
    licence_tier = models.CharField(max_length=20)
    pack_sha256 = models.CharField(max_length=64, blank=True)
    pack_licensee = models.CharField(max_length=200, blank=True)
    pack_version = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=80, blank=True)
    assessed_on = models.DateField(default=clock.today)
    responses = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=30, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(default=1)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    correction_reason = models.TextField(blank=True)
    autosaved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["child", "instrument_id", "status"], name="instr_child_tool"),
            # The analytical extract reads assessments changed since its last run.
            models.Index(fields=["updated_at"], name="instr_updated"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="instr_lineage_version"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="instr_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_title} v{self.version} for child {self.child_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def needs_countersign(self) -> bool:
        return bool(self.definition.get("countersign"))


class AssessmentPhoto(models.Model):
    """A photograph re-encoded on upload (EXIF and location removed), stored under
    ``CUMULUS_VAR_DIR/instrument-photos`` (never under the web root), served by a checked view."""

    assessment = models.ForeignKey(
        InstrumentAssessment, on_delete=models.PROTECT, related_name="photos"
    )
    item_id = models.CharField(max_length=80)
    stored_name = models.CharField(max_length=80, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"photo {self.stored_name} for {self.item_id}"


class TrainedTool(models.Model):
    """A user is recorded as trained (and, where the licence asks, accredited) in a tool."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trained_tools"
    )
    tool = models.CharField(max_length=80, help_text="The tool code, e.g. 'gcp2'.")
    trained_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tool"], name="instr_trained_once")]

    def __str__(self) -> str:
        return f"user {self.user_id} trained in {self.tool}"
