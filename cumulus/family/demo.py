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


def demo_family_login(*, teacher: User, password: str) -> str | None:
    """A parent of the first pupil on the teacher's list (by name) with no open casework, apart
    from the last pupil (which the front door browser test uses)."""
    pupils = list(my_children(viewer=teacher))[:-1]
    for child in pupils:
        busy = (
            Plan.objects.filter(child=child, ended_on__isnull=True).exists()
            or Referral.objects.filter(child=child, closed_on__isnull=True).exists()
            or Assessment.objects.filter(child=child, authorised_on__isnull=True).exists()
            or Contact.objects.filter(child=child, decided_at__isnull=True).exists()
        )
        if busy:
            continue
        parent = (
            Relationship.objects.filter(
                relative_id=child.pk, relationship_type__in=PARENT_TYPES, ended_on__isnull=True
            )
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if parent is None:
            continue
        family_account_create(
            person=parent.person,
            family_role=FamilyRole.PARENT,
            username=FAMILY_DEMO_USERNAME,
            password=password,
        )
        return FAMILY_DEMO_USERNAME
    return None
