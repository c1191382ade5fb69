"""Writes to the chronology."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.chronology.models import ChronologyEvent, Significance
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.people.models import Child


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
) -> ChronologyEvent:
    """Add one event to the child's chronology; ``event_type`` is a code of the event list."""
    event = ChronologyEvent(
        child=child,
        agency=agency,
        occurred_at=occurred_at,
        recorded_at=clock.now(),
        recorded_by=actor,
        event_type=Code.objects.get(scheme=Scheme.CHRONOLOGY_EVENT_TYPE, code=event_type),
        significance=significance,
        summary=summary,
        source_system=source_system,
        source_reference=source_reference,
    )
    event.full_clean()
    event.save()
    return event
