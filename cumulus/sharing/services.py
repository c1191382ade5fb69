"""Recording the lawful basis of a shared event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.chronology.models import ChronologyEvent
from cumulus.interchange.models import ImportBatch
from cumulus.sharing.models import BasisProblem, LawfulBasis, SharingBasis, basis_problem

# What the practitioner sharing a concern is told, keyed by form field.
FORM_MESSAGES = {
    BasisProblem.MISSING: ("sharing_basis", "Choose whether you had consent to share"),
    BasisProblem.UNKNOWN: ("sharing_basis", "Choose whether you had consent to share"),
    BasisProblem.NO_CONSENT_FROM: ("consent_from", "Say who gave consent to share"),
    BasisProblem.NO_REASON: (
        "sharing_reason",
        "Say why you are sharing without consent (for example, asking would put the child at "
        "greater risk)",
    ),
}


@transaction.atomic
def sharing_basis_record(
    *, actor: User, event: ChronologyEvent, basis: str, consent_from: str = "", reason: str = ""
) -> SharingBasis:
    """Record why ``event`` was shared: with whose consent, or, without consent, why."""
    problem = basis_problem(basis, consent_from=consent_from, reason=reason)
    if problem is not None:
        field, message = FORM_MESSAGES[problem]
        raise ValidationError({field: message})
    return SharingBasis.objects.create(
        event=event,
        basis=basis,
        consent_from=consent_from.strip() if basis == LawfulBasis.CONSENT else "",
        reason=reason.strip() if basis != LawfulBasis.CONSENT else "",
        recorded_by=actor,
    )


def feed_basis(
    *,
    event: ChronologyEvent,
    basis: str,
    consent_from: str,
    reason: str,
    batch: ImportBatch,
    default: bool,
) -> SharingBasis:
    """An unsaved basis for an event an agency feed sent, for the feed to create in bulk.

    The feed has already refused any record whose basis ``basis_problem`` finds wrong; the
    database constraints hold the same rule.
    """
    consent = basis == LawfulBasis.CONSENT
    return SharingBasis(
        event=event,
        basis=basis,
        consent_from=consent_from.strip() if consent else "",
        reason="" if consent else reason.strip(),
        import_batch=batch,
        from_feed_default=default,
    )


def feed_bases_save(bases: list[SharingBasis]) -> None:
    """One insert for a chunk of feed events' bases (no query per record)."""
    SharingBasis.objects.bulk_create(bases)
