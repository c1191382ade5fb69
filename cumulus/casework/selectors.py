"""Reads of casework. Callers pass a child already checked by ``people.policies``."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.casework.models import Assessment, Plan, Referral
from cumulus.people.models import Child


def open_plans(*, child: Child) -> QuerySet[Plan]:
    """Open early help, CIN, CP and looked-after episodes, newest first."""
    return (
        Plan.objects.filter(child_id=child.pk, ended_on__isnull=True)
        .select_related("initial_category", "latest_category", "lead_agency", "lead_practitioner")
        .order_by("-started_on")
    )


def open_referrals(*, child: Child) -> QuerySet[Referral]:
    return Referral.objects.filter(child_id=child.pk, closed_on__isnull=True).select_related(
        "source", "primary_need"
    )


def open_assessments(*, child: Child) -> QuerySet[Assessment]:
    return Assessment.objects.filter(child_id=child.pk, authorised_on__isnull=True)


def past_plans(*, child: Child) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(child_id=child.pk, ended_on__isnull=False)
        .select_related("initial_category")
        .order_by("-started_on")
    )
