"""Who may raise an escalation and who may record a stage's outcome.

Raising follows need to know: any practitioner who may see the child (an active involvement,
or an agency-wide role) may disagree with a decision about them. Recording an outcome is for
the two parties and for managers (team managers, designated safeguarding leads) who may see
the child, since from stage 2 on managers carry the disagreement.
"""

from __future__ import annotations

from cumulus.accounts.models import Role, User
from cumulus.escalation.models import Escalation
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.DESIGNATED_SAFEGUARDING_LEAD})


def can_raise_escalation(user: User, child: Child) -> bool:
    return user.agency_id is not None and can_view_child(user, child)


def can_act_on_escalation(user: User, escalation: Escalation) -> bool:
    if not can_view_child(user, escalation.child):
        return False
    if user.pk in (escalation.raised_by_id, escalation.other_party_id):
        return True
    return user.role in MANAGER_ROLES


def can_see_escalation_lists(user: User) -> bool:
    """The overdue list is a manager's tool."""
    return user.role in MANAGER_ROLES
