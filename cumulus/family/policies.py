"""Whose plans a family member may see: their own (a young person), or their own children's
(a parent or carer). Nothing about anyone else; the one place this rule lives."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cumulus.accounts.models import User
from cumulus.casework.models import Plan
from cumulus.family.models import FamilyAccount, FamilyRole
from cumulus.people.models import Relationship, RelationshipType

PARENT_TYPES = (RelationshipType.PARENT, RelationshipType.STEP_PARENT, RelationshipType.CARER)
YOUNG_PERSON_MIN_AGE = 12


def family_account_of(user: User) -> FamilyAccount | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return FamilyAccount.objects.filter(user_id=user.pk).select_related("person").first()


def family_child_ids(account: FamilyAccount) -> list[int]:
    """The children this account may see plans for: never one whose record is restricted
    (adoption, a refuge, police intelligence), which the family view does not mention at all."""
    from cumulus.people.policies import restrictions_in_force

    restricted = restrictions_in_force().values("child_id")
    if account.family_role == FamilyRole.YOUNG_PERSON:
        ids = [account.person_id]
    else:
        ids = list(
            Relationship.objects.filter(
                person_id=account.person_id,
                relationship_type__in=PARENT_TYPES,
                relative__child__isnull=False,
            )
            .filter(Q(ended_on__isnull=True))
            .values_list("relative_id", flat=True)
        )
    return sorted(
        set(ids) - set(restricted.filter(child_id__in=ids).values_list("child_id", flat=True))
    )


def family_plans(account: FamilyAccount) -> QuerySet[Plan]:
    """Open plans of the account's own children (or their own, for a young person)."""
    return Plan.objects.filter(child_id__in=family_child_ids(account), ended_on__isnull=True)


def can_view_family_plan(user: User, plan: Plan) -> bool:
    account = family_account_of(user)
    return account is not None and family_plans(account).filter(pk=plan.pk).exists()
