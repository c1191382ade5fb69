"""A teacher disagrees with the front door's decision on their concern and escalates it; the
decision-maker moves it to the managers' stage; the team manager's oversight page shows an
overdue escalation and cases without recorded oversight. Every page passes axe-core."""

from __future__ import annotations

import pytest
from pages import ChildPage, SignInPage, _load
from pages_oversight import (
    EscalationPage,
    EscalationsPage,
    OversightPage,
    assert_accessible,
    visit_and_scan,
)

pytestmark = pytest.mark.e2e


def test_escalation_of_a_front_door_decision_moves_a_stage_and_the_manager_oversees(page):
    teacher = SignInPage(page).open().sign_in("teacher")
    name, child_path = teacher.my_children()[0]
    ChildPage(page).open(child_path)
    _load(page, page.get_by_test_id("record-concern"))
    page.get_by_test_id("summary").fill("Left alone after school most evenings this month.")
    page.get_by_test_id("neglect_types-supervision").check()
    page.get_by_test_id("sharing_basis-safeguarding").check()
    page.get_by_test_id("sharing_reason").fill("Asking first could put the child at risk.")
    _load(page, page.get_by_test_id("send-concern"))
    teacher.sign_out()

    front_door = SignInPage(page).open().sign_in("front.door")
    _load(page, page.get_by_role("link", name="Front door"))
    _load(page, page.get_by_test_id("front-door-queue").get_by_role("link", name=name).first)
    page.get_by_test_id("outcome-no_further_action").check()
    page.get_by_test_id("rationale").fill("An older sibling is at home in the evenings.")
    _load(page, page.get_by_test_id("decide"))
    front_door.sign_out()

    SignInPage(page).open().sign_in("teacher")
    ChildPage(page).open(child_path)
    escalations = EscalationsPage.from_child_page(page)
    assert_accessible(page)
    escalation = escalations.raise_about_front_door_decision(
        "The sibling is eleven; the child says nobody makes tea."
    )
    assert "Escalation raised at stage 1" in page.get_by_test_id("flash").inner_text()
    assert escalation.status().startswith("Open, stage 1 of 4")
    assert_accessible(page)
    escalation_path = page.url
    escalation.sign_out()

    SignInPage(page).open().sign_in("front.door")
    _load(page, page.get_by_role("link", name="Inbox"))
    assert (
        "disagrees with a decision about" in page.get_by_test_id("notification").first.inner_text()
    )
    decider = EscalationPage(page).open(escalation_path)
    decider.record_outcome("escalated", "We still disagree: managers to discuss.")
    assert decider.status().startswith("Open, stage 2 of 4")
    assert "Escalated to the next stage" in decider.stages()[0]
    assert "2. Managers" in decider.stages()[1]
    decider.sign_out()

    SignInPage(page).open().sign_in("team.manager")
    oversight = OversightPage.from_navigation(page)
    assert_accessible(page)
    overdue = oversight.overdue_escalations()
    assert overdue, "the demo's escalation past its stage 1 timescale should be listed"
    assert "1. Practitioner to practitioner" in overdue[0]
    assert oversight.cases_without_oversight(), "open cases without supervision should be listed"
    listed = oversight.all_escalations()
    assert_accessible(page)
    assert any(name in row and "2. Managers" in row and "On time" in row for row in listed)

    # The other new pages on the child's record and for the manager pass axe-core too.
    ChildPage(page).open(child_path)
    for link in ("supervision-link", "voice-link", "interventions-link"):
        visit_and_scan(page, link)
        ChildPage(page).open(child_path)
    visit_and_scan(page, "supervision-link")
    visit_and_scan(page, "record-supervision")
    OversightPage.from_navigation(page)
    _load(page, page.get_by_role("link", name="Interventions: what works"))
    assert_accessible(page)
    assert page.get_by_test_id("outcome-row").count() == 6
