"""Page objects for the journey's browser test: the journey, plan, task and family pages,
found by data-testid, each checked for structure and by axe-core (WCAG 2.2 AA rules)."""

from __future__ import annotations

from dataclasses import dataclass

from pages import DEMO_PASSWORD, _load, check_page_structure, path_of
from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def check_accessibility(page: Page) -> None:
    """No axe-core violations of the WCAG A and AA rules on the page as it stands."""
    page.add_script_tag(url="/static/axe/axe.min.js")
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' ' +"
        " v.nodes.map(n => n.target.join(' ')).join(', ')))",
        AXE_TAGS,
    )
    assert not found, f"{path_of(page)} has accessibility violations:\n" + "\n".join(found)


def sign_in(page: Page, username: str, *, lands_on: str = "/") -> None:
    page.goto("/sign-in/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(DEMO_PASSWORD)
    _load(page, page.get_by_test_id("sign-in"))
    assert path_of(page) == lands_on, f"{username} landed on {page.url}"


def sign_out(page: Page) -> None:
    _load(page, page.get_by_test_id("sign-out"))


def fill(page: Page, values: dict[str, str]) -> None:
    """Fill a journey form: text by test id; radios as ``name=value``; selects as ``name:value``."""
    for key, value in values.items():
        if key.endswith("="):
            page.get_by_test_id(f"{key[:-1]}-{value}").check()
        elif key.endswith(":"):
            page.get_by_test_id(key[:-1]).select_option(value)
        else:
            page.get_by_test_id(key).fill(value)


def submit(page: Page, test_id: str = "submit") -> None:
    _load(page, page.get_by_test_id(test_id))
    flash = page.get_by_test_id("flash")
    assert flash.count(), f"no confirmation on {page.url}: {page.locator('main').inner_text()}"


@dataclass
class TasksPage:
    page: Page

    def open(self) -> TasksPage:
        _load(self.page, self.page.get_by_role("link", name="Tasks", exact=True))
        check_accessibility(self.page)
        return self

    def overdue_count(self) -> int:
        return self.page.get_by_test_id("task-overdue").count()

    def open_task(self, child: str, what: str) -> None:
        row = self.page.locator("tr", has_text=child).filter(has_text=what).first
        _load(self.page, row.get_by_role("link"))


@dataclass
class JourneyPage:
    page: Page

    def open(self, child_path: str) -> JourneyPage:
        self.page.goto(child_path.replace("/children/", "/journey/children/"))
        check_page_structure(self.page)
        check_accessibility(self.page)
        return self

    def act(self, test_id: str) -> None:
        _load(self.page, self.page.get_by_test_id(test_id).first)

    def open_plan(self, plan_type: str) -> PlanPage:
        _load(self.page, self.page.get_by_test_id(f"open-plan-link-{plan_type}"))
        check_accessibility(self.page)
        return PlanPage(self.page)


@dataclass
class PlanPage:
    page: Page

    def act(self, test_id: str, values: dict[str, str], *, button: str = "submit") -> None:
        _load(self.page, self.page.get_by_test_id(test_id))
        fill(self.page, values)
        submit(self.page, button)

    def text(self) -> str:
        return self.page.locator("main").inner_text()


@dataclass
class FamilyPage:
    page: Page

    def child_names(self) -> list[str]:
        return [n.strip() for n in self.page.get_by_test_id("family-child").all_inner_texts()]

    def open_plan(self) -> str:
        _load(self.page, self.page.get_by_test_id("family-plan-link").first)
        check_accessibility(self.page)
        return self.page.locator("main").inner_text()

    def say(self, feeling: str, text: str) -> None:
        self.page.get_by_test_id(f"feeling-{feeling}").check()
        self.page.get_by_test_id("text").fill(text)
        submit(self.page, "send-feedback")
