"""Why information was shared with another agency: the lawful basis of each shared event.

The DfE's information-sharing advice (2024) asks practitioners to share with consent where
that is safe and appropriate, and to record, when they share without consent, that they did so
to safeguard the child and why. Each ``SharingBasis`` is that record for one chronology event
that another agency reads (a concern sent to the front door, first of all). Rows are never
changed or deleted: a correction is a new event.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from cumulus.core import clock


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "With consent"
    SAFEGUARDING = "safeguarding", "Without consent, to safeguard the child"
    LEGAL_DUTY = "legal_duty", "Without consent, under a legal duty or court order"


class SharingBasisChangeError(Exception):
    """A recorded lawful basis is part of the record: it cannot be changed."""


class SharingBasis(models.Model):
    event = models.OneToOneField(
        "chronology.ChronologyEvent", on_delete=models.PROTECT, related_name="sharing_basis"
    )
    basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    consent_from = models.CharField(
        max_length=200, blank=True, help_text="Who consented, e.g. the child's mother."
    )
    reason = models.TextField(
        blank=True, help_text="Why it was shared without consent (required then)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name_plural = "sharing bases"
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="consent", consent_from__gt="")
                | (~Q(basis="consent") & Q(reason__gt="")),
                name="sharing_basis_says_who_or_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.basis} for event {self.event_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SharingBasisChangeError("A recorded lawful basis cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SharingBasisChangeError("A recorded lawful basis cannot be deleted")
