"""Who may manage training and see its figures.

The partnership's business unit runs training; in Cumulus its staff hold the existing
``partnership_administrator`` role (no new role: the accounts model already has one for the
partnership's own staff). Analysts may read the figures. Every practitioner may book.
"""

from __future__ import annotations

from cumulus.accounts.models import Role, User

BUSINESS_UNIT_ROLES = frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR})
FIGURE_READER_ROLES = BUSINESS_UNIT_ROLES | {Role.PARTNERSHIP_ANALYST}
# Roles that do not take places on practice training.
NOT_TRAINED_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_manage_training(user: User) -> bool:
    return _active(user) and user.role in BUSINESS_UNIT_ROLES


def can_see_training_figures(user: User) -> bool:
    return _active(user) and user.role in FIGURE_READER_ROLES


def can_book_training(user: User) -> bool:
    return _active(user) and user.role not in NOT_TRAINED_ROLES


def can_read_briefing(user: User, agency_ids: set[int]) -> bool:
    """A briefing is for the practitioners of the agencies it was sent to (and the unit)."""
    return _active(user) and (
        user.role in BUSINESS_UNIT_ROLES
        or (user.agency_id is not None and user.agency_id in agency_ids)
    )
