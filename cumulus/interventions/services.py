"""Intervention writes: load the catalogue; refer a plan to an intervention, start it, end it.

Each write is atomic and checks the rule it enforces: eligibility (age, level of need), dates
that never run backwards, a completion for every ending, scores on a named measure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cumulus.accounts.models import User
from cumulus.casework.models import Plan
from cumulus.chronology.models import Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.interventions.catalogue import DEFAULT_CATALOGUE, parse_catalogue
from cumulus.interventions.localities import locality_of_postcode
from cumulus.interventions.models import (
    Completion,
    Intervention,
    InterventionCapacity,
    InterventionReferral,
)
from cumulus.people.models import Child, HouseholdMembership
from cumulus.people.policies import can_view_child


class InterventionNotAllowedError(CumulusError):
    """The practitioner may not refer or update for this child."""


class NotEligibleError(CumulusError):
    """The child or plan does not meet the intervention's eligibility."""


@transaction.atomic
def intervention_catalogue_load(*, path: Path | None = None) -> int:
    """Create or update every intervention of the catalogue file; replace their capacity.

    Interventions no longer in the file are marked inactive, never deleted (referrals point
    at them). Returns how many interventions the file holds.
    """
    source = path or DEFAULT_CATALOGUE
    version, entries = parse_catalogue(source.read_text(encoding="utf-8"), source=source.name)
    types = {c.code: c for c in Code.objects.filter(scheme=Scheme.NEGLECT_TYPE)}
    for entry in entries:
        intervention, _ = Intervention.objects.update_or_create(
            code=entry.code,
            defaults={
                "name": entry.name,
                "description": entry.description,
                "min_age": entry.min_age,
                "max_age": entry.max_age,
                "levels": list(entry.levels),
                "is_active": True,
                "catalogue_version": version,
            },
        )
        intervention.neglect_types.set([types[t] for t in entry.neglect_types])
        InterventionCapacity.objects.filter(intervention=intervention).delete()
        InterventionCapacity.objects.bulk_create(
            InterventionCapacity(intervention=intervention, locality=locality, places=places)
            for locality, places in sorted(entry.capacity.items())
        )
    Intervention.objects.exclude(code__in=[e.code for e in entries]).update(is_active=False)
    return len(entries)


