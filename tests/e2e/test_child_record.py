"""A practitioner signs in, finds a child and reads the multi-agency record; need to know holds."""

from __future__ import annotations

import pytest
from pages import SCREENSHOTS, ChildPage, SignInPage, check_page_structure

pytestmark = pytest.mark.e2e


def test_practitioner_signs_in_searches_and_opens_a_child_with_chronology_newest_first(page):
    home = SignInPage(page).open().sign_in("teacher")
    check_page_structure(page)
    caseload = home.my_children()
    assert caseload, "the teacher should have children on their caseload"
    name, _ = caseload[0]

    search = home.find_a_child().search(name=name)
    assert name in search.result_names()
    child = search.open_child(name)
    assert child.name() == name
    assert page.get_by_test_id("identity").is_visible()
    assert page.get_by_test_id("involvements").locator("tbody tr").count() >= 2
    times = child.event_times()
    assert times, "the child should have a chronology"
    assert times == sorted(times, reverse=True)

    nhs_number = child.nhs_number()
    assert nhs_number.isdigit()
    by_nhs = home.find_a_child().search(nhs_number=nhs_number)
    assert by_nhs.result_names() == [name]

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    by_nhs.open_child(name)
    page.screenshot(path=str(SCREENSHOTS / "child-record.png"), full_page=True)


def test_practitioner_without_involvement_gets_404_for_a_child(page, console_problems):
    home = SignInPage(page).open().sign_in("teacher")
    name, url = home.my_children()[0]
    home.sign_out()

    stranger = SignInPage(page).open().sign_in("housing.officer")
    assert stranger.my_children() == []
    response = ChildPage(page).open(url)
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    check_page_structure(page)

    search = stranger.find_a_child().search(name=name)
    assert search.result_count().startswith("0 ")
    # The browser reports the 404 itself as a console error; that one, and only that, is expected.
    console_problems[:] = [p for p in console_problems if url not in p]


def test_team_manager_sees_who_viewed_a_record(page):
    social_worker = SignInPage(page).open().sign_in("social.worker")
    _, url = social_worker.my_children()[0]
    ChildPage(page).open(url)
    social_worker.sign_out()

    SignInPage(page).open().sign_in("team.manager")
    ChildPage(page).open(url)
    page.get_by_test_id("access-log-link").click()
    check_page_structure(page)
    log = page.get_by_test_id("access-log")
    assert log.get_by_text("social.worker").count() >= 1
    assert log.get_by_text("team.manager").count() >= 1


def test_pages_are_keyboard_usable(page):
    SignInPage(page).open()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.get_by_test_id("username").focus()
    page.keyboard.type("health.visitor")
    page.keyboard.press("Tab")
    page.keyboard.type("cumulus-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "health visitor" in page.get_by_test_id("signed-in-as").inner_text().lower() or (
        "Grace" in page.get_by_test_id("signed-in-as").inner_text()
    )
    # The caseload is reachable with the keyboard alone.
    first_child = page.get_by_test_id("my-children").locator("a").first
    first_child.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_test_id("child-name").is_visible()
