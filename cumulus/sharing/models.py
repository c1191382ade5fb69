"""Why information was shared with another agency: the lawful basis of each shared event.

The DfE's information-sharing advice (2024) asks practitioners to share with consent where
that is safe and appropriate, and to record, when they share without consent, that they did so
to safeguard the child and why. Each ``SharingBasis`` is that record for one chronology event
that another agency reads: a concern sent to the front door (recorded by the practitioner), or
an event an agency's feed sent in (recorded by the import batch, with the basis the record or
the feed's data sharing agreement gave). Rows are never changed or deleted: a correction is a
new event.
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


class BasisProblem(models.TextChoices):
    """Why a stated basis is not usable: the one rule, worded by each caller for its users."""

    MISSING = "missing", "No lawful basis given"
    UNKNOWN = "unknown", "Not a lawful basis Cumulus knows"
    NO_CONSENT_FROM = "no_consent_from", "Consent, but not from whom"
    NO_REASON = "no_reason", "Without consent, but not why"


def basis_problem(basis: str, *, consent_from: str = "", reason: str = "") -> BasisProblem | None:
    """What is wrong with a stated basis (``None`` when it is usable): the rule of the DfE
    advice that every share says either whose consent it had or why it went without."""
    if not basis:
        return BasisProblem.MISSING
    if basis not in LawfulBasis.values:
        return BasisProblem.UNKNOWN
    if basis == LawfulBasis.CONSENT and not consent_from.strip():
        return BasisProblem.NO_CONSENT_FROM
    if basis != LawfulBasis.CONSENT and not reason.strip():
        return BasisProblem.NO_REASON
    return None


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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    import_batch = models.ForeignKey(
        "interchange.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency feed batch that brought the event in (feeds have no person).",
    )
    from_feed_default = models.BooleanField(
        default=False,
        help_text="The basis was the one the feed declared for all its records (the agency's "
        "data sharing agreement), not one the record gave itself.",
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name_plural = "sharing bases"
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="consent", consent_from__gt="")
                | (~Q(basis="consent") & Q(reason__gt="")),
                name="sharing_basis_says_who_or_why",
            ),
            models.CheckConstraint(
                condition=Q(recorded_by__isnull=False) | Q(import_batch__isnull=False),
                name="sharing_basis_says_who_recorded_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.basis} for event {self.event_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SharingBasisChangeError("A recorded lawful basis cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SharingBasisChangeError("A recorded lawful basis cannot be deleted")

    def as_text(self) -> str:
        """The basis as one line, for the chronology and its export."""
        said = self.consent_from if self.basis == LawfulBasis.CONSENT else self.reason
        return f"{self.get_basis_display()}: {said}"
