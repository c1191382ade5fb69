"""What every transition shares: its errors, row locks, date rules, the chronology entry and the
message to the referrer. Each transition calls these inside its own transaction."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse

from cumulus.accounts.models import Agency, AgencyType, Role, User
from cumulus.accounts.selectors import front_door_agency
from cumulus.casework.models import Contact, Plan
from cumulus.chronology.models import Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.inbox.services import notification_send
from cumulus.people.models import Child, Involvement
from cumulus.people.policies import can_view_child

SOCIAL_CARE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
EARLY_HELP_ROLES = frozenset({Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER})


class NotAllowedError(CumulusError):
    """The practitioner may not take this action."""


class TransitionRefusedError(CumulusError):
    """The journey cannot move this way from where it is (the message says why)."""


class DatesOutOfOrderError(TransitionRefusedError):
    """A date is before the step it follows, or in the future."""


def locked[M: models.Model](model: type[M], pk: int) -> M:
    """The row, locked until the transaction ends (``SELECT ... FOR UPDATE`` on PostgreSQL;
    SQLite serialises writers with its database lock). No joins: PostgreSQL cannot lock the
    nullable side of an outer join."""
    model._default_manager.select_for_update().filter(pk=pk).values_list("pk").get()
    return model._default_manager.get(pk=pk)


def require_role(actor: User, roles: frozenset[str], what: str) -> None:
    if actor.role not in roles:
        raise NotAllowedError(f"Only {what} can do this")


def require_child(actor: User, child: Child) -> None:
    if not can_view_child(actor, child):
        raise NotAllowedError("You can only act for a child you work with")


def check_date(day: dt.date, *, after: dt.date | None, what: str, previous: str) -> None:
    """Dates never run backwards, and nothing is recorded as happening in the future."""
    if day > clock.today():
        raise DatesOutOfOrderError(f"The {what} date cannot be in the future")
    if after is not None and day < after:
        raise DatesOutOfOrderError(
            f"The {what} date ({day:%d %B %Y}) cannot be before the {previous} ({after:%d %B %Y})"
        )


def early_help_agency() -> Agency:
    agency = (
        Agency.objects.filter(agency_type=AgencyType.EARLY_HELP, is_active=True)
        .order_by("pk")
        .first()
    )
    if agency is None:
        raise TransitionRefusedError("No early help service is set up to receive families")
    return agency


def ensure_involvement(
    *, child: Child, agency: Agency, role: str, practitioner: User | None = None
) -> None:
    """Open an involvement so the service (or practitioner) sees the child; keep one per kind."""
    open_ = Involvement.objects.filter(
        child=child, agency=agency, practitioner=practitioner, ended_on__isnull=True
    )
    if not open_.exists():
        Involvement.objects.create(
            child=child,
            agency=agency,
            practitioner=practitioner,
            role=role,
            started_on=clock.today(),
        )


def record_event(
    *,
    actor: User,
    child: Child,
    event_type: str,
    summary: str,
    reference: str,
    occurred_on: dt.date | None = None,
    significance: Significance = Significance.MEDIUM,
) -> None:
    """The state change in the child's chronology, in the caller's transaction."""
    now = clock.now()
    occurred_at = now
    if occurred_on is not None and occurred_on != clock.today():
        occurred_at = dt.datetime.combine(occurred_on, dt.time(12, 0), tzinfo=dt.UTC)
    chronology_event_record(
        actor=actor,
        child=child,
        agency=actor.agency or front_door_agency(),
        event_type=event_type,
        occurred_at=occurred_at,
        summary=summary[:500],
        significance=significance,
        source_reference=reference,
    )


def referrers(contact: Contact | None) -> list[User]:
    """Who raised the concern that started this journey, and who asked for any step-up."""
    found: list[User] = []
    seen: set[int] = set()
    while contact is not None:
        person = contact.recorded_by
        if person is not None and person.pk not in seen:
            found.append(person)
            seen.add(person.pk)
        origin = contact.step_up_from
        contact = origin.contact if origin is not None else None
    return found


def tell_referrers(
    *, contact: Contact | None, child: Child, decision: str, why: str, actor: User
) -> None:
    """Every decision on the journey goes back to the referrer's inbox (Hillingdon 6.3)."""
    for person in referrers(contact):
        if person.pk == actor.pk:
            continue
        notification_send(
            recipient=person,
            subject=f"Update on your concern about {child.full_name}: {decision}"[:200],
            body=f"Decision: {decision}.\n\nWhy: {why}" if why else f"Decision: {decision}.",
            link=reverse("web:child-detail", args=[child.pk]),
        )


def plan_changed(*, actor: User, plan: Plan, what: str) -> None:
    """A change to the plan's content lands in the child's chronology: who (the recording
    practitioner), when (now) and what changed, in the caller's transaction."""
    record_event(
        actor=actor,
        child=plan.child,
        event_type="casework.plan_change",
        summary=f"{plan.get_plan_type_display()} changed: {what}",
        reference=f"plan:{plan.pk}",
        significance=Significance.LOW,
    )


def quote(text: str, limit: int = 120) -> str:
    """Text in quotation marks for a chronology summary, cut to ``limit`` characters."""
    text = " ".join(text.split())
    return f"“{text[: limit - 1]}…”" if len(text) > limit else f"“{text}”"


def long_date(day: dt.date) -> str:
    """A date as people write it: 1 April 2026 (not 01 April 2026)."""
    return f"{day.day} {day:%B %Y}"
