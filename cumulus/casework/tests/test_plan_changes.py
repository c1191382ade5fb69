"""Every change to a plan's content lands in the child's chronology with who, when and what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cumulus.casework import services
from cumulus.chronology.models import ChronologyEvent

from .conftest import START
from .test_journey import _early_help_plan

pytestmark = pytest.mark.django_db


def _changes(plan):
    return list(
        ChronologyEvent.objects.filter(
            child=plan.child, event_type__code="casework.plan_change"
        ).order_by("id")
    )


def test_each_content_edit_is_a_chronology_event_with_who_when_and_what(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    clock_at(START + dt.timedelta(days=20))
    actor = cast.lead_practitioner
    outcome = services.plan_outcome_add(
        actor=actor,
        plan_id=plan.pk,
        what="Breakfast every school day",
        who="Mum, with breakfast club",
        due_on=dt.date(2026, 6, 30),
    )
    services.plan_outcome_update(
        actor=actor, outcome_id=outcome.pk, status="in_progress", progress="Three days out of five"
    )
    services.plan_outcome_update(  # nothing changed: no event
        actor=actor, outcome_id=outcome.pk, status="in_progress", progress="Three days out of five"
    )
    services.plan_statement_add(
        actor=actor, plan_id=plan.pk, kind="safety_goal", text="Everyone sees the children eat."
    )
    services.plan_measure_link(
        actor=actor,
        plan_id=plan.pk,
        reference="instruments:result:7",
        label="Neglect screening, first",
        recorded_on=START + dt.timedelta(days=14),
    )
    services.team_member_add(
        actor=actor,
        plan_id=plan.pk,
        agency=cast.health_visitor.agency,
        practitioner=cast.health_visitor,
        role="Weight checks",
    )
    events = _changes(plan)
    summaries = [e.summary for e in events]
    assert summaries == [
        "Early help plan changed: outcome added “Breakfast every school day”, "
        "Mum, with breakfast club by 30 June 2026",
        "Early help plan changed: outcome “Breakfast every school day” updated: "
        "status Not started → In progress; progress “Three days out of five”",
        "Early help plan changed: safety goal added “Everyone sees the children eat.”",
        "Early help plan changed: measure of change linked: Neglect screening, first "
        "(instruments:result:7, 16 March 2026)",
        f"Early help plan changed: {cast.health_visitor.display_name} "
        f"({cast.health_visitor.agency}) joined the team: Weight checks",
    ]
    assert {e.recorded_by_id for e in events} == {actor.pk}
    assert {e.recorded_at.date() for e in events} == {START + dt.timedelta(days=20)}
    assert {e.source_reference for e in events} == {f"plan:{plan.pk}"}


def test_a_refused_edit_leaves_no_chronology_event(cast, clock_at):
    plan = _early_help_plan(cast, clock_at)
    with pytest.raises(ValidationError):
        services.plan_outcome_add(
            actor=cast.lead_practitioner,
            plan_id=plan.pk,
            what="",
            who="",
            due_on=plan.started_on - dt.timedelta(days=1),
        )
    assert _changes(plan) == []
