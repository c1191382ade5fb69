"""Writes for audit rounds: create, draw the sample, assign auditors, grade, moderate, and
follow up actions. Each is one transaction; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cumulus.accounts.models import User
from cumulus.audits import policies, sampler, selectors
from cumulus.audits.instrument import AUDIT_INSTRUMENT_ID, audit_instrument, criteria
from cumulus.audits.models import (
    AuditAction,
    AuditCase,
    AuditorAssignment,
    AuditRound,
    ModeratedGrade,
    RoundStatus,
)
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.instruments.engine.definition import items_by_id
from cumulus.instruments.engine.scoring import clean_responses, missing_required, score

STRATA_CHOICES = ("plan_type", "age_band", "agency")
PLAN_TYPE_CHOICES = ("early_help", "child_in_need", "child_protection")


class AuditNotAllowedError(CumulusError):
    """The user's role may not do this."""


class RoundStateError(CumulusError):
    """The round is not at the step this needs (e.g. sample already drawn)."""


class AuditSampleError(CumulusError):
    """The sample cannot be drawn as asked; the message says why."""


class AuditorError(CumulusError):
    """An auditor cannot be assigned (unknown, wrong role, too few agencies)."""


class GradingIncompleteError(CumulusError):
    """Required grades are missing or an answer is not valid."""

    def __init__(self, message: str, errors: dict[str, str]) -> None:
        super().__init__(message)
        self.errors = errors


def _run(actor: User) -> None:
    if not policies.can_run_audits(actor):
        raise AuditNotAllowedError("Only the partnership business unit runs audits.")


@transaction.atomic
def round_create(
    *,
    actor: User,
    title: str,
    held_on: dt.date,
    plan_types: Sequence[str],
    sample_size: int,
    seed: int,
    strata: Sequence[str] = (),
    minimum_per_stratum: int = 0,
    lookback_days: int = 183,
    population_on: dt.date | None = None,
    theme: str = "neglect",
) -> AuditRound:
    _run(actor)
    bad = [p for p in plan_types if p not in PLAN_TYPE_CHOICES]
    if not plan_types or bad:
        raise CumulusError("Choose the plan types whose children make up the population.")
    bad = [s for s in strata if s not in STRATA_CHOICES]
    if bad:
        raise CumulusError(f"Unknown stratum {bad[0]!r}.")
    if sample_size < 1:
        raise CumulusError("The sample needs at least one case.")
    instrument = audit_instrument(AUDIT_INSTRUMENT_ID)
    return AuditRound.objects.create(
        title=title.strip(),
        theme=theme,
        held_on=held_on,
        plan_types=list(plan_types),
        lookback_days=lookback_days,
        population_on=population_on or held_on,
        sample_size=sample_size,
        strata=list(strata),
        minimum_per_stratum=minimum_per_stratum,
        seed=seed,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        definition=instrument.definition,
        definition_sha256=instrument.sha256,
        created_by=actor,
    )


@transaction.atomic
def sample_draw(*, actor: User, audit_round: AuditRound) -> sampler.Sample:
    """Draw the round's sample from the cases that meet its criteria (seeded: drawing again
    from the same records gives the same cases) and record one AuditCase per child."""
    _run(actor)
    given = audit_round
    audit_round = AuditRound.objects.select_for_update().get(pk=audit_round.pk)
    if audit_round.status != RoundStatus.PLANNING:
        raise RoundStateError("The sample for this round has already been drawn.")
    population = selectors.population(audit_round=audit_round)
    candidates = [sampler.Candidate(c.child_id, c.attributes()) for c in population]
    try:
        sample = sampler.draw(
            candidates,
            size=audit_round.sample_size,
            seed=audit_round.seed,
            strata=audit_round.strata,
            minimum_per_stratum=audit_round.minimum_per_stratum,
        )
    except (sampler.SampleSizeError, sampler.StratumMinimumError) as exc:
        raise AuditSampleError(str(exc)) from exc
    by_child = {c.child_id: c for c in population}
    AuditCase.objects.bulk_create(
        AuditCase(
            audit_round=audit_round,
            child_id=key,
            stratum=sample.stratum_of[key],
            plan_type=by_child[key].plan_type,
            age_band=by_child[key].age_band,
            agency_type=by_child[key].agency_type,
        )
        for key in sample.keys
    )
    audit_round.status = RoundStatus.SAMPLED
    audit_round.population_size = len(population)
    audit_round.save()
    given.status, given.population_size = audit_round.status, audit_round.population_size
    return sample


