"""Supervision recorded against a case, and the manager's list of cases past the partnership's
oversight standard."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.casework.models import PlanType
from cumulus.chronology.models import ChronologyEvent
from cumulus.codelists.models import Scheme
from cumulus.supervision.models import SupervisionKind
from cumulus.supervision.selectors import cases_without_oversight
from cumulus.supervision.services import (
    ActionInput,
    SupervisionNotAllowedError,
    supervision_action_complete,
    supervision_record,
)
from cumulus.supervision.standards import standard_days, strictest_standard
from cumulus.testing.factories import AgencyFactory, ChildFactory, PlanFactory, UserFactory, code
from cumulus.testing.factories_oversight import fix_today, manager_for, practitioner_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def case(monkeypatch):
    fix_today(monkeypatch, TODAY)
    child = ChildFactory()
    manager = manager_for(child)
    return child, manager


def _record(actor, child, **kwargs):
    defaults = {
        "kind": SupervisionKind.SINGLE_AGENCY,
        "held_on": TODAY,
        "attendees": "Helen Clarke, team manager\nPriya Patel, social worker",
        "discussion": "Home conditions unchanged for three months; drift risk.",
        "decisions": "Convene a multi-agency meeting.",
    }
    return supervision_record(actor=actor, child=child, **{**defaults, **kwargs})


def _cp_plan(child, started_on):
    return PlanFactory(
        child=child,
        plan_type=PlanType.CHILD_PROTECTION,
        started_on=started_on,
        initial_category=code(Scheme.CATEGORY_OF_ABUSE, "NEG"),
    )


def test_supervision_is_recorded_with_actions_and_lands_in_the_chronology(case):
    child, manager = case
    record = _record(
        manager,
        child,
        actions=[ActionInput("Book the meeting", "Priya Patel", TODAY + dt.timedelta(days=7))],
    )
    assert record.actions.get().owner == "Priya Patel"
    assert set(record.agencies_present.all()) == {manager.agency}
    assert ChronologyEvent.objects.filter(child=child, event_type__code="supervision.recorded")


def test_multi_agency_supervision_needs_two_agencies(case):
    child, manager = case
    with pytest.raises(ValidationError, match="at least two agencies"):
        _record(manager, child, kind=SupervisionKind.MULTI_AGENCY)
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    record = _record(manager, child, kind=SupervisionKind.MULTI_AGENCY, agencies=[school])
    assert record.agencies_present.count() == 2


def test_actions_need_who_and_cannot_be_due_before_the_meeting(case):
    child, manager = case
    with pytest.raises(ValidationError, match="due before"):
        _record(manager, child, actions=[ActionInput("Visit", "Priya", TODAY - dt.timedelta(1))])
    with pytest.raises(ValidationError, match="who does it"):
        _record(manager, child, actions=[ActionInput("Visit", " ", TODAY)])


def test_a_future_date_and_empty_decisions_are_refused(case):
    child, manager = case
    with pytest.raises(ValidationError) as error:
        _record(manager, child, held_on=TODAY + dt.timedelta(days=1), decisions="")
    assert set(error.value.message_dict) == {"held_on", "decisions"}


def test_only_a_manager_records_management_oversight_and_only_for_a_visible_child(case):
    child, _ = case
    worker = practitioner_for(child, role=Role.SOCIAL_WORKER)
    with pytest.raises(SupervisionNotAllowedError, match="Only a manager"):
        _record(worker, child, kind=SupervisionKind.MANAGEMENT_OVERSIGHT)
    assert _record(worker, child, kind=SupervisionKind.REFLECTIVE).pk
    with pytest.raises(SupervisionNotAllowedError, match="child you work with"):
        _record(UserFactory(), child)


def test_an_action_is_completed_once_between_the_meeting_and_today(case):
    child, manager = case
    record = _record(manager, child, actions=[ActionInput("Visit", "Priya", TODAY)])
    action = record.actions.get()
    with pytest.raises(ValidationError):
        supervision_action_complete(
            actor=manager, action_id=action.pk, done_on=TODAY - dt.timedelta(1)
        )
    assert supervision_action_complete(actor=manager, action_id=action.pk, done_on=TODAY).done_on
    with pytest.raises(ValidationError, match="already done"):
        supervision_action_complete(actor=manager, action_id=action.pk, done_on=TODAY)


def test_standard_is_30_days_for_child_protection_and_60_for_child_in_need():
    assert standard_days()["child_protection"] == 30
    assert standard_days()["child_in_need"] == 60
    assert standard_days()["early_help"] == 60
    assert strictest_standard(["child_in_need", "child_protection"]) == ("child_protection", 30)
    assert strictest_standard(["unknown"]) is None


def test_the_standard_is_configurable(settings):
    settings.CUMULUS_OVERSIGHT_STANDARD_DAYS = {"early_help": 90}
    assert standard_days()["early_help"] == 90
    settings.CUMULUS_OVERSIGHT_STANDARD_DAYS = {"early_help": 0}
    with pytest.raises(ValueError, match="whole number"):
        standard_days()


def test_a_cp_case_appears_after_30_days_without_oversight_and_leaves_once_recorded(case):
    child, manager = case
    _cp_plan(child, TODAY - dt.timedelta(days=30))
    assert cases_without_oversight(viewer=manager) == []  # exactly 30 days: within the standard
    assert cases_without_oversight(viewer=manager, today=TODAY + dt.timedelta(1))[0].child == child
    [row] = cases_without_oversight(viewer=manager, today=TODAY + dt.timedelta(days=5))
    assert (row.standard_days, row.days_without, row.last_oversight_on) == (30, 35, None)
    _record(manager, child, held_on=TODAY)
    assert cases_without_oversight(viewer=manager, today=TODAY + dt.timedelta(days=5)) == []


def test_a_cin_case_waits_60_days_and_the_strictest_open_plan_applies(case):
    child, manager = case
    PlanFactory(child=child, plan_type=PlanType.CHILD_IN_NEED, started_on=TODAY - dt.timedelta(45))
    assert cases_without_oversight(viewer=manager) == []
    _cp_plan(child, TODAY - dt.timedelta(days=40))
    [row] = cases_without_oversight(viewer=manager)
    assert row.plan_type == PlanType.CHILD_PROTECTION
    assert row.days_without == 45  # counted from the earliest open plan


def test_closed_plans_and_invisible_children_are_not_listed(case):
    child, manager = case
    PlanFactory(child=child, started_on=dt.date(2025, 1, 1), ended_on=dt.date(2025, 6, 1))
    _cp_plan(ChildFactory(), dt.date(2025, 1, 1))
    assert cases_without_oversight(viewer=manager) == []


def test_oversight_page_is_for_managers(case, client):
    child, manager = case
    _cp_plan(child, dt.date(2025, 1, 1))
    client.force_login(practitioner_for(child))
    assert client.get(reverse("supervision:oversight")).status_code == 404
    client.force_login(manager)
    page = client.get(reverse("supervision:oversight")).content.decode()
    assert child.full_name in page
    assert "30 days for a child protection plan" in page


def test_recording_through_the_page(case, client):
    child, manager = case
    client.force_login(manager)
    url = reverse("supervision:new", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "single_agency",
            "held_on": TODAY.isoformat(),
            "attendees": "Helen",
            "discussion": "Drift.",
            "decisions": "Review.",
            "action_1": "Visit",
            "owner_1": "Priya",
        },
    )
    assert "needs what, who and by when" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "single_agency",
            "held_on": TODAY.isoformat(),
            "attendees": "Helen",
            "discussion": "Drift.",
            "decisions": "Review.",
            "action_1": "Visit",
            "owner_1": "Priya",
            "due_1": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert (
        "Visit: Priya" in client.get(reverse("supervision:child", args=[child.pk])).content.decode()
    )
    client.force_login(UserFactory())
    assert client.get(reverse("supervision:child", args=[child.pk])).status_code == 404


def test_an_action_is_marked_done_from_the_page_once(case, client):
    child, manager = case
    record = _record(manager, child, actions=[ActionInput("Visit", "Priya", TODAY)])
    action = record.actions.get()
    client.force_login(manager)
    url = reverse("supervision:action-done", args=[action.pk])
    assert client.post(url).status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY
    response = client.post(url)
    assert response.status_code == 400
    assert "already done" in response.content.decode()
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
