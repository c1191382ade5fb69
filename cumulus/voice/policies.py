"""Who may record the voice of a child: anyone who may see the child and works for an agency."""

from __future__ import annotations

from cumulus.accounts.models import Role, User
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child

SUMMARY_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.DESIGNATED_SAFEGUARDING_LEAD, Role.PARTNERSHIP_ANALYST}
)


def can_record_voice(user: User, child: Child) -> bool:
    return user.agency_id is not None and can_view_child(user, child)


def can_see_voice_summary(user: User) -> bool:
    """Counts of records with no child's data in them: managers and analysts."""
    return user.role in SUMMARY_ROLES
