"""Reads about agencies and practitioners."""

from __future__ import annotations

from cumulus.accounts.models import Agency, AgencyType


class NoFrontDoorError(Exception):
    """The partnership has no children's social care agency to receive concerns."""


def front_door_agency() -> Agency:
    """Children's social care: the agency whose front door (MASH, hub) receives concerns."""
    agency = (
        Agency.objects.filter(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE, is_active=True)
        .order_by("pk")
        .first()
    )
    if agency is None:
        raise NoFrontDoorError("No children's social care agency is set up to receive concerns")
    return agency
