"""A teacher reads a child's chronology (filters, a restricted event, the impact chronology and
its exports); the school's designated safeguarding lead answers an early-warning alert. Every
page visited passes an axe-core WCAG 2 AA scan."""

from __future__ import annotations

import csv
import io

import pytest
from pages import RESULTS_DIR, SignInPage
from pages_chronology import AlertInboxPage, ChronologyPage, axe_violations

pytestmark = pytest.mark.e2e


def _assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def test_chronology_filters_restriction_exports_and_alert_response(page):
    home = SignInPage(page).open().sign_in("teacher")
    caseload = home.my_children()
    assert caseload, "the teacher should have pupils"
    chronology = ChronologyPage(page)
    for _, child_path in caseload:
        child_id = child_path.strip("/").split("/")[-1]
        if chronology.open(child_id).restricted_rows():
            break
    else:
        pytest.fail("the demo should give some of the teacher's pupils a restricted event")
    restricted = chronology.restricted_rows()[0]
    assert "A restricted event exists" in restricted
    assert "Dan Murphy" in restricted
    assert "Police intelligence" not in page.content()
    assert page.get_by_test_id("timeline-chart").count() == 1
    _assert_accessible(page)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "chronology.png"), full_page=True)

    times = chronology.times()
    assert times == sorted(times, reverse=True)
    chronology.filter(significance="high", order="oldest")
    assert chronology.significances(), "a child with a restricted event has high events too"
    assert set(chronology.significances()) == {"High"}
    assert chronology.restricted_rows() == [], "a content filter never shows hidden events"
    assert chronology.times() == sorted(chronology.times())

    impact = chronology.impact()
    _assert_accessible(page)
    impact.describe_first("Came to school hungry and could not settle to learn.")
    assert "Came to school hungry" in page.content()
    rows = list(csv.reader(io.StringIO(impact.download("csv").decode("utf-8"))))
    assert rows[0][:2] == ["Date", "Agency"]
    assert any("Came to school hungry" in row[5] for row in rows[1:])
    assert any(row[2] == "Restricted event" for row in rows[1:])
    assert impact.download("pdf").startswith(b"%PDF")
    impact.sign_out()

    SignInPage(page).open().sign_in("school.dsl")
    inbox = AlertInboxPage(page).open()
    assert inbox.alert_count() > 0, "the demo runs the rules, so the DSL has alerts"
    _assert_accessible(page)
    alert = inbox.open_first()
    assert page.get_by_test_id("alert-rationale").inner_text().strip()
    assert page.get_by_test_id("alert-events").is_visible()
    _assert_accessible(page)
    alert.respond("no_action")
    assert "Say why no action is needed." in page.content()
    alert.respond("acknowledged", "Read with the class teacher; we will watch attendance.")
    assert any("Acknowledged" in r for r in alert.responses())
    page.screenshot(path=str(RESULTS_DIR / "alert.png"), full_page=True)
