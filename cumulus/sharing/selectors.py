"""Reading the lawful basis of shared events."""

from __future__ import annotations

from cumulus.sharing.models import SharingBasis


def basis_for_contact(*, contact_id: int) -> SharingBasis | None:
    """The lawful basis recorded when this concern was sent to the front door, if any."""
    return (
        SharingBasis.objects.filter(event__source_reference=f"contact:{contact_id}")
        .select_related("recorded_by")
        .first()
    )
