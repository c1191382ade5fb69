"""Who may read the access log beyond one child's record."""

from __future__ import annotations

from cumulus.accounts.models import Role, User

ACCESS_PATTERN_REVIEWER_ROLES = frozenset(
    {Role.PARTNERSHIP_ANALYST, Role.PARTNERSHIP_ADMINISTRATOR}
)


def can_review_access_patterns(user: User) -> bool:
    """Analysts and the partnership's administrators (where the data protection officer sits)
    may list unusual access across the partnership; it names users, never children."""
    return bool(user.is_authenticated and user.role in ACCESS_PATTERN_REVIEWER_ROLES)
