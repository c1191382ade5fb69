"""Who may produce and download governance reports: the business unit, and partnership
analysts (the reports hold aggregate, suppressed figures and no child's record)."""

from __future__ import annotations

from typing import Any

from cumulus.accounts.models import Role
from cumulus.actionplan.policies import is_business_unit


def can_produce_governance_report(user: Any) -> bool:
    return is_business_unit(user) or bool(
        user.is_authenticated and user.role == Role.PARTNERSHIP_ANALYST
    )
