"""Record linkage in the database: model versions, agency records, the review queue, decisions.

An agency's record of a person (``SourceRecord``) is linked to at most one child at a time.
Every link and unlink is a ``LinkDecision`` row that is never changed or deleted, saying who,
when, why, how (deterministic rule, model, clerical review, undo) and under which model
version; undoing a decision appends the opposite decision, so both histories survive.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core import clock


class LinkageModel(models.Model):
    """One trained Splink model, saved as its JSON, with the thresholds it is used at."""

    version = models.PositiveIntegerField(unique=True)
    model_json = models.JSONField(help_text="Splink's saved model (settings and parameters).")
    fields = models.JSONField(default=list, help_text="The person fields the model compares.")
    upper_threshold = models.FloatField(default=0.999)
    lower_threshold = models.FloatField(default=0.5)
    is_active = models.BooleanField(default=False)
    trained_at = models.DateTimeField(default=clock.now)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    training_summary = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="linkage_one_active_model"
            ),
            models.CheckConstraint(
                condition=Q(lower_threshold__gt=0)
                & Q(upper_threshold__lt=1)
                & Q(lower_threshold__lt=models.F("upper_threshold")),
                name="linkage_thresholds_ordered",
            ),
        ]
        permissions = [
            ("review_pair", "Can decide pairs in the linkage review queue"),
            ("manage_linkage", "Can train linkage models and undo link decisions"),
        ]

    def __str__(self) -> str:
        return f"Linkage model v{self.version}"


class SourceRecord(models.Model):
    """What one agency's system holds about one person, as it was received."""

    source_system = models.CharField(max_length=60)
    source_record_id = models.CharField(max_length=60)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forename = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    nhs_number = models.CharField(max_length=20, blank=True)
    upn = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(default=clock.now)
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="source_records",
        help_text="The child this record is linked to now (the decisions hold the history).",
    )

    class Meta:
        ordering = ["source_system", "source_record_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "source_record_id"], name="linkage_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_system} {self.source_record_id}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.surname) if part)


class Method(models.TextChoices):
    NHS_NUMBER = "nhs_number", "Valid NHS number and date of birth agree"
    UPN = "upn", "Valid UPN and date of birth agree"
    AUTOMATIC = "automatic", "Model: above the upper threshold"
    CLERICAL = "clerical", "Clerical review"
    NEW_CHILD = "new_child", "No match: recorded as a new child"
    UNDO = "undo", "Undo of an earlier decision"
    MANUAL = "manual", "Linked or unlinked by hand"


class Action(models.TextChoices):
    LINK = "link", "Linked"
    UNLINK = "unlink", "Unlinked"


class LinkDecision(models.Model):
    """One link or unlink of a record to a child. Append-only: never updated or deleted."""

    record = models.ForeignKey(SourceRecord, on_delete=models.PROTECT, related_name="decisions")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    match_probability = models.FloatField(null=True, blank=True)
    model = models.ForeignKey(
        LinkageModel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=clock.now)
    reason = models.TextField()
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    review_item = models.ForeignKey(
        "ReviewItem", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["child", "decided_at"], name="linkage_decision_child")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.record} to child {self.child_id}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    MATCH = "match", "Match"
    NOT_MATCH = "not_match", "Not a match"
    UNSURE = "unsure", "Unsure"


class ReviewItem(models.Model):
    """A pair between the thresholds: a person decides whether the record is this child."""

    record = models.ForeignKey(SourceRecord, on_delete=models.PROTECT, related_name="reviews")
    candidate = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=list, help_text="Per-comparison levels and weights.")
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    created_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "candidate"],
                condition=Q(status="open"),
                name="linkage_one_open_review_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Review {self.pk}: {self.record} against child {self.candidate_id}"
