"""Recording the lawful basis of a shared event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.chronology.models import ChronologyEvent
from cumulus.sharing.models import LawfulBasis, SharingBasis


@transaction.atomic
def sharing_basis_record(
    *, actor: User, event: ChronologyEvent, basis: str, consent_from: str = "", reason: str = ""
) -> SharingBasis:
    """Record why ``event`` was shared: with whose consent, or, without consent, why."""
    if basis not in LawfulBasis.values:
        raise ValidationError({"sharing_basis": "Choose whether you had consent to share"})
    if basis == LawfulBasis.CONSENT and not consent_from.strip():
        raise ValidationError({"consent_from": "Say who gave consent to share"})
    if basis != LawfulBasis.CONSENT and not reason.strip():
        raise ValidationError(
            {
                "sharing_reason": "Say why you are sharing without consent (for example, asking "
                "would put the child at greater risk)"
            }
        )
    return SharingBasis.objects.create(
        event=event,
        basis=basis,
        consent_from=consent_from.strip() if basis == LawfulBasis.CONSENT else "",
        reason=reason.strip() if basis != LawfulBasis.CONSENT else "",
        recorded_by=actor,
    )
