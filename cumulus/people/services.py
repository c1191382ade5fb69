"""Writes about children and families. Each is atomic: it saves everything or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.codelists.models import Code
from cumulus.core import clock
from cumulus.people.models import (
    BreakGlassAccess,
    Child,
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    RecordRestriction,
    Relationship,
    RestrictionAllowedRole,
    RestrictionAllowedUser,
    RestrictionReason,
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


class BreakGlassRefusedError(ValidationError):
    """Emergency access cannot be given: the reason says why, in words for the practitioner."""


BREAK_GLASS_MIN_REASON = 20


@transaction.atomic
def break_glass_open(*, actor: User, child: Child, reason: str) -> BreakGlassAccess:
    """Give ``actor`` emergency access to ``child`` for ``CUMULUS_BREAK_GLASS_MINUTES``.

    The grant, and a notification to the child's lead practitioners and to the designated
    safeguarding leads of the actor's own agency, are saved together or not at all. The caller
    writes the access log entry in the same transaction.
    """
    from django.conf import settings
    from django.utils import timezone

    from cumulus.core import clock
    from cumulus.inbox.services import notification_send
    from cumulus.people.policies import can_break_glass
    from cumulus.people.selectors import break_glass_recipients

    if not can_break_glass(actor):
        raise BreakGlassRefusedError("Your role cannot use emergency access.")
    reason = reason.strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise BreakGlassRefusedError(
            {
                "reason": f"Give the safeguarding reason in at least {BREAK_GLASS_MIN_REASON} "
                "characters."
            }
        )
    now = clock.now()
    grant = BreakGlassAccess.objects.create(
        user=actor,
        child=child,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(minutes=settings.CUMULUS_BREAK_GLASS_MINUTES),
    )
    who = f"{actor.display_name} ({actor.agency or 'no agency'})"
    for recipient in break_glass_recipients(child=child, actor=actor):
        notification_send(
            recipient=recipient,
            subject="Emergency access to a child's record",
            body=(
                f"{who} used emergency access to the record of {child} at "
                f"{timezone.localtime(now):%H:%M on %d %B %Y}. Their reason: {reason}"
            ),
            link=f"/children/{child.pk}/",
        )
    return grant


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


@transaction.atomic
def person_date_of_death_record(
    *, actor: User | None, person_id: int, date_of_death: dt.date | None
) -> Person:
    """Record (or correct, or clear) when a person died; the genogram marks them deceased.
    Refused if it is in the future or before their date of birth."""
    person = Person.objects.select_for_update().get(pk=person_id)
    person.date_of_death = date_of_death
    person.full_clean()
    person.save(update_fields=["date_of_death", "updated_at"])
    return person


class RestrictionRefusedError(ValidationError):
    """A record restriction cannot be set or lifted; the message says why."""


@transaction.atomic
def record_restriction_set(
    *,
    actor: User,
    child: Child,
    reason: str,
    contact: str,
    allowed_roles: list[str],
    allowed_users: list[User] | None = None,
    explanation: str = "",
) -> RecordRestriction:
    """Restrict ``child``'s whole record to ``allowed_roles`` and ``allowed_users``.

    Only a restriction manager who may see the child; the actor is always among the allowed
    people, so nobody locks themselves out. Refused while another restriction is in force
    (lift it first: the rows are the history). The child's ``updated_at`` moves, so the next
    analytics extract picks the change up. The caller logs it in the same transaction.
    """
    from cumulus.accounts.models import Role
    from cumulus.people.policies import can_manage_restriction, restrictions_in_force

    if not can_manage_restriction(actor, child):
        raise RestrictionRefusedError(
            "Only a team manager or designated safeguarding lead who may see this record "
            "can restrict it."
        )
    errors: dict[str, str] = {}
    if reason not in RestrictionReason.values:
        errors["reason"] = "Choose why the record is restricted"
    if not contact.strip():
        errors["contact"] = "Say whom to ask, with a way to reach someone out of hours"
    unknown = sorted(set(allowed_roles) - set(Role.values))
    if unknown:
        errors["allowed_roles"] = f"Not a role: {', '.join(unknown)}"
    if reason == RestrictionReason.OTHER and not explanation.strip():
        errors["explanation"] = "Explain why the record is restricted"
    if errors:
        raise RestrictionRefusedError(errors)
    if restrictions_in_force().filter(child_id=child.pk).exists():
        raise RestrictionRefusedError("This record is already restricted: lift that first.")
    restriction = RecordRestriction.objects.create(
        child=child,
        reason=reason,
        explanation=explanation.strip(),
        contact=contact.strip(),
        set_by=actor,
        set_at=clock.now(),
    )
    for role in sorted(set(allowed_roles)):
        RestrictionAllowedRole.objects.create(restriction=restriction, role=role)
    for user in {u.pk: u for u in [*(allowed_users or []), actor]}.values():
        RestrictionAllowedUser.objects.create(restriction=restriction, user=user)
    Child.objects.filter(pk=child.pk).update(updated_at=clock.now())
    return restriction


@transaction.atomic
def record_restriction_lift(
    *, actor: User, restriction: RecordRestriction, reason: str
) -> RecordRestriction:
    """Lift a restriction in force, saying why; the row stays as history."""
    from cumulus.people.policies import can_manage_restriction

    restriction = RecordRestriction.objects.select_for_update().get(pk=restriction.pk)
    if not can_manage_restriction(actor, restriction.child):
        raise RestrictionRefusedError(
            "Only a team manager or designated safeguarding lead allowed by this restriction "
            "can lift it."
        )
    if not restriction.in_force:
        raise RestrictionRefusedError("This restriction has already been lifted.")
    if not reason.strip():
        raise RestrictionRefusedError({"lift_reason": "Say why the restriction is being lifted"})
    restriction.lifted_by = actor
    restriction.lifted_at = clock.now()
    restriction.lift_reason = reason.strip()
    restriction.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    Child.objects.filter(pk=restriction.child_id).update(updated_at=clock.now())
    return restriction
