"""The whole journey in the browser: a school's concern, early help, a plan that stalls, a
step-up to a child protection plan under neglect, reviews, step-down and closure; the referrer
told at each decision, the family seeing their plan, overdue work on the task list, and the
school's disagreement with the front door escalated through the procedure to its outcome."""

from __future__ import annotations

import pytest
from pages import RESULTS_DIR, ChildPage, SignInPage, _load, check_page_structure
from pages_journey import (
    FamilyPage,
    JourneyPage,
    PlanPage,
    TasksPage,
    check_accessibility,
    fill,
    sign_in,
    sign_out,
    submit,
)
from pages_oversight import EscalationPage, EscalationsPage, OversightPage

pytestmark = pytest.mark.e2e


def test_the_whole_journey_from_a_schools_concern_to_step_down(page):
    # The demo's family login is a parent of one of the teacher's pupils.
    sign_in(page, "family.parent", lands_on="/family/")
    family = FamilyPage(page)
    check_accessibility(page)
    assert page.get_by_test_id("no-plan").is_visible()
    names = family.child_names()
    sign_out(page)

    # 1. The school records a concern.
    teacher = SignInPage(page).open().sign_in("teacher")
    name, path = next((n, p) for n, p in teacher.my_children() if n in names)
    page.goto(path)
    _load(page, page.get_by_test_id("record-concern"))
    page.get_by_test_id("summary").fill("Hungry every morning; the same clothes all week.")
    page.get_by_test_id("neglect_types-nutritional").check()
    page.get_by_test_id("sharing_basis-safeguarding").check()
    page.get_by_test_id("sharing_reason").fill("Asking first could put the child at risk.")
    _load(page, page.get_by_test_id("send-concern"))
    sign_out(page)

    # 2. The front door decides early help.
    sign_in(page, "front.door")
    _load(page, page.get_by_role("link", name="Front door"))
    _load(page, page.get_by_test_id("front-door-queue").get_by_role("link", name=name).last)
    page.get_by_test_id("outcome-early_help").check()
    page.get_by_test_id("rationale").fill("Needs can be met by early help.")
    page.get_by_test_id("expected_of_referrer").fill("Please join the team around the family.")
    _load(page, page.get_by_test_id("decide"))
    sign_out(page)

    # 2b. The school disagrees and escalates; the front door moves it to the managers' stage.
    sign_in(page, "teacher")
    ChildPage(page).open(path)
    escalation = EscalationsPage.from_child_page(page).raise_about_front_door_decision(
        "She is hungry at weekends too: we think social care should assess."
    )
    assert escalation.status().startswith("Open, stage 1 of 4")
    check_accessibility(page)
    escalation_path = page.url
    sign_out(page)
    sign_in(page, "front.door")
    _load(page, page.get_by_role("link", name="Inbox"))
    inbox = "\n".join(page.get_by_test_id("notification").all_inner_texts())
    assert f"disagrees with a decision about {name}" in inbox
    decider = EscalationPage(page).open(escalation_path)
    decider.record_outcome("escalated", "Early help first; managers to confirm.")
    assert decider.status().startswith("Open, stage 2 of 4")
    sign_out(page)

    # 3. The lead practitioner takes the family on, assesses and runs a plan.
    sign_in(page, "early.help")
    tasks = TasksPage(page).open()
    tasks.open_task(name, "needs a lead practitioner")
    check_accessibility(page)
    _load(page, page.get_by_test_id("take-on"))
    journey = JourneyPage(page)
    journey.act("complete-early_help")
    fill(page, {"summary": "Mum is struggling after a bereavement.", "outcome=": "early_help_plan"})
    submit(page)
    plan = journey.open_plan("early_help")
    plan.act(
        "add-outcome",
        {
            "what": "Breakfast every school day",
            "who": "Mum, with breakfast club",
            "due_on": "2030-01-31",
        },
    )
    plan.act("add-statement", {"kind=": "safety_goal", "text": "Everyone sees the children eat."})
    plan.act(
        "add-statement",
        {"kind=": "danger", "text": "Worried about a visitor to the house."},
    )
    _load(page, page.get_by_test_id("add-statement"))
    fill(page, {"kind=": "danger", "text": "Police intelligence on the partner."})
    page.get_by_test_id("not_for_family").check()
    submit(page)
    changes = "\n".join(page.get_by_test_id("plan-change").all_inner_texts())
    assert "outcome added “Breakfast every school day”" in changes  # who, when, what
    assert "Leon Baptiste" in changes
    assert page.get_by_test_id("plan-comparisons").is_visible()
    sign_out(page)

    # 4. The family sees their plan in their own view, in plain words.
    sign_in(page, "family.parent", lands_on="/family/")
    shown = FamilyPage(page).open_plan()
    assert "Breakfast every school day" in shown
    assert "Everyone sees the children eat." in shown
    assert "Leon Baptiste" in shown  # who is helping
    assert "Police intelligence" not in shown
    FamilyPage(page).say("same", "Breakfast club is helping a bit.")
    page.set_viewport_size({"width": 375, "height": 740})  # on a phone
    check_page_structure(page)
    check_accessibility(page)
    page.screenshot(path=str(RESULTS_DIR / "family-plan-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_out(page)

    # 5. Progress stalls: the review says so and the lead practitioner asks for a step-up.
    sign_in(page, "early.help")
    JourneyPage(page).open(path)
    plan = JourneyPage(page).open_plan("early_help")
    plan.act("review-plan", {"progress=": "insufficient", "summary": "No change in hunger."})
    plan.act("step-up", {"reason": "Early help has not changed things for the children."})
    sign_out(page)

    sign_in(page, "front.door")
    _load(page, page.get_by_role("link", name="Front door"))
    _load(page, page.get_by_test_id("front-door-queue").get_by_role("link", name=name).last)
    page.get_by_test_id("outcome-strategy_discussion").check()
    page.get_by_test_id("rationale").fill("Cumulative neglect despite early help.")
    _load(page, page.get_by_test_id("decide"))
    sign_out(page)

    # 6. Social care: s47, initial conference, a CP plan under neglect, a review, step-down.
    sign_in(page, "team.manager")
    tasks = TasksPage(page).open()
    assert tasks.overdue_count() > 0  # overdue work across the service shows on the list
    # The escalation is on the manager's oversight list; the manager records its outcome.
    listed = OversightPage.from_navigation(page).all_escalations()
    assert any(name in row and "2. Managers" in row for row in listed), listed
    decider = EscalationPage(page).open(escalation_path)
    decider.record_outcome("resolved", "Agreed with the school: the step-up is under way.")
    assert decider.status().startswith("Resolved")
    assert "Resolved" in decider.stages()[1]
    check_accessibility(page)
    journey = JourneyPage(page).open(path)
    journey.act("complete-section_47")
    fill(page, {"summary": "Neglect substantiated.", "outcome=": "initial_conference"})
    submit(page)
    journey.act("record-conference")
    check_accessibility(page)
    fill(page, {"decision=": "child_protection_plan", "category:": "NEG"})
    submit(page)
    taken_over = page.get_by_test_id("past-plan-early_help").all_inner_texts()
    assert any("Stepped up to a child protection plan" in t for t in taken_over)
    plan = journey.open_plan("child_protection")
    assert "Neglect" in page.get_by_test_id("plan-title").inner_text()
    plan.act("review-plan", {"progress=": "good", "summary": "Much better."})
    assert "Good progress" in PlanPage(page).text()
    _load(page, page.get_by_test_id("review-link").first)  # the review, with its evidence
    assert page.get_by_test_id("plan-comparisons").is_visible()
    check_accessibility(page)
    _load(page, page.get_by_role("link", name="The plan"))
    # Never straight from child protection to early help: refused, with the reason shown.
    _load(page, page.get_by_test_id("step-down"))
    fill(page, {"to=": "early_help", "reason": "Try early help."})
    _load(page, page.get_by_test_id("submit"))
    assert "never straight to early help" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
    fill(page, {"to=": "child_in_need"})
    submit(page)
    plan = journey.open_plan("child_in_need")
    plan.act(
        "step-down",
        {"to=": "universal_services", "reason": "Needs met at home.", "closure_reason:": "RC7"},
    )
    assert "RC7" in page.get_by_test_id("referral").first.inner_text()
    assert page.get_by_test_id("open-plan-child_in_need").count() == 0
    sign_out(page)

    # 7. The referrer was told at each decision.
    sign_in(page, "teacher")
    _load(page, page.get_by_role("link", name="Inbox"))
    told = "\n".join(page.get_by_test_id("notification").all_inner_texts())
    for decision in [
        f"Your concern about {name} was not accepted as a referral",
        "an early help plan has started",
        "early help has asked children's social care to step in",
        "the front door decided the step-up",
        "a child protection plan has started (neglect)",
        "stepped down to a child in need plan",
        "stepped down to universal services",
    ]:
        assert decision in told, f"{decision!r} not in:\n{told}"
    sign_out(page)

    # 8. The lead practitioner read what the family said; the family's plans are closed now.
    sign_in(page, "early.help")
    _load(page, page.get_by_role("link", name="Inbox"))
    inbox = "\n".join(page.get_by_test_id("notification").all_inner_texts())
    assert "said how the plan is going" in inbox
    assert "Breakfast club is helping a bit." in inbox
    sign_out(page)
    sign_in(page, "family.parent", lands_on="/family/")
    assert page.get_by_test_id("no-plan").is_visible()
