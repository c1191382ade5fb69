"""Who may see import reports, and who may see and fix quarantined records.

Partnership analysts and administrators see batches and their counts. Quarantined records hold
identifiable data about children exactly as received, so only partnership and system
administrators may open, fix and re-submit them.
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
