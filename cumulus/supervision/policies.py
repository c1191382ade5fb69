"""Who may record supervision against a child's case and who sees the oversight list."""

from __future__ import annotations

from cumulus.accounts.models import Role, User
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child
from cumulus.supervision.models import SupervisionKind

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.DESIGNATED_SAFEGUARDING_LEAD})


def can_record_supervision(user: User, child: Child, kind: str) -> bool:
    """Anyone who may see the child records supervision; management oversight is a manager's."""
    if user.agency_id is None or not can_view_child(user, child):
        return False
    return kind != SupervisionKind.MANAGEMENT_OVERSIGHT or user.role in MANAGER_ROLES


def can_see_oversight_list(user: User) -> bool:
    return user.role in MANAGER_ROLES