@transaction.atomic
def auditors_assign(
    *, actor: User, audit_round: AuditRound, auditors: Sequence[User], per_case: int = 2
) -> int:
    """Assign ``per_case`` auditors to every case, in turn, so the work is shared evenly; the
    auditors must come from at least two agencies (a multi-agency audit)."""
    _run(actor)
    if audit_round.status != RoundStatus.SAMPLED:
        raise RoundStateError("Draw the sample before assigning auditors.")
    if per_case < 1 or per_case > len(auditors):
        raise AuditorError(f"Name at least {max(per_case, 1)} auditors.")
    wrong = [a.username for a in auditors if not policies.can_be_auditor(a)]
    if wrong:
        raise AuditorError(f"{wrong[0]} cannot be an auditor (their role does not audit cases).")
    if len({a.agency_id for a in auditors}) < 2:
        raise AuditorError("A multi-agency audit needs auditors from at least two agencies.")
    made = 0
    cases = list(audit_round.cases.order_by("id"))
    for i, case in enumerate(cases):
        for j in range(per_case):
            auditor = auditors[(i * per_case + j) % len(auditors)]
            _, created = AuditorAssignment.objects.get_or_create(
                case=case, auditor=auditor, defaults={"agency_id": auditor.agency_id}
            )
            made += created
    return made


@transaction.atomic
def grading_submit(
    *,
    actor: User,
    assignment: AuditorAssignment,
    raw: dict[str, Any],
    actions: Sequence[str] = (),
    due_on: dt.date | None = None,
) -> AuditorAssignment:
    """An auditor's grades and findings for their case, checked by the instrument engine, and
    the actions they propose (one per line)."""
    audit_round = assignment.case.audit_round
    if not policies.can_grade_assignment(
        actor,
        auditor_id=assignment.auditor_id,
        round_open=audit_round.status == RoundStatus.SAMPLED,
    ):
        raise AuditNotAllowedError("Only the assigned auditor grades this case, while it is open.")
    if hasattr(assignment.case, "moderated"):
        raise RoundStateError("This case has been moderated: its grades are agreed.")
    definition = audit_round.definition
    responses, errors = clean_responses(definition, raw)
    for item_id in missing_required(definition, responses, set(items_by_id(definition))):
        errors.setdefault(item_id, "Answer this question")
    if errors:
        raise GradingIncompleteError("Some answers are missing or not valid.", errors)
    assignment.responses = responses
    assignment.scores = {k: v.as_json() for k, v in score(definition, responses).items()}
    assignment.submitted_at = clock.now()
    assignment.save()
    for text in actions:
        if text.strip():
            AuditAction.objects.create(
                case=assignment.case,
                text=text.strip(),
                raised_by=actor,
                agency_id=actor.agency_id,
                due_on=due_on,
            )
    return assignment


def disagreements(case: AuditCase) -> dict[str, dict[str, int]]:
    """Criterion -> grades by auditor, for the criteria on which the auditors differ."""
    submitted = [a for a in case.assignments.select_related("auditor") if a.submitted_at]
    out: dict[str, dict[str, int]] = {}
    for criterion, _, item_id in criteria(case.audit_round.definition):
        grades = {a.auditor.username: a.responses.get(item_id) for a in submitted}
        if len({g for g in grades.values() if g is not None}) > 1:
            out[criterion] = grades
    return out


@transaction.atomic
def moderation_record(
    *, actor: User, case: AuditCase, raw: dict[str, Any], note: str = ""
) -> ModeratedGrade:
    """Agree the final grades for a case once every assigned auditor has submitted; where the
    auditors differed, what each said is kept with the agreed grade."""
    _run(actor)
    if case.audit_round.status != RoundStatus.SAMPLED:
        raise RoundStateError("This round is closed.")
    assignments = list(case.assignments.all())
    if not assignments or any(a.submitted_at is None for a in assignments):
        raise RoundStateError("Every assigned auditor must submit before moderation.")
    if hasattr(case, "moderated"):
        raise RoundStateError("This case has already been moderated.")
    definition = case.audit_round.definition
    responses, errors = clean_responses(definition, raw)
    for item_id in missing_required(definition, responses, set(items_by_id(definition))):
        errors.setdefault(item_id, "Agree an answer")
    if errors:
        raise GradingIncompleteError("Some agreed grades are missing or not valid.", errors)
    differ = disagreements(case)
    if differ and not note.strip():
        raise GradingIncompleteError(
            "The auditors disagreed: record how the final grades were agreed.",
            {"note": "Say how the disagreement was settled"},
        )
    return ModeratedGrade.objects.create(
        case=case, responses=responses, disagreements=differ, note=note.strip(), moderated_by=actor
    )


@transaction.atomic
def round_close(*, actor: User, audit_round: AuditRound) -> AuditRound:
    _run(actor)
    if audit_round.cases.filter(moderated__isnull=True).exists():
        raise RoundStateError("Moderate every case before closing the round.")
    audit_round.status = RoundStatus.CLOSED
    audit_round.save()
    return audit_round


@transaction.atomic
def action_complete(*, actor: User, action: AuditAction, on: dt.date | None = None) -> AuditAction:
    _run(actor)
    if action.completed_on is not None:
        raise RoundStateError("This action is already complete.")
    action.completed_on = on or clock.today()
    action.save()
    return action
