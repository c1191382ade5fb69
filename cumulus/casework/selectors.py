"""Reads of casework. Callers pass a child already checked by ``people.policies``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role, User
from cumulus.casework import timescales
from cumulus.casework.models import (
    Assessment,
    AssessmentType,
    Contact,
    InitialConference,
    Plan,
    PlanType,
    Referral,
    Review,
)
from cumulus.chronology.selectors import chronology_for_child
from cumulus.core import clock
from cumulus.people.models import Child
from cumulus.people.policies import visible_child_filter, visible_children

if TYPE_CHECKING:
    from cumulus.chronology.models import ChronologyEvent


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
        Contact.objects.filter(
            visible_child_filter(user=viewer, in_order=True), decided_at__isnull=True
        )
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


# --- The journey: what a child's journey looks like now, and each practitioner's task list.


@dataclass(frozen=True)
class Task:
    """One thing a practitioner or manager must do, with its due date."""

    child: Child
    what: str
    due_on: dt.date | None
    url: str
    kind: str
    drifting: bool = False

    def is_overdue(self, today: dt.date) -> bool:
        return self.drifting or (self.due_on is not None and self.due_on < today)


STATUTORY_PLAN_TYPES = (PlanType.CHILD_IN_NEED, PlanType.CHILD_PROTECTION, PlanType.LOOKED_AFTER)


def _plan_types_for(viewer: User) -> tuple[str, ...]:
    kind = viewer.agency.agency_type if viewer.agency else ""
    if kind == AgencyType.CHILDRENS_SOCIAL_CARE:
        return STATUTORY_PLAN_TYPES
    if kind == AgencyType.EARLY_HELP:
        return (PlanType.EARLY_HELP,)
    return ()


def early_help_waiting(*, viewer: User) -> QuerySet[Assessment]:
    """Families the front door sent to the viewer's early help service, with no lead yet."""
    if viewer.role not in (Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER) or not viewer.agency_id:
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(
            assessment_type=AssessmentType.EARLY_HELP,
            agency_id=viewer.agency_id,
            lead_practitioner__isnull=True,
            authorised_on__isnull=True,
        )
        .select_related("child__person")
        .order_by("started_on", "pk")
    )


def task_list(*, viewer: User, today: dt.date | None = None) -> list[Task]:
    """Everything due for the viewer, overdue and drifting first. A practitioner sees what they
    lead; a manager (agency-wide role) sees everything due for the children their service works
    with, so drift shows up on their list too."""
    today = today or clock.today()
    wide = viewer.has_agency_wide_view
    visible = visible_children(user=viewer)
    tasks: list[Task] = []
    for contact in front_door_queue(viewer=viewer):
        tasks.append(
            Task(
                contact.child,
                f"Decide the concern from {contact.agency}",
                contact.decision_due_on,
                reverse("web:front-door-decision", args=[contact.pk]),
                "front_door",
            )
        )
    for assessment in early_help_waiting(viewer=viewer):
        tasks.append(
            Task(
                assessment.child,
                "Early help: the family needs a lead practitioner",
                assessment.started_on,
                reverse("casework:journey", args=[assessment.child_id]),
                "early_help_waiting",
            )
        )
    mine = Q(lead_practitioner=viewer)
    assessments = Assessment.objects.filter(authorised_on__isnull=True).exclude(
        assessment_type=AssessmentType.EARLY_HELP, lead_practitioner__isnull=True
    )
    plan_types = _plan_types_for(viewer)
    if wide:
        kinds = [AssessmentType.EARLY_HELP] if PlanType.EARLY_HELP in plan_types else []
        if PlanType.CHILD_PROTECTION in plan_types:
            kinds += [AssessmentType.CHILD_AND_FAMILY, AssessmentType.SECTION_47]
        assessments = assessments.filter(mine | Q(child__in=visible, assessment_type__in=kinds))
    else:
        assessments = assessments.filter(mine)
    for assessment in assessments.select_related("child__person"):
        tasks.append(
            Task(
                assessment.child,
                f"Complete the {assessment.get_assessment_type_display().lower()}",
                assessment.due_on,
                reverse("casework:assessment-complete", args=[assessment.pk]),
                "assessment",
            )
        )
    if viewer.role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
        conferences = InitialConference.objects.filter(held_on__isnull=True, child__in=visible)
        if not wide:
            conferences = conferences.filter(
                strategy_discussion__section_47__lead_practitioner=viewer
            )
        for conference in conferences.select_related("child__person"):
            tasks.append(
                Task(
                    conference.child,
                    "Hold the initial child protection conference",
                    conference.due_on,
                    reverse("casework:conference", args=[conference.pk]),
                    "conference",
                )
            )
    plans = Plan.objects.filter(ended_on__isnull=True)
    if wide:
        plans = plans.filter(mine | Q(child__in=visible, plan_type__in=plan_types))
    else:
        plans = plans.filter(mine)
    plans = plans.select_related("child__person").annotate(last_review=Max("reviews__held_on"))
    for plan in plans:
        reviewed = plan.progress_reviewed_on or plan.last_review
        due = plan.review_due_on or timescales.plan_review_due(
            plan_type=plan.plan_type, started_on=plan.started_on, last_review_on=plan.last_review
        )
        url = reverse("casework:plan", args=[plan.pk])
        label = plan.get_plan_type_display().lower()
        tasks.append(Task(plan.child, f"Review the {label}", due, url, "review"))
        if timescales.is_drifting(
            started_on=plan.started_on, progress_reviewed_on=reviewed, today=today
        ):
            tasks.append(
                Task(
                    plan.child,
                    f"Drift: {label} open over 6 months without a review of progress",
                    None,
                    url,
                    "drift",
                    drifting=True,
                )
            )
    return sorted(
        tasks,
        key=lambda t: (not t.is_overdue(today), t.due_on or dt.date.min, t.child.pk, t.kind),
    )


