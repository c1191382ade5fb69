"""Who may record a young person's education, employment or training status: the council's own
services (children's social care, early help, where the participation tracking sits) for a
young person they may see."""

from __future__ import annotations

from cumulus.accounts.models import AgencyType, User
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child

RECORDING_AGENCY_TYPES = frozenset({AgencyType.CHILDRENS_SOCIAL_CARE, AgencyType.EARLY_HELP})


def can_record_participation(user: User, child: Child) -> bool:
    agency = user.agency
    return (
        agency is not None
        and agency.agency_type in RECORDING_AGENCY_TYPES
        and can_view_child(user, child)
    )
