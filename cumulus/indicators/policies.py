"""Who may see the partnership's indicators: aggregate, pseudonymised, small numbers suppressed."""

from __future__ import annotations

from cumulus.accounts.models import Role, User

INDICATOR_ROLES = frozenset(
    {
        Role.BUSINESS_UNIT,
        Role.PARTNERSHIP_ANALYST,
        Role.PARTNERSHIP_ADMINISTRATOR,
        Role.TEAM_MANAGER,
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        Role.SYSTEM_ADMINISTRATOR,
    }
)
COMMENTARY_ROLES = frozenset(
    {Role.BUSINESS_UNIT, Role.PARTNERSHIP_ANALYST, Role.PARTNERSHIP_ADMINISTRATOR}
)


def can_view_indicators(user: User) -> bool:
    return bool(user.is_authenticated and user.role in INDICATOR_ROLES)


def can_edit_commentary(user: User) -> bool:
    return bool(user.is_authenticated and user.role in COMMENTARY_ROLES)
