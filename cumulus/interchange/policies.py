"""Who may see import reports, fix quarantined records and manage agencies' API tokens.

Partnership analysts and administrators see batches and their counts. Quarantined records hold
identifiable data about children exactly as received, so only partnership and system
administrators may open, fix and re-submit them. A feed token lets an agency write events into
children's chronologies, so issuing and revoking one is for the same administrators.
"""

from __future__ import annotations

from cumulus.accounts.models import Role, User

REPORT_ROLES = frozenset(
    {Role.PARTNERSHIP_ANALYST, Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
)
QUARANTINE_ROLES = frozenset({Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR})


def can_view_import_reports(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in REPORT_ROLES)


def can_fix_quarantined_records(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in QUARANTINE_ROLES)


TOKEN_ROLES = QUARANTINE_ROLES


def can_manage_agency_tokens(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in TOKEN_ROLES)
