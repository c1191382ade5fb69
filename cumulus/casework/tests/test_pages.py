"""The journey's pages: thin views over the services, errors shown in the summary, 404 for
children the viewer does not work with, and overdue work on the task lists."""

import datetime as dt

import pytest
from django.urls import reverse

from cumulus.casework import services
from cumulus.casework.models import Assessment, Plan
from cumulus.casework.selectors import task_list

from .conftest import START

pytestmark = pytest.mark.django_db


def _early_help_plan(client, cast):
    contact = services.concern_record(actor=cast.teacher, child=cast.child, summary="Hungry.")
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="early_help", rationale="EH."
    )
    assessment = Assessment.objects.get()
    client.force_login(cast.lead_practitioner)
    tasks = client.get(reverse("casework:tasks")).content.decode()
    assert "needs a lead practitioner" in tasks
    journey = client.get(reverse("casework:journey", args=[cast.child.pk]))
    assert journey.status_code == 200
    assert 'data-testid="take-on"' in journey.content.decode()
    client.post(reverse("casework:take-on", args=[assessment.pk]))
    url = reverse("casework:assessment-complete", args=[assessment.pk])
    bad = client.post(url, {"completed_on": "2026-03-01", "summary": "x", "outcome": "x"})
    assert "There is a problem" in bad.content.decode()
    done = client.post(
        url, {"completed_on": "2026-03-02", "summary": "Found.", "outcome": "early_help_plan"}
    )
    assert done.status_code == 302
    return Plan.objects.get()


def test_an_early_help_plan_through_the_pages(client, cast, clock_at):
    plan = _early_help_plan(client, cast)
    page = reverse("casework:plan", args=[plan.pk])
    assert client.get(page).status_code == 200
    client.post(
        reverse("casework:outcome-new", args=[plan.pk]),
        {"what": "Breakfast daily", "who": "Mum", "due_on": "2026-04-01"},
    )
    client.post(
        reverse("casework:statement-new", args=[plan.pk]),
        {"kind": "safety_goal", "text": "Sam eats every day.", "not_for_family": "on"},
    )
    client.post(
        reverse("casework:team-new", args=[plan.pk]),
        {"practitioner": cast.health_visitor.pk, "role": "Weight checks"},
    )
    shown = client.get(page).content.decode()
    for text in ["Breakfast daily", "Sam eats every day.", "Weight checks", "Not for the family"]:
        assert text in shown
    backwards = client.post(
        reverse("casework:review-new", args=[plan.pk]),
        {"held_on": "2026-02-01", "progress": "none", "summary": "x"},
    )
    assert "cannot be before" in backwards.content.decode()
    step = client.post(reverse("casework:step-up", args=[plan.pk]), {"reason": "Stalled."})
    assert step.status_code == 302
    client.force_login(cast.front_door)
    assert "Step-up" in client.get(reverse("web:front-door")).content.decode()


def test_journey_pages_are_404_for_a_practitioner_with_no_involvement(client, cast, clock_at):
    plan = _early_help_plan(client, cast)
    client.force_login(cast.health_visitor)
    for url in [
        reverse("casework:journey", args=[cast.child.pk]),
        reverse("casework:plan", args=[plan.pk]),
        reverse("casework:review-new", args=[plan.pk]),
        reverse("family:plan-feedback", args=[plan.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_overdue_reviews_and_drift_appear_on_the_practitioners_and_managers_lists(
    client, cast, clock_at
):
    plan = _early_help_plan(client, cast)
    later = clock_at(START + dt.timedelta(days=200))
    mine = task_list(viewer=cast.lead_practitioner, today=later)
    review = next(t for t in mine if t.kind == "review")
    assert review.is_overdue(later)
    assert any(t.drifting for t in mine)
    client.force_login(cast.lead_practitioner)
    page = client.get(reverse("casework:tasks")).content.decode()
    assert 'data-testid="task-overdue"' in page
    assert "Drift" in page
    # A manager of the early help service sees the same drift on their list.
    from cumulus.accounts.models import Role
    from cumulus.testing.factories import UserFactory

    manager = UserFactory(agency=cast.early_help, role=Role.TEAM_MANAGER, password=None)
    assert any(t.drifting and t.child == plan.child for t in task_list(viewer=manager))
    # Nobody else's list shows it.
    assert not task_list(viewer=cast.health_visitor)


def test_the_icpc_is_due_15_working_days_from_the_strategy_discussion_on_the_list(
    client, cast, clock_at
):
    contact = services.concern_record(actor=cast.teacher, child=cast.child, summary="Bruises.")
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="strategy_discussion", rationale="x"
    )
    s47 = Assessment.objects.get()
    services.section_47_complete(
        actor=cast.team_manager,
        assessment_id=s47.pk,
        completed_on=START,
        summary="Substantiated.",
        outcome="initial_conference",
    )
    task = next(t for t in task_list(viewer=cast.team_manager) if t.kind == "conference")
    assert task.due_on == dt.date(2026, 3, 23)
    client.force_login(cast.team_manager)
    form = client.post(
        task.url, {"held_on": "2026-03-02", "decision": "child_protection_plan", "category": ""}
    )
    assert "initial category of abuse" in form.content.decode()
    client.post(
        task.url,
        {"held_on": "2026-03-02", "decision": "child_protection_plan", "category": "NEG"},
    )
    plan = Plan.objects.get()
    assert plan.initial_category.code == "NEG"
    down = client.post(
        reverse("casework:step-down", args=[plan.pk]),
        {"to": "early_help", "on": "2026-03-02", "reason": "x", "closure_reason": "RC7"},
    )
    assert "never straight to early help" in down.content.decode()
