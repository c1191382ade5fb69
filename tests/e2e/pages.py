"""Page objects for the browser tests: what a practitioner sees and does, found by data-testid.

Every action that loads a page waits for that navigation explicitly (``expect_navigation``),
then checks the page's structure, so no assertion can run against the page that was left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Response

DEMO_PASSWORD = "cumulus-demo-2026"
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results" / "e2e"


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


_STRUCTURE = """() => ({
  lang: document.documentElement.getAttribute("lang"),
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main#main-content").length,
  unlabelled: Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea"))
    .filter((field) => !field.id
      || document.querySelectorAll(`label[for="${CSS.escape(field.id)}"]`).length !== 1)
    .map((field) => field.outerHTML),
})"""


def check_page_structure(page: Page) -> None:
    """What every page must have: English, one h1, the main landmark, a label for every field."""
    where = path_of(page)
    found = page.evaluate(_STRUCTURE)
    assert found["lang"] == "en", f"{where}: <html lang> is {found['lang']!r}"
    assert found["h1"] == 1, f"{where} has {found['h1']} h1 elements; it should have one"
    assert found["main"] == 1, f"{where} has no <main id='main-content'>"
    assert not found["unlabelled"], f"{where} has fields without a label: {found['unlabelled']}"


def _load(page: Page, action: Locator) -> Response | None:
    """Click ``action`` and wait for the page it loads."""
    with page.expect_navigation() as navigation:
        action.click()
    check_page_structure(page)
    return navigation.value


@dataclass
class SignInPage:
    page: Page

    def open(self) -> SignInPage:
        self.page.goto("/sign-in/")
        check_page_structure(self.page)
        return self

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> HomePage:
        self.page.get_by_test_id("username").fill(username)
        self.page.get_by_test_id("password").fill(password)
        _load(self.page, self.page.get_by_test_id("sign-in"))
        assert path_of(self.page) == "/", f"{username} was not signed in: {self.page.url}"
        return HomePage(self.page)


@dataclass
class Navigation:
    """The service navigation shown on every page once signed in."""

    page: Page

    def signed_in_as(self) -> str:
        return self.page.get_by_test_id("signed-in-as").inner_text()

    def find_a_child(self) -> SearchPage:
        _load(self.page, self.page.get_by_role("link", name="Find a child", exact=True))
        assert path_of(self.page) == "/children/search/"
        return SearchPage(self.page)

    def sign_out(self) -> SignInPage:
        _load(self.page, self.page.get_by_test_id("sign-out"))
        assert path_of(self.page) == "/sign-in/"
        return SignInPage(self.page)


@dataclass
class HomePage(Navigation):
    def my_children(self) -> list[tuple[str, str]]:
        """(name, path) of each child on the signed-in practitioner's caseload, in table order."""
        table = self.page.get_by_test_id("my-children")
        if table.count() == 0:
            return []
        links = table.locator("tbody a").all()
        return [(link.inner_text().strip(), link.get_attribute("href") or "") for link in links]


@dataclass
class SearchPage(Navigation):
    def search(self, *, name: str = "", nhs_number: str = "") -> SearchPage:
        self.page.get_by_test_id("search-name").fill(name)
        self.page.get_by_test_id("search-nhs").fill(nhs_number)
        _load(self.page, self.page.get_by_test_id("search-submit"))
        return self

    def result_count(self) -> str:
        return self.page.get_by_test_id("result-count").inner_text().strip()

    def results(self) -> list[tuple[str, str]]:
        """(name, path) of each child found."""
        table = self.page.get_by_test_id("search-results")
        if table.count() == 0:
            return []
        links = table.locator("tbody a").all()
        return [(link.inner_text().strip(), link.get_attribute("href") or "") for link in links]

    def open_child(self, path: str) -> ChildPage:
        link = self.page.get_by_test_id("search-results").locator(f"tbody a[href='{path}']")
        _load(self.page, link)
        return ChildPage(self.page)


@dataclass
class ChildPage(Navigation):
    def open(self, path: str) -> Response | None:
        response = self.page.goto(path)
        check_page_structure(self.page)
        return response

    def name(self) -> str:
        return self.page.get_by_test_id("child-name").inner_text().strip()

    def nhs_number(self) -> str:
        return self.page.get_by_test_id("nhs-number").inner_text().strip()

    def identity(self) -> Locator:
        return self.page.get_by_test_id("identity")

    def agencies_involved(self) -> list[str]:
        """The agency column of the involvements table."""
        rows = self.page.get_by_test_id("involvements").locator("tbody tr").all()
        return [row.locator("td").first.inner_text().strip() for row in rows]

    def chronology_times(self) -> list[dt.datetime]:
        """When each chronology event on this page happened, in the order shown."""
        events = self.page.get_by_test_id("chronology-event").all()
        return [dt.datetime.fromisoformat(e.get_attribute("data-occurred") or "") for e in events]

    def who_has_viewed(self) -> AccessLogPage:
        _load(self.page, self.page.get_by_test_id("access-log-link"))
        return AccessLogPage(self.page)


@dataclass
class AccessLogPage(Navigation):
    def usernames(self) -> list[str]:
        """The "Who" column of the access log, newest first."""
        rows = self.page.get_by_test_id("access-log").locator("tbody tr").all()
        return [row.locator("td").nth(1).inner_text().strip() for row in rows]
