"""The whole journey through the transition services, and the rules each step holds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cumulus.casework import services
from cumulus.casework.models import (
    Assessment,
    AssessmentType,
    Contact,
    InitialConference,
    Plan,
    PlanType,
    Referral,
)
from cumulus.chronology.models import ChronologyEvent
from cumulus.inbox.models import Notification

from .conftest import START

pytestmark = pytest.mark.django_db


def _events(child):
    return list(
        ChronologyEvent.objects.filter(child=child)
        .order_by("occurred_at", "id")
        .values_list("event_type__code", flat=True)
    )


def _concern(cast):
    return services.concern_record(
        actor=cast.teacher,
        child=cast.child,
        summary="Hungry every morning; the same clothes all week.",
        neglect_types=["nutritional", "physical"],
    )


def _early_help_plan(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="early_help", rationale="EH fits."
    )
    assessment = Assessment.objects.get(assessment_type=AssessmentType.EARLY_HELP)
    services.early_help_take_on(actor=cast.lead_practitioner, assessment_id=assessment.pk)
    clock_at(START + dt.timedelta(days=14))
    return services.early_help_assessment_complete(
        actor=cast.lead_practitioner,
        assessment_id=assessment.pk,
        completed_on=START + dt.timedelta(days=14),
        summary="Mum is struggling after a bereavement.",
        outcome="early_help_plan",
    )


def _to_child_protection(cast, clock_at, plan):
    """Step an early help plan up to a CP plan under neglect; returns the CP plan."""
    day = plan.started_on + dt.timedelta(days=91)
    clock_at(day)
    services.plan_review_record(
        actor=cast.lead_practitioner,
        plan_id=plan.pk,
        held_on=day,
        progress="insufficient",
        summary="No change in hunger or hygiene.",
    )
    step_up = services.early_help_step_up(
        actor=cast.lead_practitioner, plan_id=plan.pk, reason="Early help has not changed things."
    )
    services.front_door_decide(
        actor=cast.front_door,
        contact_id=step_up.pk,
        outcome="strategy_discussion",
        rationale="Cumulative neglect despite early help.",
    )
    s47 = Assessment.objects.get(assessment_type=AssessmentType.SECTION_47)
    clock_at(day + dt.timedelta(days=5))
    conference = services.section_47_complete(
        actor=cast.team_manager,
        assessment_id=s47.pk,
        completed_on=day + dt.timedelta(days=5),
        summary="Neglect substantiated.",
        outcome="initial_conference",
    )
    assert conference is not None
    clock_at(day + dt.timedelta(days=14))
    services.initial_conference_record(
        actor=cast.team_manager,
        conference_id=conference.pk,
        held_on=day + dt.timedelta(days=14),
        decision="child_protection_plan",
        category="NEG",
        summary="A plan under neglect.",
    )
    return Plan.objects.get(plan_type=PlanType.CHILD_PROTECTION)


def test_the_whole_journey_from_concern_to_step_down_and_closure(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    assert plan.lead_practitioner == cast.lead_practitioner
    assert plan.review_due_on == dt.date(2026, 6, 16)  # 3 months (local), a Tuesday
    services.team_member_add(
        actor=cast.lead_practitioner,
        plan_id=plan.pk,
        agency=cast.health_visitor.agency,
        practitioner=cast.health_visitor,
        role="Health visitor: weight checks",
    )
    services.plan_outcome_add(
        actor=cast.lead_practitioner,
        plan_id=plan.pk,
        what="Breakfast every school day",
        who="Mum, with the school's breakfast club",
        due_on=START + dt.timedelta(days=60),
    )
    services.plan_statement_add(
        actor=cast.lead_practitioner, plan_id=plan.pk, kind="danger", text="Sam goes hungry."
    )
    services.plan_measure_link(
        actor=cast.lead_practitioner,
        plan_id=plan.pk,
        reference="instruments:result:1",
        label="Graded care profile, first",
        recorded_on=START + dt.timedelta(days=14),
    )
    assert plan.team.count() == 2

    cp = _to_child_protection(cast, clock_at, plan)
    plan.refresh_from_db()
    assert not plan.is_open
    assert "Stepped up" in plan.end_reason
    assert cp.initial_category.code == "NEG"
    assert cp.stepped_from == plan
    conference = InitialConference.objects.get()
    discussion = conference.strategy_discussion
    assert conference.due_on == discussion.initial_conference_due_on
    # First review within 3 months of the conference.
    assert cp.review_due_on <= cp.started_on + dt.timedelta(days=92)

    clock_at(cp.started_on + dt.timedelta(days=80))
    services.plan_review_record(
        actor=cast.team_manager,
        plan_id=cp.pk,
        held_on=cp.started_on + dt.timedelta(days=80),
        progress="good",
        summary="Much better.",
    )
    cp.refresh_from_db()
    assert cp.review_due_on > cp.started_on + dt.timedelta(days=80 + 170)  # then 6 months

    day = cp.started_on + dt.timedelta(days=120)
    clock_at(day)
    cin = services.plan_step_down(
        actor=cast.team_manager, plan_id=cp.pk, to="child_in_need", on=day, reason="Safe now."
    )
    assert cin is not None
    assert cin.plan_type == PlanType.CHILD_IN_NEED
    services.plan_step_down(
        actor=cast.team_manager,
        plan_id=cin.pk,
        to="universal_services",
        on=day,
        reason="Needs met.",
        closure_reason="RC7",
    )
    referral = Referral.objects.get()
    assert referral.closed_on == day
    assert referral.closure_reason.code == "RC7"
    assert not Plan.objects.filter(ended_on__isnull=True).exists()

    events = _events(cast.child)
    for code in [
        "casework.contact",
        "casework.front_door_decision",
        "casework.early_help_assessment",
        "casework.assessment_complete",
        "casework.plan_start",
        "casework.review",
        "casework.step_up",
        "casework.initial_conference",
        "casework.plan_end",
        "casework.step_down",
        "casework.case_closed",
    ]:
        assert code in events, code
    told = list(
        Notification.objects.filter(recipient=cast.teacher).values_list("subject", flat=True)
    )
    assert any("not accepted" in s for s in told)  # the front door's early help decision
    assert any("early help plan has started" in s for s in told)
    assert any("child protection plan has started (neglect)" in s for s in told)
    assert any("stepped down to a child in need plan" in s for s in told)
    assert any("stepped down to universal services" in s for s in told)


def test_a_child_protection_plan_cannot_start_without_a_conference_decision(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="strategy_discussion", rationale="x"
    )
    s47 = Assessment.objects.get(assessment_type=AssessmentType.SECTION_47)
    conference = services.section_47_complete(
        actor=cast.team_manager,
        assessment_id=s47.pk,
        completed_on=START,
        summary="Substantiated.",
        outcome="initial_conference",
    )
    with pytest.raises(services.TransitionRefusedError, match="initial child protection conf"):
        services.child_protection_plan_start(actor=cast.team_manager, conference_id=conference.pk)
    services.initial_conference_record(
        actor=cast.team_manager, conference_id=conference.pk, held_on=START, decision="no_plan"
    )
    with pytest.raises(services.TransitionRefusedError, match="decided on one"):
        services.child_protection_plan_start(actor=cast.team_manager, conference_id=conference.pk)
    assert not Plan.objects.exists()


def test_a_category_must_come_from_the_code_list_and_nothing_is_half_saved(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="strategy_discussion", rationale="x"
    )
    s47 = Assessment.objects.get(assessment_type=AssessmentType.SECTION_47)
    conference = services.section_47_complete(
        actor=cast.team_manager,
        assessment_id=s47.pk,
        completed_on=START,
        summary="Substantiated.",
        outcome="initial_conference",
    )
    with pytest.raises(ValidationError) as caught:
        services.initial_conference_record(
            actor=cast.team_manager,
            conference_id=conference.pk,
            held_on=START,
            decision="child_protection_plan",
            category="HUNGER",
        )
    assert "code list" in caught.value.message_dict["category"][0]
    conference.refresh_from_db()
    assert conference.held_on is None
    assert not Plan.objects.exists()


def test_an_episode_cannot_close_with_an_open_plan(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door,
        contact_id=contact.pk,
        outcome="child_and_family_assessment",
        rationale="x",
    )
    assessment = Assessment.objects.get(assessment_type=AssessmentType.CHILD_AND_FAMILY)
    assert assessment.due_on == dt.date(2026, 5, 7)  # 45 working days: Easter and 4 May skipped
    services.child_and_family_assessment_complete(
        actor=cast.team_manager,
        assessment_id=assessment.pk,
        completed_on=START,
        summary="Needs support.",
        outcome="child_in_need_plan",
    )
    referral = Referral.objects.get()
    with pytest.raises(services.TransitionRefusedError, match="while a plan is open"):
        services.referral_close_now(
            actor=cast.team_manager, referral_id=referral.pk, closed_on=START, reason_code="RC7"
        )
    with pytest.raises(ValidationError, match="closure reason"):
        services.referral_close_now(
            actor=cast.team_manager, referral_id=referral.pk, closed_on=START, reason_code="RC99"
        )
    referral.refresh_from_db()
    assert referral.closed_on is None


def test_dates_cannot_run_backwards_or_into_the_future(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    with pytest.raises(services.DatesOutOfOrderError, match="cannot be before"):
        services.plan_review_record(
            actor=cast.lead_practitioner,
            plan_id=plan.pk,
            held_on=plan.started_on - dt.timedelta(days=1),
            progress="some",
            summary="x",
        )
    with pytest.raises(services.DatesOutOfOrderError, match="future"):
        services.plan_review_record(
            actor=cast.lead_practitioner,
            plan_id=plan.pk,
            held_on=plan.started_on + dt.timedelta(days=400),
            progress="some",
            summary="x",
        )
    assert not plan.reviews.exists()


def test_child_protection_never_steps_straight_down_to_early_help(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    cp = _to_child_protection(cast, clock_at, plan)
    for to in ("early_help", "universal_services"):
        with pytest.raises(services.TransitionRefusedError, match="child in need plan first"):
            services.plan_step_down(
                actor=cast.team_manager,
                plan_id=cp.pk,
                to=to,
                on=cp.started_on,
                reason="x",
                lead_practitioner=cast.lead_practitioner,
            )
    cp.refresh_from_db()
    assert cp.is_open


def test_step_down_from_child_in_need_to_early_help_closes_the_episode(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door,
        contact_id=contact.pk,
        outcome="child_and_family_assessment",
        rationale="x",
    )
    assessment = Assessment.objects.get()
    services.child_and_family_assessment_complete(
        actor=cast.team_manager,
        assessment_id=assessment.pk,
        completed_on=START,
        summary="Needs support.",
        outcome="child_in_need_plan",
    )
    cin = Plan.objects.get()
    new = services.plan_step_down(
        actor=cast.team_manager,
        plan_id=cin.pk,
        to="early_help",
        on=START,
        reason="Lower level of need.",
        closure_reason="RC7",
        lead_practitioner=cast.lead_practitioner,
    )
    assert new is not None
    assert new.plan_type == PlanType.EARLY_HELP
    assert new.lead_practitioner == cast.lead_practitioner
    assert Referral.objects.get().closed_on == START


def test_early_help_is_taken_on_once_and_only_by_early_help(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="early_help", rationale="EH."
    )
    assessment = Assessment.objects.get()
    with pytest.raises(services.NotAllowedError):
        services.early_help_take_on(actor=cast.teacher, assessment_id=assessment.pk)
    services.early_help_take_on(actor=cast.lead_practitioner, assessment_id=assessment.pk)
    other = type(cast.lead_practitioner).objects.create(
        username="eh2", agency=cast.early_help, role=cast.lead_practitioner.role
    )
    with pytest.raises(services.TransitionRefusedError, match="already the lead"):
        services.early_help_take_on(actor=other, assessment_id=assessment.pk)


def test_a_second_step_up_waits_for_the_first(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    services.early_help_step_up(actor=cast.lead_practitioner, plan_id=plan.pk, reason="Stuck.")
    with pytest.raises(services.TransitionRefusedError, match="already waiting"):
        services.early_help_step_up(actor=cast.lead_practitioner, plan_id=plan.pk, reason="x")
    assert Contact.objects.filter(step_up_from=plan).count() == 1


def test_the_designated_safeguarding_lead_reviews_a_concern_from_their_agency(cast, clock_at):
    from cumulus.accounts.models import Role
    from cumulus.testing.factories import UserFactory

    contact = _concern(cast)
    dsl = UserFactory(agency=cast.teacher.agency, role=Role.DESIGNATED_SAFEGUARDING_LEAD)
    with pytest.raises(services.NotAllowedError):
        services.concern_dsl_review(actor=cast.teacher, contact_id=contact.pk, note="x")
    services.concern_dsl_review(actor=dsl, contact_id=contact.pk, note="Agree: refer.")
    contact.refresh_from_db()
    assert contact.dsl_reviewed_by == dsl
    assert contact.dsl_review_note == "Agree: refer."
    assert "education.dsl_concern" in _events(cast.child)


def test_a_concern_about_an_unborn_child(cast, clock_at):
    from cumulus.people.models import Child, Person, Sex
    from cumulus.testing.factories import InvolvementFactory

    person = Person.objects.create(family_name="Unborn", sex=Sex.UNKNOWN)
    unborn = Child.objects.create(person=person, expected_birth_on=START + dt.timedelta(days=60))
    midwife = InvolvementFactory(child=unborn, role="Midwife").practitioner
    contact = services.concern_record(
        actor=midwife, child=unborn, summary="Mother not attending antenatal care."
    )
    assert contact.child.is_unborn
    services.front_door_decide(
        actor=cast.front_door,
        contact_id=contact.pk,
        outcome="child_and_family_assessment",
        rationale="Pre-birth assessment.",
    )
    assert Assessment.objects.get(child=unborn).due_on == dt.date(2026, 5, 7)


def test_a_child_in_need_plan_steps_up_through_a_strategy_discussion(cast, clock_at):
    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door,
        contact_id=contact.pk,
        outcome="child_and_family_assessment",
        rationale="x",
    )
    services.child_and_family_assessment_complete(
        actor=cast.team_manager,
        assessment_id=Assessment.objects.get().pk,
        completed_on=START,
        summary="Needs support.",
        outcome="child_in_need_plan",
    )
    cin = Plan.objects.get()
    referral = Referral.objects.get()
    with pytest.raises(services.DatesOutOfOrderError):
        services.strategy_discussion_record(
            actor=cast.team_manager,
            referral_id=referral.pk,
            held_on=START - dt.timedelta(days=1),
            rationale="Worse.",
        )
    clock_at(START + dt.timedelta(days=7))
    discussion = services.strategy_discussion_record(
        actor=cast.team_manager,
        referral_id=referral.pk,
        held_on=START + dt.timedelta(days=7),
        rationale="Injury unexplained.",
    )
    assert discussion.initial_conference_due_on == dt.date(2026, 3, 30)
    conference = services.section_47_complete(
        actor=cast.team_manager,
        assessment_id=discussion.section_47_id,
        completed_on=START + dt.timedelta(days=7),
        summary="Substantiated.",
        outcome="initial_conference",
    )
    services.initial_conference_record(
        actor=cast.team_manager,
        conference_id=conference.pk,
        held_on=START + dt.timedelta(days=7),
        decision="child_protection_plan",
        category="MUL",
    )
    cin.refresh_from_db()
    cp = Plan.objects.get(plan_type=PlanType.CHILD_PROTECTION)
    assert not cin.is_open
    assert cp.stepped_from == cin
    assert cp.number_of_previous_cp_plans == 0
    assert "casework.step_up" in _events(cast.child)
    with pytest.raises(services.NotAllowedError):
        services.strategy_discussion_record(
            actor=cast.teacher, referral_id=referral.pk, held_on=START, rationale="x"
        )


def test_a_team_manager_allocates_a_social_worker_who_then_sees_the_work(cast, clock_at):
    from cumulus.casework.selectors import task_list

    contact = _concern(cast)
    services.front_door_decide(
        actor=cast.front_door,
        contact_id=contact.pk,
        outcome="child_and_family_assessment",
        rationale="x",
    )
    assert not task_list(viewer=cast.social_worker)
    with pytest.raises(services.NotAllowedError):
        services.social_worker_allocate(
            actor=cast.social_worker, child_id=cast.child.pk, social_worker=cast.social_worker
        )
    services.social_worker_allocate(
        actor=cast.team_manager, child_id=cast.child.pk, social_worker=cast.social_worker
    )
    tasks = task_list(viewer=cast.social_worker)
    assert [t.kind for t in tasks] == ["assessment"]
    assert tasks[0].due_on == dt.date(2026, 5, 7)
    assert "casework.assessment_start" in _events(cast.child)


def test_a_looked_after_episode_starts_once_and_steps_down_to_child_in_need(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    cp = _to_child_protection(cast, clock_at, plan)
    referral = Referral.objects.get()
    with pytest.raises(ValidationError):
        services.looked_after_start(
            actor=cast.team_manager, referral_id=referral.pk, started_on=cp.started_on, reason=""
        )
    looked_after = services.looked_after_start(
        actor=cast.team_manager,
        referral_id=referral.pk,
        started_on=cp.started_on,
        reason="Section 20 agreement.",
    )
    with pytest.raises(services.TransitionRefusedError, match="already looked after"):
        services.looked_after_start(
            actor=cast.team_manager, referral_id=referral.pk, started_on=cp.started_on, reason="x"
        )
    services.plan_step_down(
        actor=cast.team_manager,
        plan_id=cp.pk,
        to="child_in_need",
        on=cp.started_on,
        reason="Safe in care.",
    )
    services.plan_step_down(
        actor=cast.team_manager,
        plan_id=looked_after.pk,
        to="child_in_need",
        on=cp.started_on,
        reason="Home again.",
    )
    looked_after.refresh_from_db()
    assert not looked_after.is_open
    assert Plan.objects.filter(plan_type=PlanType.CHILD_IN_NEED, ended_on__isnull=True).count() == 1
