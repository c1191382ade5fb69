"""The indicator dashboard in the browser: latest values, a chart drawn locally with Vega-Lite,
the accessible table beneath it, a breakdown filter, and an axe-core scan with no violations."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pages import SignInPage, _load, check_page_structure

pytestmark = pytest.mark.e2e


def _axe_violations(page):
    """axe-core over the page's main content (this app's part of the page), with the targets."""
    page.add_script_tag(url="/static/axe/axe.min.js")
    return page.evaluate(
        """async () => (await axe.run(document.querySelector('main')))
            .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )


def test_dashboard_chart_table_and_breakdown(page, service, service_env):
    subprocess.run(
        [sys.executable, "-m", "cumulus.cli", "indicators_refresh", "--months", "3"],
        env=service_env,
        check=True,
        capture_output=True,
    )
    SignInPage(page).open().sign_in("team.manager")
    page.goto(f"{service}/indicators/")
    listing = page.get_by_test_id("indicator-list")
    assert "Children on a child protection plan at the period end" in listing.inner_text()
    check_page_structure(page)
    assert _axe_violations(page) == []

    _load(page, listing.get_by_role("link", name="Referrals to children's social care"))
    table = page.get_by_test_id("trend-table")
    assert table.locator("tbody tr").count() == 3
    page.locator("[data-testid=chart] svg").first.wait_for()
    check_page_structure(page)
    assert _axe_violations(page) == []

    page.get_by_test_id("breakdown").select_option("agency")
    _load(page, page.get_by_role("button", name="Show"))
    assert "breakdown=agency" in page.url
    assert table.locator("tbody tr").count() >= 3


def test_the_business_unit_writes_booklet_commentary_with_history(page, service, browser_problems):
    from pages_indicators import CommentaryMonthPage

    # Caused on purpose below: the empty save (400) and the team manager's refusal (404).
    browser_problems.allow(lambda problem: "status of 400 (Bad Request)" in problem)
    browser_problems.allow(lambda problem: "status of 404 (Not Found)" in problem)

    SignInPage(page).open().sign_in("linkage.analyst")  # a partnership analyst
    month = CommentaryMonthPage(page).open_from_dashboard().show_month("2026-10")
    assert "Booklet commentary, October 2026" in page.locator("h1").inner_text()
    assert _axe_violations(page) == []

    edit = month.edit("Referrals to children's social care")
    assert page.get_by_test_id("no-history").is_visible()
    edit.save("   ")
    assert "cannot be empty" in page.get_by_test_id("error-summary").inner_text()
    edit.save("Referrals rose after the schools' training week.")
    assert edit.history.locator("tbody tr").count() == 1
    edit.save("Referrals rose after the schools' training week; most were from schools.")
    rows = edit.history.locator("tbody tr")
    assert rows.count() == 2
    assert "most were from schools" in rows.nth(0).inner_text()
    assert "Nia Evans" in rows.nth(1).inner_text()
    assert _axe_violations(page) == []

    month = edit.back_to_month()
    assert "most were from schools" in month.listing.inner_text()

    # A team manager sees the dashboard but may not write commentary.
    page.context.clear_cookies()
    SignInPage(page).open().sign_in("team.manager")
    page.goto("/indicators/")
    assert page.get_by_role("link", name="Booklet commentary").count() == 0
    response = page.goto("/indicators/commentary/referrals/2026-10/")
    assert response is not None
    assert response.status == 404
