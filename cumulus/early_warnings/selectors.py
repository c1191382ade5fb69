"""Reads of alerts, always through what the viewer may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from cumulus.accounts.models import User
from cumulus.chronology.models import ChronologyEvent
from cumulus.chronology.selectors import ChronologyFilter, chronology_events
from cumulus.early_warnings.models import Alert, AlertEvent, AlertRecipient, AlertResponse
from cumulus.people.models import Child
from cumulus.people.policies import visible_children


def alert_inbox(*, viewer: User) -> QuerySet[Alert]:
    """Alerts sent to the viewer about children they may still see, unanswered first."""
    answered = AlertResponse.objects.filter(alert_id=OuterRef("pk"))
    return (
        Alert.objects.filter(
            Exists(AlertRecipient.objects.filter(alert_id=OuterRef("pk"), user_id=viewer.pk)),
            child__in=visible_children(user=viewer),
        )
        .annotate(answered=Exists(answered))
        .select_related("child__person")
        .order_by("answered", "-fired_on", "-id")
    )


def alerts_for_child(*, viewer: User, child: Child) -> QuerySet[Alert]:
    """Every alert about a child the viewer may see (callers pass a child already checked)."""
    return (
        Alert.objects.filter(child_id=child.pk)
        .annotate(answered=Exists(AlertResponse.objects.filter(alert_id=OuterRef("pk"))))
        .order_by("-fired_on", "-id")
    )


def alert_get(*, viewer: User, alert_id: int) -> Alert:
    """The alert, if the viewer may see its child; otherwise 404 as if it did not exist."""
    try:
        return (
            Alert.objects.filter(child__in=visible_children(user=viewer))
            .select_related("child__person")
            .get(pk=alert_id)
        )
    except Alert.DoesNotExist:
        raise Http404("No alert found") from None


def alert_trigger_events(*, viewer: User, alert: Alert) -> QuerySet[ChronologyEvent]:
    """The events that triggered the alert, as the viewer may see them (restricted ones
    stay restricted), oldest first."""
    ids = AlertEvent.objects.filter(alert_id=alert.pk).values("event_id")
    return (
        chronology_events(
            viewer=viewer, child=alert.child, filters=ChronologyFilter(household=True)
        )
        .filter(pk__in=ids)
        .order_by("occurred_at", "id")
    )


def alert_responses(*, alert: Alert) -> QuerySet[AlertResponse]:
    return AlertResponse.objects.filter(alert_id=alert.pk).select_related("responder__agency")
