"""Reads of the chronology. Callers pass a child already checked by ``people.policies``."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.chronology.models import ChronologyEvent
from cumulus.people.models import Child


def chronology_for_child(*, child: Child, newest_first: bool = True) -> QuerySet[ChronologyEvent]:
    order = ("-occurred_at", "-id") if newest_first else ("occurred_at", "id")
    return (
        ChronologyEvent.objects.filter(child_id=child.pk)
        .select_related("agency", "event_type", "recorded_by")
        .order_by(*order)
    )
