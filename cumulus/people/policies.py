"""Need to know: who may see which child. The one place this rule lives.

A practitioner sees a child while they have an active involvement with the child. Holders of
an agency-wide role (designated safeguarding lead, team manager) also see every child their
agency is actively involved with. In a safeguarding emergency a practitioner may also "break
the glass": give a reason and see one child's record for a short time (``BreakGlassAccess``).
Nobody else sees the child, and the child's pages answer 404 to them, exactly as for a child
that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cumulus.accounts.models import ACCESS_LOG_READER_ROLES, Role, User
from cumulus.core import clock
from cumulus.people.models import BreakGlassAccess, Child, Involvement

# Roles that work with children directly and so may break the glass in an emergency. Analysts,
# administrators and system administrators never see case data this way.
BREAK_GLASS_ROLES = frozenset(
    {
        Role.FRONTLINE_PRACTITIONER,
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        Role.SOCIAL_WORKER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR_DECISION_MAKER,
    }
)


def active_involvements(*, on: dt.date | None = None) -> QuerySet[Involvement]:
    day = on or clock.today()
    return Involvement.objects.filter(
        Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    )


def involvements_granting_view(*, user: User, on: dt.date | None = None) -> QuerySet[Involvement]:
    """The active involvements through which ``user`` may see a child."""
    if not user.is_authenticated or not user.is_active:
        return Involvement.objects.none()
    grants = Q(practitioner_id=user.pk)
    if user.has_agency_wide_view and user.agency_id is not None:
        grants |= Q(agency_id=user.agency_id)
    return active_involvements(on=on).filter(grants)


def active_break_glass(*, user: User) -> QuerySet[BreakGlassAccess]:
    """The user's emergency access grants that have not yet expired."""
    if not user.is_authenticated or not user.is_active or user.role not in BREAK_GLASS_ROLES:
        return BreakGlassAccess.objects.none()
    now = clock.now()
    return BreakGlassAccess.objects.filter(user_id=user.pk, started_at__lte=now, expires_at__gt=now)


def visible_children(*, user: User) -> QuerySet[Child]:
    """Every child ``user`` may see now, as a queryset to filter further."""
    granting = involvements_granting_view(user=user).filter(child_id=OuterRef("pk"))
    emergency = active_break_glass(user=user).filter(child_id=OuterRef("pk"))
    return Child.objects.filter(Exists(granting) | Exists(emergency), person__is_archived=False)


def can_view_child(user: User, child: Child) -> bool:
    return (
        involvements_granting_view(user=user).filter(child_id=child.pk).exists()
        or active_break_glass(user=user).filter(child_id=child.pk).exists()
    )


def can_break_glass(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in BREAK_GLASS_ROLES)


def can_view_access_log(user: User, child: Child) -> bool:
    """Managers and DSLs who may see the child may also see who viewed the record."""
    return user.role in ACCESS_LOG_READER_ROLES and can_view_child(user, child)


# Who reads a confidential address when the household names no roles of its own.
CONFIDENTIAL_ADDRESS_DEFAULT_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
CONFIDENTIAL_ADDRESS = "Confidential address"


def can_see_address(user: User | None, household: Any) -> bool:
    """True if ``user`` may read this household's address in full.

    ``None`` stands for every reader who is not a practitioner: the family's own view, a
    subject access package, an export to another agency. They never see a confidential one.
    """
    if not household.is_confidential:
        return True
    if user is None:
        return False
    named = {r.strip() for r in household.confidential_roles.split(",") if r.strip()}
    allowed = frozenset(named or CONFIDENTIAL_ADDRESS_DEFAULT_ROLES)
    return user.role in allowed


def address_for(user: User | None, household: Any) -> str:
    """The address line this reader may see: the address, or that it is confidential."""
    return household.one_line if can_see_address(user, household) else CONFIDENTIAL_ADDRESS
