"""Writes to the chronology."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import Agency, Role, User
from cumulus.chronology.models import ChronologyEvent, RestrictedEventRole, Significance
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.people.models import Child


class ImpactNotAllowedError(Exception):
    """The actor may not write the impact of this event (not readable to them)."""


@transaction.atomic
def chronology_event_record(
    *,
    actor: User | None,
    child: Child,
    agency: Agency,
    event_type: str,
    occurred_at: dt.datetime,
    summary: str,
    significance: Significance = Significance.LOW,
    source_system: str = "cumulus",
    source_reference: str = "",
    neglect_type: str = "",
    restricted_to_roles: Iterable[str] = (),
    restriction_contact: str = "",
) -> ChronologyEvent:
    """Add one event to the child's chronology; ``event_type`` is a code of the event list.

    ``restricted_to_roles`` (role values) makes the event readable in full only to those
    roles; a restricted event must say whom to ask (``restriction_contact``).
    """
    roles = sorted(set(restricted_to_roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError({"restricted_to_roles": f"Unknown roles: {', '.join(unknown)}."})
    if roles and not restriction_contact.strip():
        raise ValidationError({"restriction_contact": "Say whom to ask about a restricted event."})
    event = ChronologyEvent(
        child=child,
        agency=agency,
        occurred_at=occurred_at,
        recorded_at=clock.now(),
        recorded_by=actor,
        event_type=Code.objects.get(scheme=Scheme.CHRONOLOGY_EVENT_TYPE, code=event_type),
        neglect_type=(
            Code.objects.get(scheme=Scheme.NEGLECT_TYPE, code=neglect_type)
            if neglect_type
            else None
        ),
        significance=significance,
        summary=summary,
        source_system=source_system,
        source_reference=source_reference,
        is_restricted=bool(roles),
        restriction_contact=restriction_contact.strip(),
    )
    event.full_clean()
    event.save()
    RestrictedEventRole.objects.bulk_create(
        RestrictedEventRole(event=event, role=role) for role in roles
    )
    return event


@transaction.atomic
def chronology_impact_record(
    *, actor: User, event: ChronologyEvent, impact_on_child: str
) -> ChronologyEvent:
    """Write (or rewrite) what the event meant for the child: the Cumbria impact chronology.

    The caller passes an event fetched through ``selectors.chronology_event_get`` for the
    actor, so only someone who may read the event in full may describe its impact.
    """
    text = impact_on_child.strip()
    if not text:
        raise ValidationError({"impact_on_child": "Describe the impact on the child."})
    if event.is_restricted and not event.restricted_roles.filter(role=actor.role).exists():
        raise ImpactNotAllowedError("Only the roles this event is restricted to may describe it.")
    event = ChronologyEvent.objects.select_for_update().get(pk=event.pk)
    event.impact_on_child = text
    event.impact_recorded_by = actor
    event.impact_recorded_at = clock.now()
    event.save(update_fields=["impact_on_child", "impact_recorded_by", "impact_recorded_at"])
    return event
