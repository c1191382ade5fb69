"""An audit round from criteria to moderated grades, and who may see an audited case."""

from __future__ import annotations

import pytest

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.audits import selectors, services
from cumulus.audits.models import AuditorAssignment
from cumulus.codelists.models import Scheme
from cumulus.core import clock
from cumulus.testing.factories import AgencyFactory, PlanFactory, UserFactory, code

pytestmark = pytest.mark.django_db

GRADES = ["multi_agency", "early_identification", "assessment", "plans", "impact", "voice"]


def _answers(grade: int, voice: bool = True, **override: int) -> dict[str, str]:
    raw = {f"{c}.grade": str(override.get(c, grade)) for c in GRADES}
    raw["voice.evident"] = "yes" if voice else "no"
    raw["assessment.gcp2_used"] = "yes"
    return raw


@pytest.fixture
def unit():
    return UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)


@pytest.fixture
def neglect_children():
    neg = code(Scheme.CATEGORY_OF_ABUSE, "NEG")
    plans = [
        PlanFactory(plan_type="child_protection", initial_category=neg, latest_category=neg)
        for _ in range(5)
    ]
    PlanFactory(
        plan_type="child_protection", initial_category=code(Scheme.CATEGORY_OF_ABUSE, "PHY")
    )
    return [p.child_id for p in plans]


def _round(unit, size=3, seed=11, **kw):
    return services.round_create(
        actor=unit,
        title="Neglect audit",
        held_on=clock.today(),
        plan_types=["child_protection"],
        sample_size=size,
        seed=seed,
        **kw,
    )


def _auditors():
    return [
        UserFactory(role=Role.SOCIAL_WORKER, agency=AgencyFactory()),
        UserFactory(role=Role.FRONTLINE_PRACTITIONER, agency=AgencyFactory()),
    ]


def test_the_population_is_the_children_on_a_neglect_plan(unit, neglect_children):
    population = selectors.population(audit_round=_round(unit))
    assert sorted(m.child_id for m in population) == sorted(neglect_children)


def test_drawing_is_reproducible_from_the_seed(unit, neglect_children):
    first = services.sample_draw(actor=unit, audit_round=_round(unit, seed=5))
    second = services.sample_draw(actor=unit, audit_round=_round(unit, seed=5))
    assert first.keys == second.keys
    assert len(first.keys) == 3


def test_a_sample_larger_than_the_population_is_refused_and_nothing_saved(unit, neglect_children):
    audit_round = _round(unit, size=9)
    with pytest.raises(services.AuditSampleError, match="population of 5"):
        services.sample_draw(actor=unit, audit_round=audit_round)
    audit_round.refresh_from_db()
    assert audit_round.status == "planning"
    assert not audit_round.cases.exists()


def test_auditors_must_come_from_two_agencies(unit, neglect_children):
    audit_round = _round(unit)
    services.sample_draw(actor=unit, audit_round=audit_round)
    agency = AgencyFactory()
    same = [UserFactory(role=Role.SOCIAL_WORKER, agency=agency) for _ in range(2)]
    with pytest.raises(services.AuditorError, match="two agencies"):
        services.auditors_assign(actor=unit, audit_round=audit_round, auditors=same)


def test_two_auditors_grade_and_moderation_records_their_disagreement(unit, neglect_children):
    audit_round = _round(unit, size=1)
    services.sample_draw(actor=unit, audit_round=audit_round)
    a, b = _auditors()
    services.auditors_assign(actor=unit, audit_round=audit_round, auditors=[a, b])
    case = audit_round.cases.get()
    first = AuditorAssignment.objects.get(case=case, auditor=a)
    second = AuditorAssignment.objects.get(case=case, auditor=b)
    with pytest.raises(services.GradingIncompleteError) as missing:
        services.grading_submit(actor=a, assignment=first, raw={"voice.evident": "yes"})
    assert "impact.grade" in missing.value.errors
    with pytest.raises(services.AuditNotAllowedError):
        services.grading_submit(actor=b, assignment=first, raw=_answers(3))
    services.grading_submit(
        actor=a, assignment=first, raw=_answers(3), actions=["Health visitor to use GCP2"]
    )
    with pytest.raises(services.RoundStateError, match="Every assigned auditor"):
        services.moderation_record(actor=unit, case=case, raw=_answers(3))
    services.grading_submit(actor=b, assignment=second, raw=_answers(3, voice=False, impact=1))
    with pytest.raises(services.GradingIncompleteError, match="disagreed"):
        services.moderation_record(actor=unit, case=case, raw=_answers(3))
    moderated = services.moderation_record(
        actor=unit, case=case, raw=_answers(3, impact=2), note="Agreed 2 on impact at panel."
    )
    assert moderated.disagreements["impact"] == {a.username: 3, b.username: 1}
    assert set(moderated.disagreements) == {"impact"}
    [impact] = [x for x in selectors.grade_distribution(audit_round) if x.criterion == "impact"]
    assert impact.counts == {2: 1}
    assert selectors.voice_evident_share(audit_round) == (1, 1)
    assert selectors.actions_outstanding(on=clock.today()).count() == 1


def test_rounds_compare_good_or_better_share_across_rounds(unit, neglect_children):
    shares = []
    for grade in (2, 4):
        audit_round = _round(unit, size=2)
        services.sample_draw(actor=unit, audit_round=audit_round)
        a, b = _auditors()
        services.auditors_assign(actor=unit, audit_round=audit_round, auditors=[a, b])
        for case in audit_round.cases.all():
            for assignment in case.assignments.all():
                services.grading_submit(
                    actor=assignment.auditor, assignment=assignment, raw=_answers(grade)
                )
            services.moderation_record(actor=unit, case=case, raw=_answers(grade))
        shares.append(audit_round)
    history = selectors.longitudinal("neglect")
    assert [r.pk for r in history.rounds] == [r.pk for r in shares]
    assert history.shares["voice"] == [(0.0, 2), (100.0, 2)]
    assert selectors.previous_round(shares[1]) == shares[0]


def test_the_assigned_auditor_sees_the_case_and_the_look_is_logged(client, unit, neglect_children):
    audit_round = _round(unit, size=1)
    services.sample_draw(actor=unit, audit_round=audit_round)
    a, b = _auditors()
    services.auditors_assign(actor=unit, audit_round=audit_round, auditors=[a, b])
    assignment = AuditorAssignment.objects.get(auditor=a)
    client.force_login(a)
    page = client.get(f"/audits/assignments/{assignment.pk}/")
    assert page.status_code == 200
    assert 'data-testid="case-record"' in page.content.decode()
    entry = AccessLogEntry.objects.get(actor=a, action=AccessAction.VIEW_CHILD)
    assert entry.child_id == assignment.case.child_id
    assert entry.detail["lawful_basis"] == "audit_assignment"
    client.force_login(b)
    assert client.get(f"/audits/assignments/{assignment.pk}/").status_code == 404
