"""The strategy, its action plan, learning from reviews and the board report in the browser,
as the demo's business unit (and the school's safeguarding lead for its own plan), with an
axe-core scan of each page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pages import SignInPage, _load, check_page_structure
from pages_governance import (
    ActionPlanPages,
    GovernancePages,
    LearningPages,
    axe_violations,
)

pytestmark = pytest.mark.e2e


def test_the_loaded_strategys_aims_are_shown(page, service):  # type: ignore[no-untyped-def]
    SignInPage(page).open().sign_in("teacher")
    _load(page, page.get_by_test_id("nav-strategy"))
    aims = page.get_by_test_id("strategy-aims").inner_text()
    assert "Recognise neglect at first contact" in aims
    assert "Know the extent of neglect" in aims
    assert "Cumbria Safeguarding Children Partnership" in page.content()
    assert axe_violations(page) == []


def test_action_plan_item_rag_with_evidence_and_the_overdue_list(page, service):  # type: ignore[no-untyped-def]
    SignInPage(page).open().sign_in("business.unit")
    plan = ActionPlanPages(page).open()
    assert axe_violations(page) == []
    plan.add_item(
        aim="quantify. Know the extent of neglect",
        objective="Quantify",
        activity="Count adolescent neglect referrals each month",
        due_on="2020-01-31",
    )
    assert "Count adolescent neglect referrals" in page.get_by_test_id("item-activity").inner_text()
    assert axe_violations(page) == []
    plan.update(rag="red")  # no evidence: refused
    assert "Give the evidence for changing the status" in page.content()
    check_page_structure(page)
    plan.update(rag="red", evidence="No data feed from the front door yet.")
    assert page.get_by_test_id("item-summary").get_by_test_id("rag-status").inner_text() == "Red"
    history = page.get_by_test_id("item-history").inner_text()
    assert "Amber: at risk to Red: off track" in history
    assert "No data feed from the front door yet." in history
    _load(page, page.get_by_role("link", name="Back to the action plan"))
    _load(page, page.get_by_test_id("overdue-link"))
    overdue = page.get_by_test_id("overdue-list").inner_text()
    assert "Count adolescent neglect referrals each month" in overdue
    assert axe_violations(page) == []


def test_an_agency_lead_sees_their_agencys_plan_under_the_four_objectives(page, service):  # type: ignore[no-untyped-def]
    SignInPage(page).open().sign_in("school.dsl")
    _load(page, page.get_by_test_id("nav-action-plan"))
    headings = [h.inner_text() for h in page.get_by_test_id("objective").all()]
    assert headings == ["Recognise", "Respond", "Quantify", "Evaluate"]
    assert page.get_by_test_id("item-row").count() >= 1
    assert axe_violations(page) == []


def test_a_review_recommendation_cross_referenced_in_the_matrix(page, service):  # type: ignore[no-untyped-def]
    SignInPage(page).open().sign_in("business.unit")
    plan = ActionPlanPages(page).open()
    plan.add_item(
        aim="respond. Respond in good time",
        objective="Respond",
        activity="Agree a neglect escalation route with schools",
        due_on="2027-06-30",
    )
    learning = LearningPages(page).open()
    assert axe_violations(page) == []
    learning.add_review(
        kind="Local child safeguarding practice review",
        title="Practice review: the Lake family (synthetic)",
        published_on="2026-09-01",
    )
    assert axe_violations(page) == []
    learning.add_recommendation(
        text="Schools escalate unresolved neglect concerns within ten days",
        status="In progress",
        aim="respond. Respond in good time",
        item="Agree a neglect escalation route with schools",
    )
    assert "Schools escalate" in page.get_by_test_id("recommendations").inner_text()
    _load(page, page.get_by_role("link", name="Back to reviews"))
    learning.open_matrix()
    row = page.get_by_test_id("matrix-row").filter(has_text="Schools escalate")
    marks = [m.inner_text().strip() for m in row.get_by_test_id("mark").all()]
    assert [bool(m) for m in marks] == [False, True, False, False, False]
    assert "Agree a neglect escalation route" in row.get_by_test_id("matrix-items").inner_text()
    assert axe_violations(page) == []


def test_the_board_report_is_produced_and_downloaded(page, service):  # type: ignore[no-untyped-def]
    SignInPage(page).open().sign_in("business.unit")
    governance = GovernancePages(page).open()
    assert axe_violations(page) == []
    governance.produce("2026Q4")
    assert "Governance report 2026Q4" in page.get_by_test_id("report-title").inner_text()
    assert axe_violations(page) == []
    name, pdf = governance.download("pdf")
    assert name == "governance-cumbria-2026Q4.pdf"
    assert pdf.startswith(b"%PDF")
    name, xlsx = governance.download("xlsx")
    assert name == "governance-cumbria-2026Q4.xlsx"
    book = load_workbook(io.BytesIO(xlsx))
    assert {"Action plan", "Learning from reviews", "Headline indicators"} <= set(book.sheetnames)
