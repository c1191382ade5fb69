"""The business unit adds a session, a health visitor books it, the unit marks attendance and
the uptake by agency shows it; every page passes an axe-core scan."""

from __future__ import annotations

import datetime as dt

import pytest
from pages import path_of
from pages_assurance import TrainingPages
from pages_interchange import axe_violations
from pages_journey import sign_in, sign_out

pytestmark = pytest.mark.e2e


def test_business_unit_runs_a_session_and_uptake_shows_the_attendance(page):
    today = dt.date.today().isoformat()
    sign_in(page, "business.unit")
    training = TrainingPages(page).open()
    assert axe_violations(page) == []
    training.manage()
    assert axe_violations(page) == []
    session_path = training.add_session(
        course="Graded Care Profile 2", held_on=today, places=1, venue="Room E2E"
    )
    session_id = session_path.rstrip("/").split("/")[-1]
    assert "0 of 1 places booked" in page.get_by_test_id("session-places").inner_text()
    assert axe_violations(page) == []
    sign_out(page)

    sign_in(page, "health.visitor")
    training = TrainingPages(page).open()
    training.book(session_id)
    assert "Your place is booked" in page.inner_text("main")
    assert "Graded Care Profile 2" in training.bookings_text()
    assert axe_violations(page) == []
    sign_out(page)

    sign_in(page, "police.officer")
    TrainingPages(page).open()
    row = page.get_by_test_id(f"session-{session_id}")
    assert "Full" in row.inner_text()  # the one place is taken
    sign_out(page)

    sign_in(page, "business.unit")
    page.goto(session_path)
    training = TrainingPages(page)
    training.mark_attended("health.visitor")
    assert "1 attended" in page.get_by_test_id("session-places").inner_text()
    page.goto("/training/")
    training.uptake()
    assert axe_violations(page) == []
    row = page.get_by_test_id("uptake-eastmoor-health-visiting-service")
    cells = row.locator("td").all_inner_texts()
    assert int(cells[-1]) >= 1, cells
    assert int(cells[-2]) >= 1, cells  # this month's column counts the attendance
    assert path_of(page) == "/training/uptake/"
