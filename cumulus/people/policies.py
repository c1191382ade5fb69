"""Need to know: who may see which child. The one place this rule lives.

A practitioner sees a child while they have an active involvement with the child. Holders of
an agency-wide role (designated safeguarding lead, team manager) also see every child their
agency is actively involved with. In a safeguarding emergency a practitioner may also "break
the glass": give a reason and see one child's record for a short time (``BreakGlassAccess``).
Nobody else sees the child, and the child's pages answer 404 to them, exactly as for a child
that does not exist.

A record under a ``RecordRestriction`` (adoption, a refuge, police intelligence) is seen in full
only by those with an involvement whose role or name the restriction allows. Others with an
involvement are told it is restricted and whom to ask (``restriction_refusing``); break glass
never opens a restricted record, whoever breaks it (docs/adr/1002-record-restriction.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cumulus.accounts.models import ACCESS_LOG_READER_ROLES, Role, User
from cumulus.core import clock
from cumulus.people.models import (
    BreakGlassAccess,
    Child,
    Involvement,
    RecordRestriction,
    RestrictionAllowedRole,
    RestrictionAllowedUser,
)

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


def restrictions_in_force() -> QuerySet[RecordRestriction]:
    """Every record restriction not yet lifted."""
    return RecordRestriction.objects.filter(lifted_at__isnull=True)


def restrictions_hiding_from(*, user: User) -> QuerySet[RecordRestriction]:
    """Restrictions in force whose roles and named people do not include ``user``."""
    if not user.is_authenticated or not user.is_active:
        return restrictions_in_force()
    role_allowed = RestrictionAllowedRole.objects.filter(
        restriction_id=OuterRef("pk"), role=user.role
    )
    named = RestrictionAllowedUser.objects.filter(restriction_id=OuterRef("pk"), user_id=user.pk)
    return restrictions_in_force().filter(~Exists(role_allowed), ~Exists(named))


def _reach_ids(*, user: User) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The ids of the children ``user`` has need to know of: through an involvement, and
    through break glass (``values("child_id")`` querysets, to use as subqueries)."""
    granting = involvements_granting_view(user=user).values("child_id")
    emergency = active_break_glass(user=user).values("child_id")
    return granting, emergency


def visible_child_filter(*, user: User, child: str = "child", in_order: bool = False) -> Q:
    """The need-to-know rule as a filter on a model that names a child through ``child``
    (``"child"`` for a contact or an event; ``""`` for the child itself).

    Need to know (an involvement, or break glass) and, on a restricted record, an involvement
    and a role or name the restriction allows: break glass never opens a restricted record.

    By default the rule is written as one ``IN`` over a ``UNION`` of the few children the user
    reaches, not as ``EXISTS`` per child: the database then starts from the user's involvements
    and looks children up by key, instead of testing all of a county's children one by one (the
    search and the agency-wide home page went from 0.4-0.9 s to milliseconds of SQL).

    ``in_order=True`` writes the same rule as two ``IN`` tests joined by ``OR``, for a caller
    that walks a long list in an index's order and stops after one page (the front door queue,
    the agency-wide home page): PostgreSQL hashes each set once and tests rows as it walks,
    where the ``UNION`` would be joined first and the whole list sorted (the front door queue
    at 300,000 children: 152 ms to 25 ms of SQL a request, docs/benchmarks.md).
    """
    key, person = (f"{child}_id", f"{child}__person") if child else ("pk", "person")
    return _need_to_know(user=user, key=key, archived=f"{person}__is_archived", in_order=in_order)


def visible_person_filter(*, user: User, in_order: bool = False) -> Q:
    """The need-to-know rule on ``Person`` itself (a child's person shares the child's key):
    for lists in name order, which walk the people's name index (``my_children``)."""
    return _need_to_know(user=user, key="pk", archived="is_archived", in_order=in_order)


def _need_to_know(*, user: User, key: str, archived: str, in_order: bool) -> Q:
    granting, emergency = _reach_ids(user=user)
    hidden = restrictions_hiding_from(user=user).values("child_id")
    restricted = restrictions_in_force().values("child_id")
    through_work = granting.exclude(child_id__in=hidden)
    through_glass = emergency.exclude(child_id__in=restricted)
    if in_order:
        seen = Q(**{f"{key}__in": through_work}) | Q(**{f"{key}__in": through_glass})
        return seen & Q(**{archived: False})
    return Q(**{f"{key}__in": through_work.union(through_glass), archived: False})


def visible_children(*, user: User) -> QuerySet[Child]:
    """Every child ``user`` may see in full now, as a queryset to filter further."""
    return Child.objects.filter(visible_child_filter(user=user, child=""))


def restricted_children_in_reach(*, user: User) -> QuerySet[Child]:
    """Children ``user`` would see but for a restriction: they are told whom to ask."""
    granting, emergency = _reach_ids(user=user)
    restricted = restrictions_in_force().values("child_id")
    return (
        Child.objects.filter(pk__in=granting.union(emergency), person__is_archived=False)
        .filter(pk__in=restricted)
        .exclude(pk__in=visible_children(user=user).values("pk"))
    )


def restriction_refusing(*, user: User, child_id: int) -> RecordRestriction | None:
    """The restriction that keeps ``user`` out of a child they have need to know of.

    ``None`` when the child is visible, or when ``user`` has no need to know of it at all (then
    it answers 404 like any other record).
    """
    if not restricted_children_in_reach(user=user).filter(pk=child_id).exists():
        return None
    return restrictions_in_force().filter(child_id=child_id).first()


def restriction_hiding(*, user: User | None, child_id: int) -> RecordRestriction | None:
    """The restriction in force on the child that ``user`` is not allowed through, whatever
    their involvement: for role-based work that does not go through need to know (linkage
    review, subject access, case audits). ``None`` stands for a reader who is not a
    practitioner (the family, an export), refused by every restriction."""
    restrictions = restrictions_in_force() if user is None else restrictions_hiding_from(user=user)
    return restrictions.filter(child_id=child_id).first()


def can_view_child(user: User, child: Child) -> bool:
    return visible_children(user=user).filter(pk=child.pk).exists()


def can_break_glass(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in BREAK_GLASS_ROLES)


def can_view_access_log(user: User, child: Child) -> bool:
    """Managers and DSLs who may see the child may also see who viewed the record."""
    return user.role in ACCESS_LOG_READER_ROLES and can_view_child(user, child)


# Who may restrict a child's record, and lift a restriction: the agency-wide managers who
# already answer for who reads it (they must see the record, so a restriction's own managers
# must be among its allowed roles or people).
RESTRICTION_MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.DESIGNATED_SAFEGUARDING_LEAD})


def can_manage_restriction(user: User, child: Child) -> bool:
    return user.role in RESTRICTION_MANAGER_ROLES and can_view_child(user, child)


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