@dataclass(frozen=True)
class Journey:
    """Where a child is on the journey now, for the child's journey page."""

    contacts: list[Contact]
    assessments: list[Assessment]
    conferences: list[InitialConference]
    open_plans: list[Plan]
    past_plans: list[Plan]
    referrals: list[Referral]


def journey_get(*, child: Child) -> Journey:
    return Journey(
        contacts=list(contacts_for_child(child=child)[:20]),
        assessments=list(
            Assessment.objects.filter(child_id=child.pk)
            .select_related("lead_practitioner", "agency")
            .order_by("-started_on", "-pk")[:20]
        ),
        conferences=list(
            InitialConference.objects.filter(child_id=child.pk).select_related("category")
        ),
        open_plans=list(open_plans(child=child)),
        past_plans=list(past_plans(child=child)[:20]),
        referrals=list(
            Referral.objects.filter(child_id=child.pk)
            .select_related("closure_reason")
            .order_by("-referred_on", "-pk")[:10]
        ),
    )


def plan_get(*, viewer: User, plan_id: int) -> Plan:
    """A plan of a child the viewer may see; ``Plan.DoesNotExist`` otherwise."""
    return (
        Plan.objects.filter(child__in=visible_children(user=viewer))
        .select_related("child__person", "lead_practitioner", "lead_agency", "initial_category")
        .get(pk=plan_id)
    )


def assessment_get(*, viewer: User, assessment_id: int) -> Assessment:
    """An assessment of a visible child, or one waiting in the viewer's early help queue."""
    waiting = early_help_waiting(viewer=viewer).filter(pk=assessment_id)
    if waiting.exists():
        return waiting.get()
    return (
        Assessment.objects.filter(child__in=visible_children(user=viewer))
        .select_related("child__person")
        .get(pk=assessment_id)
    )


def review_get(*, viewer: User, review_id: int) -> Review:
    """A review of a plan for a child the viewer may see; ``Review.DoesNotExist`` otherwise."""
    return (
        Review.objects.filter(plan__child__in=visible_children(user=viewer))
        .select_related("plan__child__person", "recorded_by")
        .get(pk=review_id)
    )


def plan_changes(*, plan: Plan) -> list[ChronologyEvent]:
    """The plan's content edits as its chronology holds them (who, when, what), newest first."""
    return list(
        chronology_for_child(child=plan.child)
        .filter(event_type__code="casework.plan_change", source_reference=f"plan:{plan.pk}")
        .select_related("recorded_by")
    )
