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
