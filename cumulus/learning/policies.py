"""Who may see and record learning from reviews: the business unit records it; partnership
analysts read it too. Reviews hold no child's record."""

from __future__ import annotations

from typing import Any

from cumulus.accounts.models import Role
from cumulus.actionplan.policies import is_business_unit


def can_view_learning(user: Any) -> bool:
    return is_business_unit(user) or bool(
        user.is_authenticated and user.role == Role.PARTNERSHIP_ANALYST
    )


def can_manage_learning(user: Any) -> bool:
    return is_business_unit(user)
