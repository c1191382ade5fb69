"""Page objects for the browser tests: what a practitioner sees and does, by data-testid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, Response

DEMO_PASSWORD = "cumulus-demo-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"


def check_page_structure(page: Page) -> None:
    """Every page: English, one h1, a main landmark, and a label for every visible input."""
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1
    assert page.locator("main#main-content").count() == 1
    for field in page.locator("input:not([type=hidden])").all():
        field_id = field.get_attribute("id")
        assert field_id, f"an input has no id on {page.url}: {field.evaluate('e => e.outerHTML')}"
        assert page.locator(f"label[for='{field_id}']").count() == 1, field_id


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
        self.page.get_by_test_id("sign-in").click()
        self.page.wait_for_url("**/")
        return HomePage(self.page)


@dataclass
class HomePage:
    page: Page

    def my_children(self) -> list[tuple[str, str]]:
        """(name, url) of each child on the signed-in practitioner's caseload."""
        links = self.page.get_by_test_id("my-children").locator("a")
        return [(link.inner_text(), link.get_attribute("href") or "") for link in links.all()]

    def sign_out(self) -> SignInPage:
        self.page.get_by_test_id("sign-out").click()
        self.page.wait_for_url("**/sign-in/")
        return SignInPage(self.page)

    def find_a_child(self) -> SearchPage:
        self.page.get_by_role("link", name="Find a child").click()
        check_page_structure(self.page)
        return SearchPage(self.page)


@dataclass
class SearchPage:
    page: Page

    def search(self, *, name: str = "", nhs_number: str = "") -> SearchPage:
        self.page.get_by_test_id("search-name").fill(name)
        self.page.get_by_test_id("search-nhs").fill(nhs_number)
        self.page.get_by_test_id("search-submit").click()
        self.page.wait_for_load_state()
        check_page_structure(self.page)
        return self

    def result_count(self) -> str:
        return self.page.get_by_test_id("result-count").inner_text()

    def result_names(self) -> list[str]:
        if self.page.get_by_test_id("search-results").count() == 0:
            return []
        return self.page.get_by_test_id("search-results").locator("tbody a").all_inner_texts()

    def open_child(self, name: str) -> ChildPage:
        self.page.get_by_test_id("search-results").get_by_role("link", name=name).first.click()
        self.page.wait_for_load_state()
        check_page_structure(self.page)
        return ChildPage(self.page)


@dataclass
class ChildPage:
    page: Page

    def open(self, url: str) -> Response | None:
        return self.page.goto(url)

    def name(self) -> str:
        return self.page.get_by_test_id("child-name").inner_text()

    def nhs_number(self) -> str:
        return self.page.get_by_test_id("nhs-number").inner_text()

    def event_times(self) -> list[str]:
        rows = self.page.get_by_test_id("chronology-event").all()
        return [row.get_attribute("data-occurred") or "" for row in rows]
