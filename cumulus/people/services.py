"""Writes about children and families. Each is atomic: it saves everything or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.codelists.models import Code
from cumulus.people.models import (
    Child,
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    Relationship,
)

PERSON_FIELDS = frozenset({"given_name", "family_name", "other_names", "date_of_birth", "sex"})


@transaction.atomic
def child_create(
    *, actor: User | None, disabilities: list[Code] | None = None, **fields: Any
) -> Child:
    """Create a child (and its person) after validating every field; all or nothing.

    Raises one ``ValidationError`` holding every field's problem, from the person's fields
    and the child's alike. ``actor`` is who records the child (``None`` for imports).
    """
    unknown = set(fields) - PERSON_FIELDS - {f.name for f in Child._meta.get_fields()}
    if unknown:
        raise TypeError(f"child_create() got unknown fields: {', '.join(sorted(unknown))}")
    person = Person(**{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    child = Child(person=person, **{k: v for k, v in fields.items() if k not in PERSON_FIELDS})
    errors: dict[str, list[str]] = {}
    for obj, exclude in ((person, None), (child, {"person"})):
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    person.save()
    child.person = person
    child.save()
    if disabilities:
        child.disabilities.set(disabilities)
    return child


@transaction.atomic
def person_create(*, actor: User | None, **fields: Any) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def household_create(
    *, actor: User | None, members: list[Person], moved_in_on: dt.date, **fields: Any
) -> Household:
    """Create a household and its members' memberships from ``moved_in_on``."""
    household = Household(**fields)
    household.full_clean()
    household.save()
    for person in members:
        membership = HouseholdMembership(household=household, person=person, started_on=moved_in_on)
        membership.full_clean()
        membership.save()
    return household


@transaction.atomic
def involvement_start(
    *,
    actor: User | None,
    child: Child,
    agency: Agency,
    role: str,
    started_on: dt.date,
    practitioner: User | None = None,
) -> Involvement:
    """Record that ``agency`` (and ``practitioner``) now works with ``child``."""
    involvement = Involvement(
        child=child, agency=agency, practitioner=practitioner, role=role, started_on=started_on
    )
    involvement.full_clean()
    involvement.save()
    return involvement


@transaction.atomic
def relationship_update(
    *,
    actor: User | None,
    relationship_id: int,
    relationship_type: str,
    has_parental_responsibility: bool,
    ended_on: dt.date | None,
) -> Relationship:
    """Correct a relationship (the genogram is drawn from these, so it is edited here)."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship_id)
    relationship.relationship_type = relationship_type
    relationship.has_parental_responsibility = has_parental_responsibility
    relationship.ended_on = ended_on
    relationship.full_clean()
    relationship.save()
    return relationship
