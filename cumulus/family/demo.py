"""The demo's family sign-in: a parent of one of the teacher's pupils, so that walking the
journey in the demo (or the browser test) shows the family their plan in their own view."""

from __future__ import annotations

from cumulus.accounts.models import User
from cumulus.casework.models import Assessment, Contact, Plan, Referral
from cumulus.family.models import FamilyRole
from cumulus.family.policies import PARENT_TYPES
from cumulus.family.services import family_account_create
from cumulus.people.models import Relationship
from cumulus.people.selectors import my_children

FAMILY_DEMO_USERNAME = "family.parent"


def _busy(child_ids: list[int]) -> bool:
    """Any open casework for these children (the journey should start from a clean slate)."""
    return (
        Plan.objects.filter(child_id__in=child_ids, ended_on__isnull=True).exists()
        or Referral.objects.filter(child_id__in=child_ids, closed_on__isnull=True).exists()
        or Assessment.objects.filter(child_id__in=child_ids, authorised_on__isnull=True).exists()
        or Contact.objects.filter(child_id__in=child_ids, decided_at__isnull=True).exists()
    )


def demo_family_login(*, teacher: User, password: str) -> str | None:
    """A parent of the first pupil on the teacher's list (by name) whose children have no open
    casework, leaving out the last pupil (which the front door browser test uses)."""
    for child in list(my_children(viewer=teacher))[:-1]:
        parents = Relationship.objects.filter(
            relative_id=child.pk, relationship_type__in=PARENT_TYPES, ended_on__isnull=True
        ).order_by("pk")
        for relationship in parents.select_related("person"):
            children = list(
                Relationship.objects.filter(
                    person_id=relationship.person_id,
                    relationship_type__in=PARENT_TYPES,
                    relative__child__isnull=False,
                ).values_list("relative_id", flat=True)
            )
            if _busy(children):
                continue
            family_account_create(
                person=relationship.person,
                family_role=FamilyRole.PARENT,
                username=FAMILY_DEMO_USERNAME,
                password=password,
            )
            return FAMILY_DEMO_USERNAME
    return None
