"""A practitioner signs in, finds a child and reads the multi-agency record; need to know holds,
every view is logged, and the pages work with a keyboard alone.

Children are never named here: each test discovers them through the pages, as a user would.
"""

from __future__ import annotations

import pytest
from pages import (
    DEMO_PASSWORD,
    RESULTS_DIR,
    ChildPage,
    HomePage,
    SignInPage,
    check_page_structure,
    path_of,
)

pytestmark = pytest.mark.e2e


def test_practitioner_signs_in_searches_and_opens_a_child_with_chronology_newest_first(page):
    home = SignInPage(page).open().sign_in("teacher")
    caseload = home.my_children()
    assert caseload, "the teacher should have children on their caseload"
    name, child_path = caseload[0]

    search = home.find_a_child().search(name=name)
    assert (name, child_path) in search.results()
    child = search.open_child(child_path)
    assert path_of(page) == child_path
    assert child.name() == name
    assert child.identity().is_visible()
    assert "Date of birth" in child.identity().inner_text()
    agencies = child.agencies_involved()
    assert agencies, "the child's record should list the agencies involved"
    assert all(agencies)
    times = child.chronology_times()
    assert times, "the child's chronology should have at least one event"
    assert times == sorted(times, reverse=True), "the chronology should be newest first"

    nhs_number = child.nhs_number()
    assert nhs_number.isdigit(), nhs_number
    by_nhs = child.find_a_child().search(nhs_number=nhs_number)
    assert by_nhs.results() == [(name, child_path)]

    by_nhs.open_child(child_path)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "child-record.png"), full_page=True)


def test_practitioner_without_involvement_gets_404_for_a_child(page, browser_problems):
    home = SignInPage(page).open().sign_in("teacher")
    name, child_path = home.my_children()[0]
    home.sign_out()

    stranger = SignInPage(page).open().sign_in("housing.officer")
    assert stranger.my_children() == []
    # Chromium logs every 4xx response as a console error; this one is the point of the test.
    browser_problems.allow(
        lambda problem: problem.endswith("status of 404 (Not Found)") and child_path in problem
    )
    response = ChildPage(page).open(child_path)
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert name not in page.content()

    search = stranger.find_a_child().search(name=name)
    assert search.result_count().startswith("0 "), search.result_count()
    assert search.results() == []


def test_team_manager_sees_who_viewed_a_record(page):
    social_worker = SignInPage(page).open().sign_in("social.worker")
    caseload = social_worker.my_children()
    assert caseload, "the social worker should have children on their caseload"
    _, child_path = caseload[0]
    viewed = ChildPage(page).open(child_path)
    assert viewed is not None
    assert viewed.ok
    social_worker.sign_out()

    SignInPage(page).open().sign_in("team.manager")
    child = ChildPage(page)
    response = child.open(child_path)
    assert response is not None
    assert response.ok
    log = child.who_has_viewed()
    viewers = log.usernames()
    assert "social.worker" in viewers
    assert viewers[0] == "team.manager", "the log should be newest first"


def test_pages_are_keyboard_usable(page):
    SignInPage(page).open()

    def focused(attribute: str) -> str | None:
        return page.evaluate(f"document.activeElement.getAttribute('{attribute}')")

    page.keyboard.press("Tab")
    skip_link = page.evaluate("document.activeElement.textContent.trim()")
    assert skip_link == "Skip to main content"
    assert focused("href") == "#main-content"

    for _ in range(5):
        if focused("data-testid") == "username":
            break
        page.keyboard.press("Tab")
    assert focused("data-testid") == "username", "Tab should reach the username field"
    page.keyboard.type("teacher")
    page.keyboard.press("Tab")
    assert focused("data-testid") == "password"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/"
    check_page_structure(page)
    home = HomePage(page)
    assert "Amira Shah" in home.signed_in_as()

    # A child's record opens from the caseload with the keyboard alone.
    _, child_path = home.my_children()[0]
    page.get_by_test_id("my-children").locator(f"a[href='{child_path}']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == child_path
    check_page_structure(page)


def test_every_page_has_one_h1_a_main_landmark_and_labelled_fields(page, browser_problems):
    """Each page object checks the structure of the pages it loads; this visits the rest."""
    sign_in = SignInPage(page).open()
    sign_in.page.get_by_test_id("username").fill("teacher")
    sign_in.page.get_by_test_id("password").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_test_id("sign-in").click()
    assert page.title().startswith("Error:")
    check_page_structure(page)

    home = SignInPage(page).sign_in("teacher")
    _, child_path = home.my_children()[0]
    home.find_a_child().search(nhs_number="123")
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    ChildPage(page).open(child_path)
    home.sign_out()

    # The designated safeguarding lead of the teacher's school may see who viewed the record.
    SignInPage(page).open().sign_in("school.dsl")
    ChildPage(page).open(child_path)
    assert "teacher" in ChildPage(page).who_has_viewed().usernames()

    browser_problems.allow(lambda problem: "status of 404 (Not Found)" in problem)
    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    check_page_structure(page)
