"""The action plan: items under the template's objectives, RAG changes need evidence and keep
their history, the overdue list, and each agency sees and updates only its own items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cumulus.accounts.models import Role
from cumulus.actionplan.demo import load_demo_action_plan
from cumulus.actionplan.models import ActionItem, ActionItemUpdate, ItemStatus, Rag
from cumulus.actionplan.selectors import agency_plan, overdue_list
from cumulus.actionplan.services import (
    ActionItemClosedError,
    ActionPlanNotAllowedError,
    action_item_create,
    action_item_update,
)
from cumulus.core import clock
from cumulus.strategy.services import strategy_load
from cumulus.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    return strategy_load(name_or_path="cumbria")


@pytest.fixture
def unit():
    return UserFactory(role=Role.BUSINESS_UNIT)


def _item(strategy, unit, agency, *, due_on=None, objective="respond"):
    return action_item_create(
        actor=unit,
        strategy=strategy,
        aim=strategy.aims.get(code="respond"),
        objective=objective,
        activity="Train safeguarding leads in the neglect toolkit",
        lead_agency=agency,
        lead_person="A. Lead",
        due_on=due_on or clock.today() + dt.timedelta(days=30),
    )


def test_changing_the_rag_needs_evidence_and_nothing_is_saved_without_it(strategy, unit):
    item = _item(strategy, unit, AgencyFactory())
    with pytest.raises(ValidationError) as caught:
        action_item_update(actor=unit, item=item, rag=Rag.RED, evidence="  ")
    assert "evidence" in caught.value.message_dict
    item.refresh_from_db()
    assert item.rag == Rag.AMBER
    assert item.updates.count() == 1


def test_each_update_is_kept_in_the_history_with_its_evidence(strategy, unit):
    item = _item(strategy, unit, AgencyFactory())
    action_item_update(actor=unit, item=item, rag=Rag.RED, evidence="Sessions cancelled.")
    action_item_update(actor=unit, item=item, rag=Rag.RED, note="New dates being found.")
    action_item_update(actor=unit, item=item, rag=Rag.GREEN, evidence="Two sessions held.")
    history = list(item.updates.order_by("pk").values_list("rag_before", "rag_after", "evidence"))
    assert history == [
        ("", "amber", ""),
        ("amber", "red", "Sessions cancelled."),
        ("red", "red", ""),
        ("red", "green", "Two sessions held."),
    ]
    item.refresh_from_db()
    assert item.rag == Rag.GREEN
    assert item.rag_evidence == "Two sessions held."


def test_an_objective_outside_the_template_is_refused(strategy, unit):
    with pytest.raises(ValidationError) as caught:
        _item(strategy, unit, AgencyFactory(), objective="prevention")
    assert "Recognise" not in str(caught.value)  # the keys are listed, not a title
    assert "recognise, respond, quantify, evaluate" in str(caught.value)
    assert not ActionItem.objects.exists()


def test_a_complete_item_takes_no_more_updates(strategy, unit):
    item = _item(strategy, unit, AgencyFactory())
    action_item_update(actor=unit, item=item, rag=Rag.GREEN, evidence="Done.", complete=True)
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.COMPLETE
    with pytest.raises(ActionItemClosedError):
        action_item_update(actor=unit, item=item, rag=Rag.RED, evidence="Reopened?")


def test_the_overdue_list_holds_open_items_past_their_due_date(strategy, unit):
    agency = AgencyFactory()
    late = _item(strategy, unit, agency, due_on=clock.today() - dt.timedelta(days=3))
    _item(strategy, unit, agency, due_on=clock.today() + dt.timedelta(days=3))
    done = _item(strategy, unit, agency, due_on=clock.today() - dt.timedelta(days=9))
    action_item_update(actor=unit, item=done, rag=Rag.GREEN, evidence="Done.", complete=True)
    assert list(overdue_list(viewer=unit, strategy=strategy)) == [late]


def test_an_agency_lead_updates_their_own_agencys_items_only(strategy, unit):
    mine, theirs = AgencyFactory(), AgencyFactory()
    lead = UserFactory(role=Role.DESIGNATED_SAFEGUARDING_LEAD, agency=mine)
    own = _item(strategy, unit, mine)
    other = _item(strategy, unit, theirs)
    action_item_update(actor=lead, item=own, rag=Rag.GREEN, evidence="On track.")
    with pytest.raises(ActionPlanNotAllowedError):
        action_item_update(actor=lead, item=other, rag=Rag.GREEN, evidence="Not mine.")
    with pytest.raises(ActionPlanNotAllowedError):
        _item(strategy, lead, mine)
    groups = agency_plan(viewer=lead, strategy=strategy, agency_id=mine.pk)
    assert [g[0]["title"] for g in groups] == ["Recognise", "Respond", "Quantify", "Evaluate"]
    assert [len(g[1]) for g in groups] == [0, 1, 0, 0]


def test_the_pages_create_an_item_and_refuse_a_rag_change_without_evidence(client, strategy, unit):
    agency = AgencyFactory()
    client.force_login(unit)
    response = client.post(
        "/action-plan/items/new/",
        {
            "aim": strategy.aims.get(code="quantify").pk,
            "objective": "quantify",
            "activity": "Count neglect referrals by age",
            "lead_agency": agency.pk,
            "lead_person": "B. Analyst",
            "due_on": "2026-01-31",
            "rag": "amber",
            "evidence": "",
        },
    )
    item = ActionItem.objects.get()
    assert response.status_code == 302
    assert response.url == f"/action-plan/items/{item.pk}/"
    page = client.post(f"/action-plan/items/{item.pk}/", {"rag": "red", "evidence": ""})
    assert page.status_code == 200
    assert "Give the evidence for changing the status" in page.content.decode()
    assert ActionItemUpdate.objects.count() == 1
    overdue = client.get("/action-plan/overdue/").content.decode()
    assert "Count neglect referrals by age" in overdue


def test_a_practitioner_without_a_lead_role_cannot_open_the_plan(client, strategy):
    client.force_login(UserFactory(role=Role.FRONTLINE_PRACTITIONER))
    assert client.get("/action-plan/").status_code == 404
    assert client.get("/action-plan/overdue/").status_code == 404


def test_the_demo_plan_is_the_same_for_the_same_seed_and_mixes_rag_and_overdue(strategy, unit):
    agencies = [AgencyFactory(), AgencyFactory()]
    today = dt.date(2026, 11, 15)
    first = load_demo_action_plan(strategy=strategy, actor=unit, agencies=agencies, today=today)
    shape = [(i.objective, i.rag, i.due_on, i.activity) for i in first]
    ActionItemUpdate.objects.all().delete()
    ActionItem.objects.all().delete()
    again = load_demo_action_plan(strategy=strategy, actor=unit, agencies=agencies, today=today)
    assert [(i.objective, i.rag, i.due_on, i.activity) for i in again] == shape
    assert len({i.rag for i in again}) >= 2
    assert any(i.due_on < today for i in again)
    assert any(i.due_on > today for i in again)
