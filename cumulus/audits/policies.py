"""Who may run audits and who may see an audited case.

Need to know for audits: an auditor sees an audited case's record only through an assignment
to that case (``AuditorAssignment``), while the round is open: the assignment is the lawful
reason, recorded by the business unit, and every look is written to the access log with that
reason. It does not widen the auditor's view of the child elsewhere in Cumulus (the child's own
pages still follow ``people.policies``). The business unit (``partnership_administrator``),
which draws the sample and moderates, sees the cases of the rounds it runs, also logged.
"""

from __future__ import annotations

from cumulus.accounts.models import Role, User

BUSINESS_UNIT_ROLES = frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR})
RESULT_READER_ROLES = BUSINESS_UNIT_ROLES | {Role.PARTNERSHIP_ANALYST}
# Roles that may be assigned as auditors: practitioners and managers of the agencies.
AUDITOR_ROLES = frozenset(
    {
        Role.FRONTLINE_PRACTITIONER,
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        Role.SOCIAL_WORKER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR_DECISION_MAKER,
    }
)


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_run_audits(user: User) -> bool:
    return _active(user) and user.role in BUSINESS_UNIT_ROLES


def can_see_audit_results(user: User) -> bool:
    """Results are aggregate grades: no child is named on the results pages."""
    return _active(user) and user.role in RESULT_READER_ROLES


def can_be_auditor(user: User) -> bool:
    return _active(user) and user.role in AUDITOR_ROLES


def can_grade_assignment(user: User, *, auditor_id: int, round_open: bool) -> bool:
    return _active(user) and user.pk == auditor_id and round_open
