"""Reads of casework. Callers pass a child already checked by ``people.policies``."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.accounts.models import Role, User
from cumulus.casework.models import Assessment, Contact, Plan, Referral
from cumulus.people.models import Child
from cumulus.people.policies import visible_children


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


def front_door_queue(*, viewer: User) -> QuerySet[Contact]:
    """Concerns waiting for a decision, oldest due first; empty for anyone but the front door."""
    if viewer.role != Role.FRONT_DOOR_DECISION_MAKER:
        return Contact.objects.none()
    return (
        Contact.objects.filter(decided_at__isnull=True, child__in=visible_children(user=viewer))
        .select_related("child__person", "agency", "recorded_by")
        .order_by("decision_due_on", "pk")
    )


def contact_get(*, viewer: User, contact_id: int) -> Contact:
    """A contact the viewer may see (through its child), or ``Contact.DoesNotExist``."""
    return (
        Contact.objects.filter(child__in=visible_children(user=viewer))
        .select_related("child__person", "agency", "recorded_by", "decided_by")
        .prefetch_related("neglect_types")
        .get(pk=contact_id)
    )


def contacts_for_child(*, child: Child) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(child_id=child.pk)
        .select_related("agency", "recorded_by")
        .order_by("-received_on", "-pk")
    )
