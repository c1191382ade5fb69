"""Reads of the chronology. Callers pass a child already checked by ``people.policies``.

Every read that returns events for a viewer annotates ``visible_in_full``: false for a
restricted event the viewer's role may not read, which templates show only as "a restricted
event exists" with whom to ask. Filters on what a restricted event is about (type, neglect
type, significance) leave out the events the viewer may not read, so a filter never reveals
what a hidden event says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth

from cumulus.accounts.models import Agency, Role, User
from cumulus.chronology.models import ChronologyEvent, RestrictedEventRole, Significance
from cumulus.codelists.models import Code, Scheme
from cumulus.people.models import Child, HouseholdMembership

# Events about the household, not only the child, which belong in a sibling's chronology too.
HOUSEHOLD_EVENT_TYPES = frozenset(
    {
        "police.domestic_abuse",
        "adults.parental_concern",
        "housing.concern",
        "housing.poor_conditions",
        "housing.homelessness",
        "home.conditions_concern",
    }
)
# Events shown in the impact chronology (Cumbria): the significant ones.
IMPACT_SIGNIFICANCE = (Significance.HIGH,)


@dataclass(frozen=True)
class ChronologyFilter:
    """What the practitioner chose on the chronology page; empty tuples mean "all"."""

    agency_ids: tuple[int, ...] = ()
    event_types: tuple[str, ...] = ()
    neglect_types: tuple[str, ...] = ()
    significance: tuple[str, ...] = ()
    newest_first: bool = True
    household: bool = False

    @property
    def filters_content(self) -> bool:
        return bool(self.event_types or self.neglect_types or self.significance)

    def as_log_detail(self) -> dict[str, object]:
        return {
            "agencies": list(self.agency_ids),
            "event_types": list(self.event_types),
            "neglect_types": list(self.neglect_types),
            "significance": list(self.significance),
            "newest_first": self.newest_first,
            "household": self.household,
        }


def chronology_for_child(*, child: Child, newest_first: bool = True) -> QuerySet[ChronologyEvent]:
    """Every event of the child, unfiltered by role: for services and the rule extract."""
    order = ("-occurred_at", "-id") if newest_first else ("occurred_at", "id")
    return (
        ChronologyEvent.objects.filter(child_id=child.pk)
        .select_related("agency", "event_type", "recorded_by")
        .order_by(*order)
    )


def _readable_by(viewer: User) -> Q:
    allowed = RestrictedEventRole.objects.filter(event_id=OuterRef("pk"), role=viewer.role)
    return Q(is_restricted=False) | Q(Exists(allowed))


def household_child_ids(*, child: Child) -> list[int]:
    """The other children who share (or shared) a household with the child."""
    households = HouseholdMembership.objects.filter(person_id=child.pk).values("household_id")
    return list(
        HouseholdMembership.objects.filter(household_id__in=households, person__child__isnull=False)
        .exclude(person_id=child.pk)
        .values_list("person_id", flat=True)
        .distinct()
    )


def chronology_events(
    *, viewer: User, child: Child, filters: ChronologyFilter | None = None
) -> QuerySet[ChronologyEvent]:
    """The child's chronology as ``viewer`` may see it, filtered and ordered.

    With ``filters.household`` the household's events that matter to the child (domestic
    abuse at the address, parents' needs, housing) are merged in from siblings' records, less
    those already in the child's own (an incident is recorded once per child).
    """
    filters = filters or ChronologyFilter()
    own = Q(child_id=child.pk)
    siblings = household_child_ids(child=child) if filters.household else []
    if siblings:
        household_types = Code.objects.filter(
            scheme=Scheme.CHRONOLOGY_EVENT_TYPE, code__in=HOUSEHOLD_EVENT_TYPES
        ).values_list("pk", flat=True)
        duplicate = ChronologyEvent.objects.filter(
            child_id=child.pk,
            occurred_at=OuterRef("occurred_at"),
            event_type_id=OuterRef("event_type_id"),
        )
        scope = own | (
            Q(child_id__in=siblings, event_type_id__in=list(household_types))
            & ~Q(Exists(duplicate))
        )
    else:
        scope = own
    events = ChronologyEvent.objects.filter(scope).annotate(
        visible_in_full=ExpressionWrapper(_readable_by(viewer), output_field=BooleanField()),
        is_own=ExpressionWrapper(own, output_field=BooleanField()),
    )
    if filters.agency_ids:
        events = events.filter(agency_id__in=filters.agency_ids)
    if filters.filters_content:
        events = events.filter(_readable_by(viewer))
    if filters.event_types:
        events = events.filter(event_type__code__in=filters.event_types)
    if filters.neglect_types:
        events = events.filter(neglect_type__code__in=filters.neglect_types)
    if filters.significance:
        events = events.filter(significance__in=filters.significance)
    order = ("-occurred_at", "-id") if filters.newest_first else ("occurred_at", "id")
    # Join only the three small code tables the rows always show. Every further join made
    # PostgreSQL's planner weigh more join orders: with the child, person and two users
    # joined too, planning took 50-150 ms for a query that runs in 2 ms. The rest is read
    # in small follow-up queries only when there is something to read (a household event's
    # child; who recorded an impact; the lawful basis of an event shared by another agency).
    events = events.select_related("agency", "event_type", "neglect_type").prefetch_related(
        "impact_recorded_by", "sharing_basis"
    )
    if siblings:
        events = events.prefetch_related("child__person")
    return events.order_by(*order)


def restricted_contacts(*, events: list[ChronologyEvent]) -> dict[int, str]:
    """For each event hidden from the viewer: whom to ask (the named contact and the roles
    that may read it), so a restriction never leaves a practitioner at a dead end."""
    hidden = {e.pk: e for e in events if not getattr(e, "visible_in_full", False)}
    labels = dict(Role.choices)
    roles: dict[int, list[str]] = {}
    for event_id, role in (
        RestrictedEventRole.objects.filter(event_id__in=hidden)
        .order_by("role")
        .values_list("event_id", "role")
    ):
        roles.setdefault(event_id, []).append(str(labels.get(role, role)).lower())
    answer = {}
    for pk, event in hidden.items():
        parts = [event.restriction_contact] if event.restriction_contact else []
        if roles.get(pk):
            parts.append("readable by " + ", ".join(roles[pk]))
        answer[pk] = "; ".join(parts)
    return answer


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    agency: str
    count: int


def chronology_month_counts(
    *, viewer: User, child: Child, filters: ChronologyFilter | None = None
) -> list[MonthCount]:
    """Events per month and agency for the timeline chart, in one grouped query (grouped by
    the agency's key, with the few agencies' names read after, so the database aggregates
    the child's events without joining or sorting them by name)."""
    rows = list(
        chronology_events(viewer=viewer, child=child, filters=filters)
        .order_by()
        .annotate(month=TruncMonth("occurred_at"))
        .values_list("month", "agency_id")
        .annotate(n=Count("id"))
    )
    names = dict(
        Agency.objects.filter(pk__in={agency for _, agency, _ in rows}).values_list("pk", "name")
    )
    counts = []
    for month, agency, n in rows:
        day = month.date() if isinstance(month, dt.datetime) else month
        counts.append(MonthCount(month=day.replace(day=1), agency=names[agency], count=n))
    counts.sort(key=lambda c: (c.month, c.agency))
    return counts


def chronology_filter_choices(*, child: Child) -> dict[str, list[tuple[str, str]]]:
    """The agencies, event types and neglect types present in the child's chronology."""
    # The distinct keys come from the child's events alone (one index range, no joins); the
    # few codes and agencies they name are then read by primary key.
    own = ChronologyEvent.objects.filter(child_id=child.pk).order_by()
    keys = set(own.values_list("agency_id", "event_type_id", "neglect_type_id").distinct())
    agencies = Agency.objects.filter(pk__in={a for a, _, _ in keys}).order_by("name")
    codes = Code.objects.filter(
        pk__in={t for _, t, _ in keys} | {n for _, _, n in keys if n is not None}
    ).order_by("label")
    event_type_ids = {t for _, t, _ in keys}
    neglect_type_ids = {n for _, _, n in keys if n is not None}
    listed = list(codes.values_list("pk", "code", "label"))
    return {
        "agencies": [(str(a.pk), a.name) for a in agencies],
        "event_types": [(c, label) for pk, c, label in listed if pk in event_type_ids],
        "neglect_types": [(c, label) for pk, c, label in listed if pk in neglect_type_ids],
        "significance": [(s.value, s.label) for s in Significance],
    }


def impact_chronology(*, viewer: User, child: Child) -> QuerySet[ChronologyEvent]:
    """The significant events, oldest first, with what each meant for the child."""
    return chronology_events(
        viewer=viewer,
        child=child,
        filters=ChronologyFilter(newest_first=False),
    ).filter(Q(significance__in=IMPACT_SIGNIFICANCE) | ~Q(impact_on_child=""))


def chronology_event_get(*, viewer: User, child: Child, event_id: int) -> ChronologyEvent:
    """One of the child's own events that the viewer may read in full."""
    return (
        chronology_events(viewer=viewer, child=child)
        .filter(pk=event_id, child_id=child.pk)
        .filter(_readable_by(viewer))
        .get()
    )


__all__ = [
    "ChronologyFilter",
    "MonthCount",
    "chronology_event_get",
    "chronology_events",
    "chronology_filter_choices",
    "chronology_for_child",
    "chronology_month_counts",
    "household_child_ids",
    "impact_chronology",
    "restricted_contacts",
]
