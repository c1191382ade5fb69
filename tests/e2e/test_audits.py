"""The business unit plans an audit round and draws the sample; two auditors from different
agencies grade a case; moderation agrees the grades where they differed; the results and the
comparison with the demo's earlier rounds show it. Every page passes an axe-core scan."""

from __future__ import annotations

import datetime as dt

import pytest
from pages import _load, path_of
from pages_assurance import AUDIT_CRITERIA, AuditPages
from pages_interchange import axe_violations
from pages_journey import sign_in, sign_out

pytestmark = pytest.mark.e2e

TITLE = "E2E neglect audit"


def test_a_round_is_sampled_graded_by_two_agencies_moderated_and_compared(page):
    sign_in(page, "business.unit")
    audits = AuditPages(page).open()
    assert axe_violations(page) == []
    audits.plan_round(title=TITLE, held_on=dt.date.today().isoformat(), size=1, seed=42)
    assert axe_violations(page) == []
    round_path = path_of(page)
    audits.draw()
    assert page.get_by_test_id("round-status").inner_text() == "Sample drawn"
    assert page.get_by_test_id("cases").get_by_role("row").count() == 2  # header + one case
    audits.assign(["social.worker", "health.visitor"])
    assert "2 assignments made" in page.inner_text("main")
    assert axe_violations(page) == []
    sign_out(page)

    sign_in(page, "social.worker")
    AuditPages(page).open().grade_first_case(
        TITLE, {"impact": 3}, action="Record the child's words"
    )
    sign_out(page)
    sign_in(page, "health.visitor")
    audits = AuditPages(page).open()
    row = page.get_by_test_id("my-assignments").get_by_role("row").filter(has_text=TITLE)
    _load(page, row.get_by_role("link").first)
    assert "access log" in page.get_by_test_id("case-record").inner_text()
    assert axe_violations(page) == []
    page.go_back()
    audits.grade_first_case(TITLE, {"impact": 2})
    sign_out(page)

    sign_in(page, "business.unit")
    page.goto(round_path)
    _load(page, page.get_by_test_id("cases").get_by_role("link", name="Moderate").first)
    assert "Disagree" in page.get_by_test_id("auditor-grades").inner_text()
    assert axe_violations(page) == []
    for criterion in AUDIT_CRITERIA:
        value = 2 if criterion == "impact" else 3
        page.locator(f'input[name="r__{criterion}.grade"][value="{value}"]').check()
    page.locator('input[name="r__voice.evident"][value="yes"]').check()
    page.get_by_test_id("note").fill(
        "Agreed 2 on impact: the plan had not changed the child's day."
    )
    _load(page, page.get_by_test_id("agree-grades"))
    assert "after disagreement" in page.get_by_test_id("cases").inner_text()
    assert "Record the child's words" in page.get_by_test_id("actions").inner_text()
    _load(page, page.get_by_test_id("results-link"))
    assert axe_violations(page) == []
    impact = (
        page.get_by_test_id("distribution").get_by_role("row").filter(has_text="Impact of plans")
    )
    assert impact.locator("td").all_inner_texts()[:4] == ["0", "0", "1", "0"]
    history = page.get_by_test_id("longitudinal")
    assert history.get_by_role("columnheader").count() == 1 + 4  # three demo rounds and this one
