"""Reads: the catalogue, a child's referrals, outcomes by intervention, gaps in provision.

Outcomes and gaps are counts with no child's details, for managers and analysts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cumulus.casework.models import Contact, Plan
from cumulus.core import clock
from cumulus.interventions.localities import locality_of_postcode
from cumulus.interventions.models import (
    Completion,
    Intervention,
    InterventionCapacity,
    InterventionReferral,
)
from cumulus.people.models import Child, HouseholdMembership

NOT_RECORDED = "not_recorded"


def catalogue_list(*, active_only: bool = True) -> QuerySet[Intervention]:
    interventions = Intervention.objects.prefetch_related("neglect_types", "capacities")
    return interventions.filter(is_active=True) if active_only else interventions


def referrals_for_child(*, child: Child) -> QuerySet[InterventionReferral]:
    return (
        InterventionReferral.objects.filter(child_id=child.pk)
        .select_related("intervention", "plan", "referred_by")
        .order_by("-referred_on", "-pk")
    )


def eligible_interventions(*, plan: Plan, on: dt.date | None = None) -> list[Intervention]:
    from cumulus.interventions.services import eligibility_problems

    day = on or clock.today()
    return [i for i in catalogue_list() if not eligibility_problems(i, plan, on=day)]


@dataclass(frozen=True)
class InterventionOutcome:
    intervention: Intervention
    referrals: int
    started: int
    completed: int
    dropped_out: int
    declined: int
    with_scores: int
    mean_change: float | None

    @property
    def ended(self) -> int:
        return self.completed + self.dropped_out + self.declined

    @property
    def completion_rate(self) -> float | None:
        """Completed of those that ended (completed, dropped out or declined)."""
        return self.completed / self.ended if self.ended else None


def outcomes_by_intervention() -> list[InterventionOutcome]:
    """Per intervention: referrals, starts, endings by completion, and the mean change
    (after minus before) over referrals with both scores."""
    rows: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for referral in InterventionReferral.objects.only(
        "intervention_id", "started_on", "completion", "score_before", "score_after"
    ):
        row = rows[referral.intervention_id]
        row["referrals"] += 1
        row["started"] += referral.started_on is not None
        if referral.completion:
            row[referral.completion] += 1
        change = referral.change
        if change is not None:
            row["with_scores"] += 1
            row["change"] += change
    result = []
    for intervention in Intervention.objects.order_by("name"):
        row = rows.get(intervention.pk, {})
        scored = int(row.get("with_scores", 0))
        result.append(
            InterventionOutcome(
                intervention=intervention,
                referrals=int(row.get("referrals", 0)),
                started=int(row.get("started", 0)),
                completed=int(row.get(Completion.COMPLETED, 0)),
                dropped_out=int(row.get(Completion.DROPPED_OUT, 0)),
                declined=int(row.get(Completion.DECLINED, 0)),
                with_scores=scored,
                mean_change=row["change"] / scored if scored else None,
            )
        )
    return result


@dataclass(frozen=True)
class ProvisionGap:
    locality: str
    neglect_type: str
    children: int
    places: int
    interventions: tuple[str, ...]

    @property
    def has_no_provision(self) -> bool:
        return self.children > 0 and self.places == 0


def provision_by_locality(*, on: dt.date | None = None) -> list[ProvisionGap]:
    """Children with open plans by locality and neglect type, against the places of active
    interventions addressing that type there. A child's neglect types are those recorded on
    their contacts; a child with none recorded counts under "not recorded", set against every
    intervention's places in the locality."""
    day = on or clock.today()
    open_plan_children = set(
        Plan.objects.filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values_list("child_id", flat=True)
    )
    homes: dict[int, str] = {}
    for person_id, postcode in (
        HouseholdMembership.objects.filter(person_id__in=open_plan_children, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .order_by("started_on")
        .values_list("person_id", "household__postcode")
    ):
        homes[person_id] = locality_of_postcode(postcode)
    types_by_child: dict[int, set[str]] = defaultdict(set)
    for child_id, code in Contact.objects.filter(
        child_id__in=open_plan_children, neglect_types__isnull=False
    ).values_list("child_id", "neglect_types__code"):
        types_by_child[child_id].add(code)
    need: dict[tuple[str, str], int] = defaultdict(int)
    for child_id in open_plan_children:
        locality = homes.get(child_id, locality_of_postcode(None))
        for neglect_type in types_by_child.get(child_id) or {NOT_RECORDED}:
            need[(locality, neglect_type)] += 1
    places: dict[tuple[str, str], int] = defaultdict(int)
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for capacity in (
        InterventionCapacity.objects.filter(intervention__is_active=True, places__gt=0)
        .select_related("intervention")
        .prefetch_related("intervention__neglect_types")
    ):
        covered = [c.code for c in capacity.intervention.neglect_types.all()] + [NOT_RECORDED]
        for neglect_type in covered:
            key = (capacity.locality, neglect_type)
            places[key] += capacity.places
            names[key].append(capacity.intervention.name)
    keys = sorted(set(need) | {k for k in places if k[1] != NOT_RECORDED})
    return [
        ProvisionGap(
            locality=locality,
            neglect_type=neglect_type,
            children=need.get((locality, neglect_type), 0),
            places=places.get((locality, neglect_type), 0),
            interventions=tuple(sorted(names.get((locality, neglect_type), []))),
        )
        for locality, neglect_type in keys
    ]
