"""Who may see and change the action plan. It holds no child's data, but an agency sees only
its own items unless it is the business unit, which keeps the whole plan."""

from __future__ import annotations

from typing import Any

from cumulus.accounts.models import Role

# The partnership's business unit runs the plan, the governance report and learning reviews.
BUSINESS_UNIT_ROLES = frozenset(
    {Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
)
# An agency's safeguarding lead or manager updates that agency's own items.
AGENCY_LEAD_ROLES = frozenset({Role.DESIGNATED_SAFEGUARDING_LEAD, Role.TEAM_MANAGER})


def is_business_unit(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in BUSINESS_UNIT_ROLES)


def is_agency_lead(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.role in AGENCY_LEAD_ROLES and user.agency_id is not None
    )


def can_manage_action_plan(user: Any) -> bool:
    """Create items for any agency and see the whole plan and its overdue list."""
    return is_business_unit(user)


def can_view_action_plan(user: Any) -> bool:
    return is_business_unit(user) or is_agency_lead(user)


def can_view_action_item(user: Any, item: Any) -> bool:
    return is_business_unit(user) or (
        is_agency_lead(user) and user.agency_id == item.lead_agency_id
    )


def can_update_action_item(user: Any, item: Any) -> bool:
    return can_view_action_item(user, item)
