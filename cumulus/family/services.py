"""Writes of the family's view: accounts for family members, and what they say about the plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cumulus.accounts.models import User
from cumulus.casework.models import Plan
from cumulus.core.errors import CumulusError
from cumulus.family.models import FamilyAccount, FamilyFeedback, FamilyRole, Feeling
from cumulus.family.policies import (
    YOUNG_PERSON_MIN_AGE,
    family_child_ids,
    family_plans,
)
from cumulus.inbox.services import notification_send
from cumulus.people.models import Child, Person


class FamilyAccountRefusedError(CumulusError):
    """This person cannot have a family sign-in."""


@transaction.atomic
def family_account_create(
    *, person: Person, family_role: str, username: str, password: str
) -> FamilyAccount:
    """A sign-in for a parent or carer, or a young person aged 12 or over, with an open plan."""
    if family_role not in FamilyRole.values:
        raise ValidationError({"family_role": "Choose parent or young person"})
    if family_role == FamilyRole.YOUNG_PERSON:
        child = Child.objects.filter(pk=person.pk).first()
        age = child.age_on() if child else None
        if age is None or age < YOUNG_PERSON_MIN_AGE:
            raise FamilyAccountRefusedError(
                f"Only young people aged {YOUNG_PERSON_MIN_AGE} or over get their own sign-in"
            )
    user = User(username=username, first_name=person.given_name, last_name=person.family_name)
    user.agency = None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    account = FamilyAccount.objects.create(user=user, person=person, family_role=family_role)
    if family_role == FamilyRole.PARENT and not family_child_ids(account):
        raise FamilyAccountRefusedError(
            "This person is not recorded as a parent or carer of a child"
        )
    return account


@transaction.atomic
def family_feedback_record(
    *, account: FamilyAccount, plan_id: int, feeling: str, text: str
) -> FamilyFeedback:
    """Store what the family says and tell the lead practitioner in their inbox."""
    plan = family_plans(account).filter(pk=plan_id).select_related("lead_practitioner").first()
    if plan is None:
        raise Plan.DoesNotExist("No plan found")
    if feeling not in Feeling.values:
        raise ValidationError({"feeling": "Choose how things are going"})
    feedback = FamilyFeedback.objects.create(
        account=account, plan=plan, feeling=feeling, text=text.strip()
    )
    if plan.lead_practitioner is not None:
        notification_send(
            recipient=plan.lead_practitioner,
            subject=f"{account.person.full_name} said how the plan is going"[:200],
            body=f"{Feeling(feeling).label}. {feedback.text}".strip(),
            link=reverse("family:plan-feedback", args=[plan.pk]),
        )
    return feedback
