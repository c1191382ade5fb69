"""Who may refer to interventions and who sees the outcomes page."""

from __future__ import annotations

from cumulus.accounts.models import Role, User
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child

OUTCOME_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.DESIGNATED_SAFEGUARDING_LEAD, Role.PARTNERSHIP_ANALYST}
)


def can_refer_to_intervention(user: User, child: Child) -> bool:
    return user.agency_id is not None and can_view_child(user, child)


def can_see_intervention_outcomes(user: User) -> bool:
    """Counts with no child's details: managers and the partnership's analysts."""
    return user.role in OUTCOME_ROLES
