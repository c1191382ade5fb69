"""Reads of escalations, filtered by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from cumulus.accounts.models import User
from cumulus.casework.models import Contact, Plan
from cumulus.core import clock
from cumulus.escalation.models import Escalation, EscalationStage, EscalationStatus
from cumulus.people.models import Child
from cumulus.people.policies import visible_children


def escalations_for_child(*, child: Child) -> QuerySet[Escalation]:
    """Every escalation about a child already checked by ``child_get``, newest first."""
    return (
        Escalation.objects.filter(child_id=child.pk)
        .select_related("raised_by", "raised_by_agency", "other_party")
        .prefetch_related("stages")
        .order_by("-raised_at", "-pk")
    )


def escalation_get(*, viewer: User, escalation_id: int) -> Escalation:
    """An escalation about a child the viewer may see; otherwise ``Http404``."""
    try:
        return (
            Escalation.objects.filter(child__in=visible_children(user=viewer))
            .select_related(
                "child__person", "raised_by", "raised_by_agency", "other_party", "contact", "plan"
            )
            .get(pk=escalation_id)
        )
    except Escalation.DoesNotExist:
        raise Http404("No escalation found") from None


def escalation_stages(*, escalation: Escalation) -> QuerySet[EscalationStage]:
    return EscalationStage.objects.filter(escalation=escalation).select_related(
        "outcome_recorded_by"
    )


@dataclass(frozen=True)
class OpenEscalation:
    escalation: Escalation
    stage: EscalationStage
    is_overdue: bool


def open_escalations(*, viewer: User, overdue_only: bool = False) -> list[OpenEscalation]:
    """Open escalations about children the viewer may see, overdue (oldest due) first."""
    today = clock.today()
    stages = (
        EscalationStage.objects.filter(
            escalation__status=EscalationStatus.OPEN,
            escalation__child__in=visible_children(user=viewer),
            outcome="",
        )
        .select_related("escalation__child__person", "escalation__raised_by")
        .select_related("escalation__raised_by_agency", "escalation__other_party")
        .order_by("due_on", "escalation_id")
    )
    if overdue_only:
        stages = stages.filter(due_on__lt=today)
    return [
        OpenEscalation(escalation=s.escalation, stage=s, is_overdue=s.due_on < today)
        for s in stages
    ]


def decided_contacts_for_child(*, child: Child) -> QuerySet[Contact]:
    """Front door decisions about the child that a practitioner could disagree with."""
    return Contact.objects.filter(child_id=child.pk, decided_at__isnull=False).order_by(
        "-decided_at"
    )


def plans_for_child(*, child: Child) -> QuerySet[Plan]:
    return Plan.objects.filter(child_id=child.pk).order_by("-started_on")