def child_locality(child: Child, *, on: dt.date | None = None) -> str:
    """The postcode district of the child's home on ``on`` (today by default)."""
    day = on or clock.today()
    membership = (
        HouseholdMembership.objects.filter(person_id=child.pk, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("household")
        .order_by("-started_on")
        .first()
    )
    return locality_of_postcode(membership.household.postcode if membership else None)


def eligibility_problems(intervention: Intervention, plan: Plan, *, on: dt.date) -> list[str]:
    """Why the plan's child cannot be referred (empty if eligible)."""
    problems = []
    if not intervention.is_active:
        problems.append(f"{intervention.name} is no longer offered")
    if plan.plan_type not in intervention.levels:
        problems.append(
            f"{intervention.name} does not take referrals from a "
            f"{plan.get_plan_type_display().lower()}"
        )
    age = plan.child.age_on(on)
    age = 0 if age is None else age  # an unborn child counts as under one
    if not intervention.min_age <= age <= intervention.max_age:
        problems.append(
            f"{intervention.name} is for children aged {intervention.min_age} to "
            f"{intervention.max_age}; this child is {age}"
        )
    return problems


@transaction.atomic
def intervention_referral_create(
    *,
    actor: User,
    plan: Plan,
    intervention: Intervention,
    referred_on: dt.date,
    measure: str = "",
    score_before: Decimal | None = None,
    note: str = "",
) -> InterventionReferral:
    """Refer a plan's child to an intervention they are eligible for."""
    child = plan.child
    if not can_view_child(actor, child):
        raise InterventionNotAllowedError("You can only refer a child you work with")
    errors: dict[str, str] = {}
    if not plan.is_open:
        errors["plan"] = "The plan has ended: refer from an open plan"
    if referred_on > clock.today():
        errors["referred_on"] = "The referral date must be today or in the past"
    elif referred_on < plan.started_on:
        errors["referred_on"] = "The referral date is before the plan started"
    if score_before is not None and not measure.strip():
        errors["measure"] = "Name the measure the score is on"
    if errors:
        raise ValidationError(errors)
    problems = eligibility_problems(intervention, plan, on=referred_on)
    if problems:
        raise NotEligibleError("; ".join(problems))
    if InterventionReferral.objects.filter(
        plan=plan, intervention=intervention, ended_on__isnull=True
    ).exists():
        raise ValidationError(
            {"intervention": f"This plan already has an open referral to {intervention.name}"}
        )
    referral = InterventionReferral(
        plan=plan,
        child=child,
        intervention=intervention,
        locality=child_locality(child, on=referred_on),
        referred_on=referred_on,
        referred_by=actor,
        measure=measure.strip(),
        score_before=score_before,
        note=note.strip(),
    )
    referral.full_clean()
    referral.save()
    _chronology(actor, referral, f"Referred to {intervention.name}")
    return referral


@transaction.atomic
def intervention_referral_start(
    *, actor: User, referral_id: int, started_on: dt.date
) -> InterventionReferral:
    referral = _locked(actor, referral_id)
    if referral.started_on is not None:
        raise ValidationError({"started_on": f"It already started on {referral.started_on}"})
    if not referral.is_open:
        raise ValidationError({"started_on": "The referral has ended"})
    if started_on < referral.referred_on or started_on > clock.today():
        raise ValidationError(
            {"started_on": "The start date must be between the referral and today"}
        )
    referral.started_on = started_on
    referral.save()
    _chronology(actor, referral, f"Started {referral.intervention.name}")
    return referral


@transaction.atomic
def intervention_referral_end(
    *,
    actor: User,
    referral_id: int,
    ended_on: dt.date,
    completion: Completion | str,
    measure: str = "",
    score_before: Decimal | None = None,
    score_after: Decimal | None = None,
    note: str = "",
) -> InterventionReferral:
    """End a referral: completed or dropped out (after a start), or declined (at any point)."""
    referral = _locked(actor, referral_id)
    errors: dict[str, str] = {}
    if not referral.is_open:
        raise ValidationError({"ended_on": f"The referral already ended on {referral.ended_on}"})
    if completion not in Completion.values:
        errors["completion"] = "Choose completed, dropped out or declined"
    elif completion != Completion.DECLINED and referral.started_on is None:
        errors["completion"] = "Record the start before it can be completed or dropped out of"
    began = referral.started_on or referral.referred_on
    if ended_on < began:
        errors["ended_on"] = f"The end date is before {began:%d %B %Y}"
    elif ended_on > clock.today():
        errors["ended_on"] = "The end date must be today or in the past"
    before = score_before if score_before is not None else referral.score_before
    named = measure.strip() or referral.measure
    if score_after is not None and before is None:
        errors["score_after"] = "Record the score before as well as after"
    if (before is not None or score_after is not None) and not named:
        errors["measure"] = "Name the measure the scores are on"
    if errors:
        raise ValidationError(errors)
    referral.ended_on = ended_on
    referral.completion = completion
    referral.measure = named
    referral.score_before = before
    referral.score_after = score_after
    if note.strip():
        referral.note = note.strip()
    referral.full_clean()
    referral.save()
    _chronology(
        actor,
        referral,
        f"{referral.intervention.name}: {referral.get_completion_display().lower()}"
        + (f", {named} {before} to {score_after}" if score_after is not None else ""),
    )
    return referral


def _locked(actor: User, referral_id: int) -> InterventionReferral:
    InterventionReferral.objects.select_for_update().filter(pk=referral_id).values_list("pk").get()
    referral = InterventionReferral.objects.select_related("intervention", "child").get(
        pk=referral_id
    )
    if not can_view_child(actor, referral.child):
        raise InterventionNotAllowedError("You can only update referrals for a child you work with")
    return referral


def _chronology(actor: User, referral: InterventionReferral, summary: str) -> None:
    if actor.agency is None:
        raise InterventionNotAllowedError("Only a practitioner of an agency can refer")
    chronology_event_record(
        actor=actor,
        child=referral.child,
        agency=actor.agency,
        event_type="interventions.referral",
        occurred_at=clock.now(),
        summary=summary[:500],
        significance=Significance.LOW,
        source_reference=f"intervention_referral:{referral.pk}",
    )
