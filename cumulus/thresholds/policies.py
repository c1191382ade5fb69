"""Who may record a Continuum of Need decision: anyone who may see the child (the decision
is the practitioner's; audits compare it with the suggestion)."""

from __future__ import annotations

from cumulus.accounts.models import User
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child


def can_record_threshold_decision(user: User, child: Child) -> bool:
    return can_view_child(user, child)
