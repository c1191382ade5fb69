"""Who may handle requests about a child's record: the partnership's records and data
protection function (partnership administrators), never by browsing the record itself."""

from __future__ import annotations

from cumulus.accounts.models import Role, User

RIGHTS_ROLES = frozenset({Role.PARTNERSHIP_ADMINISTRATOR})


def can_handle_rights_requests(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in RIGHTS_ROLES)
