"""Reads for audits: the case population a round's criteria describe, the audited case as an
assigned auditor may see it (logged), and the results: grade distribution per criterion per
round, compared across rounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from cumulus.accounts.models import Agency, User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.audits import policies
from cumulus.audits.instrument import criteria, grade_labels
from cumulus.audits.models import (
    AuditAction,
    AuditCase,
    AuditorAssignment,
    AuditRound,
    ModeratedGrade,
    RoundStatus,
)
from cumulus.casework.models import Plan
from cumulus.people.rls import set_viewer, system_scope

AGE_BANDS = ((0, 4, "0-4"), (5, 10, "5-10"), (11, 15, "11-15"), (16, 17, "16-17"))


@contextmanager
def trusted_read(viewer: User | None) -> Iterator[None]:
    """Read case tables past row-level security for a check already made in Python (the
    population for the business unit's sample; the case an auditor is assigned), then scope
    the transaction back to the viewer so nothing else in the request sees more."""
    try:
        with system_scope():
            yield
    finally:
        if viewer is not None:
            set_viewer(viewer)


def age_band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return "unborn"
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_BANDS:
        if low <= years <= high:
            return label
    return "18+"


@dataclass(frozen=True)
class PopulationMember:
    child_id: int
    plan_type: str
    age_band: str
    agency_type: str

    def attributes(self) -> dict[str, str]:
        return {"plan_type": self.plan_type, "age_band": self.age_band, "agency": self.agency_type}


def _neglect_plans(plan_types: list[str], start: dt.date, end: dt.date) -> QuerySet[Plan]:
    neglect = (
        Q(plan_type="child_protection", initial_category__code="NEG")
        | Q(plan_type="child_protection", latest_category__code="NEG")
        | Q(referral__is_neglect_concern=True)
        | Q(contact__is_neglect_concern=True)
    )
    return Plan.objects.filter(
        neglect,
        plan_type__in=plan_types,
        started_on__lte=end,
        child__person__is_archived=False,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))


def population(*, audit_round: AuditRound, viewer: User | None = None) -> list[PopulationMember]:
    """Children on a neglect plan of the round's types open at any time in the lookback
    window before ``population_on``; each child once, described by their latest such plan."""
    end = audit_round.population_on
    start = end - dt.timedelta(days=audit_round.lookback_days)
    agency_type = dict(Agency.objects.values_list("id", "agency_type"))
    with trusted_read(viewer):
        rows = (
            _neglect_plans(list(audit_round.plan_types), start, end)
            .order_by("child_id", "-started_on", "-id")
            .values_list("child_id", "plan_type", "lead_agency_id", "child__person__date_of_birth")
        )
        latest: dict[int, PopulationMember] = {}
        for child_id, plan_type, agency_id, born in rows:
            if child_id in latest:
                continue
            latest[child_id] = PopulationMember(
                child_id=child_id,
                plan_type=plan_type,
                age_band=age_band(born, end),
                agency_type=agency_type.get(agency_id)
                or ("early_help" if plan_type == "early_help" else "childrens_social_care"),
            )
    return list(latest.values())


def round_get(*, viewer: User, round_id: int) -> AuditRound:
    if not policies.can_run_audits(viewer):
        raise Http404("No audit found")
    try:
        return AuditRound.objects.get(pk=round_id)
    except AuditRound.DoesNotExist:
        raise Http404("No audit found") from None


def round_results_get(*, viewer: User, round_id: int) -> AuditRound:
    if not policies.can_see_audit_results(viewer):
        raise Http404("No audit found")
    try:
        return AuditRound.objects.get(pk=round_id)
    except AuditRound.DoesNotExist:
        raise Http404("No audit found") from None


def assignments_of(*, viewer: User) -> QuerySet[AuditorAssignment]:
    return AuditorAssignment.objects.filter(
        auditor=viewer, case__audit_round__status=RoundStatus.SAMPLED
    ).select_related("case__audit_round")


def assignment_get(*, viewer: User, assignment_id: int) -> AuditorAssignment:
    """The auditor's own assignment on an open round; 404 for anyone else."""
    try:
        assignment = AuditorAssignment.objects.select_related("case__audit_round").get(
            pk=assignment_id
        )
    except AuditorAssignment.DoesNotExist:
        raise Http404("No audit case found") from None
    if assignment.auditor_id != viewer.pk or (
        assignment.case.audit_round.status != RoundStatus.SAMPLED
    ):
        raise Http404("No audit case found")
    return assignment


def case_get_for_moderation(*, viewer: User, case_id: int) -> AuditCase:
    if not policies.can_run_audits(viewer):
        raise Http404("No audit case found")
    try:
        return AuditCase.objects.select_related("audit_round").get(pk=case_id)
    except AuditCase.DoesNotExist:
        raise Http404("No audit case found") from None


@dataclass(frozen=True)
class CaseRecord:
    """What an auditor sees of the audited case: enough to audit, read from the record."""

    name: str
    born_on: dt.date | None
    plans: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    events: int


def case_record(*, viewer: User, request: HttpRequest, case: AuditCase, reason: str) -> CaseRecord:
    """The audited case's record, for a viewer whose right to it the caller has checked (an
    assignment, or the business unit moderating); the look is logged with its lawful reason."""
    from cumulus.casework.models import Assessment
    from cumulus.chronology.models import ChronologyEvent
    from cumulus.people.models import Child
    from cumulus.people.selectors import child_restriction_check

    child_restriction_check(viewer=viewer, child_id=case.child_id)
    with trusted_read(viewer):
        child = Child.objects.select_related("person").get(pk=case.child_id)
        plans = list(
            Plan.objects.filter(child_id=child.pk)
            .order_by("-started_on")
            .values("plan_type", "started_on", "ended_on", "initial_category__code")
        )
        assessments = list(
            Assessment.objects.filter(child_id=child.pk)
            .order_by("-started_on")
            .values("assessment_type", "started_on", "authorised_on")
        )
        events = ChronologyEvent.objects.filter(child_id=child.pk).count()
    access_log_record(
        actor=viewer,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={
            "lawful_basis": reason,
            "audit_round": case.audit_round_id,
            "audit_case": case.pk,
        },
    )
    return CaseRecord(
        name=child.person.full_name,
        born_on=child.person.date_of_birth,
        plans=[dict(p) for p in plans],
        assessments=[dict(a) for a in assessments],
        events=events,
    )


# ---- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    title: str
    counts: dict[int, int]  # grade -> cases
    total: int

    def share_good_or_better(self) -> float | None:
        if not self.total:
            return None
        return round(100 * (self.counts.get(4, 0) + self.counts.get(3, 0)) / self.total, 1)


def moderated_of(audit_round: AuditRound) -> list[ModeratedGrade]:
    return list(ModeratedGrade.objects.filter(case__audit_round=audit_round))


def grade_distribution(audit_round: AuditRound) -> list[CriterionResult]:
    """Agreed grades per criterion for the round's moderated cases."""
    moderated = moderated_of(audit_round)
    out = []
    for criterion, title, item_id in criteria(audit_round.definition):
        counts: dict[int, int] = {}
        for m in moderated:
            g = m.responses.get(item_id)
            if isinstance(g, int):
                counts[g] = counts.get(g, 0) + 1
        out.append(CriterionResult(criterion, title, counts, sum(counts.values())))
    return out


def voice_evident_share(audit_round: AuditRound) -> tuple[int, int]:
    moderated = moderated_of(audit_round)
    return sum(1 for m in moderated if m.responses.get("voice.evident") is True), len(moderated)


def rounds_of_theme(theme: str, *, until: dt.date | None = None) -> list[AuditRound]:
    qs = AuditRound.objects.filter(theme=theme).exclude(status=RoundStatus.PLANNING)
    if until is not None:
        qs = qs.filter(held_on__lte=until)
    return list(qs.order_by("held_on", "id"))


def previous_round(audit_round: AuditRound) -> AuditRound | None:
    earlier = [
        r
        for r in rounds_of_theme(audit_round.theme)
        if (r.held_on, r.pk) < (audit_round.held_on, audit_round.pk)
    ]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Longitudinal:
    rounds: list[AuditRound]
    criteria: list[tuple[str, str]]
    # criterion -> per round (share good or better %, cases)
    shares: dict[str, list[tuple[float | None, int]]]


def longitudinal(theme: str, *, until: dt.date | None = None) -> Longitudinal:
    """Each criterion's share of cases graded good or outstanding, round by round."""
    rounds = rounds_of_theme(theme, until=until)
    crit: list[tuple[str, str]] = []
    shares: dict[str, list[tuple[float | None, int]]] = {}
    for r in rounds:
        for result in grade_distribution(r):
            if result.criterion not in shares:
                crit.append((result.criterion, result.title))
                shares[result.criterion] = []
    for r in rounds:
        by = {x.criterion: x for x in grade_distribution(r)}
        for c, _ in crit:
            x = by.get(c)
            shares[c].append((x.share_good_or_better(), x.total) if x else (None, 0))
    return Longitudinal(rounds=rounds, criteria=crit, shares=shares)


def actions_outstanding(*, on: dt.date) -> QuerySet[AuditAction]:
    return (
        AuditAction.objects.filter(completed_on__isnull=True)
        .select_related("case__audit_round", "agency")
        .filter(case__audit_round__held_on__lte=on)
    )


def labels_for(audit_round: AuditRound) -> dict[int, str]:
    return grade_labels(audit_round.definition)


# ---- for the analytical extract -------------------------------------------------------------


def extract_audited_cases() -> list[dict[str, Any]]:
    """One row per audited case with agreed (moderated) grades: only agreed grades count."""
    rows = ModeratedGrade.objects.select_related("case__audit_round").values_list(
        "case_id", "case__child_id", "case__audit_round__held_on", "case__agency_type", "responses"
    )
    return [
        {
            "case_id": case_id,
            "child_id": child_id,
            "held_on": held_on,
            "agency_type": agency_type or None,
            "voice_of_child_evident": responses.get("voice.evident") is True,
            "gcp2_used": responses.get("assessment.gcp2_used") is True,
        }
        for case_id, child_id, held_on, agency_type, responses in rows
    ]
