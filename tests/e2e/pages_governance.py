"""Page objects for the strategy, action plan, learning and governance pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pages import _load, check_page_structure, path_of
from playwright.sync_api import Page


def axe_violations(page: Page) -> list[str]:
    """axe-core over the page's main content, with the failing targets."""
    page.add_script_tag(url="/static/axe/axe.min.js")
    return page.evaluate(
        """async () => (await axe.run(document.querySelector('main')))
            .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )


@dataclass
class ActionPlanPages:
    page: Page

    def open(self) -> ActionPlanPages:
        _load(self.page, self.page.get_by_test_id("nav-action-plan"))
        return self

    def add_item(self, *, aim: str, objective: str, activity: str, due_on: str) -> str:
        _load(self.page, self.page.get_by_test_id("new-item"))
        self.page.get_by_test_id("aim").select_option(label=aim)
        self.page.get_by_test_id("objective").select_option(label=objective)
        self.page.get_by_test_id("activity").fill(activity)
        self.page.get_by_test_id("lead_agency").select_option(index=1)
        self.page.get_by_test_id("lead_person").fill("Ruth Adeyemi")
        self.page.get_by_test_id("due_on").fill(due_on)
        _load(self.page, self.page.get_by_test_id("save-item"))
        return path_of(self.page)

    def update(self, *, rag: str, evidence: str = "", note: str = "") -> None:
        self.page.get_by_test_id("rag").select_option(rag)
        self.page.get_by_test_id("evidence").fill(evidence)
        self.page.get_by_test_id("note").fill(note)
        _load(self.page, self.page.get_by_test_id("save-update"))


@dataclass
class LearningPages:
    page: Page

    def open(self) -> LearningPages:
        _load(self.page, self.page.get_by_test_id("nav-learning"))
        return self

    def add_review(self, *, kind: str, title: str, published_on: str) -> None:
        _load(self.page, self.page.get_by_test_id("new-review"))
        self.page.get_by_test_id("kind").select_option(label=kind)
        self.page.get_by_test_id("title").fill(title)
        self.page.get_by_test_id("published_on").fill(published_on)
        _load(self.page, self.page.get_by_test_id("save-review"))

    def add_recommendation(self, *, text: str, status: str, aim: str, item: str) -> None:
        self.page.get_by_test_id("text").fill(text)
        self.page.get_by_test_id("status").select_option(label=status)
        self.page.get_by_test_id("aims").select_option(label=aim)
        self.page.get_by_test_id("action_items").select_option(label=item)
        _load(self.page, self.page.get_by_test_id("save-recommendation"))

    def open_matrix(self) -> None:
        _load(self.page, self.page.get_by_test_id("matrix-link"))


@dataclass
class GovernancePages:
    page: Page

    def open(self) -> GovernancePages:
        _load(self.page, self.page.get_by_test_id("nav-governance"))
        return self

    def produce(self, quarter: str) -> None:
        self.page.get_by_test_id("quarter").fill(quarter)
        _load(self.page, self.page.get_by_test_id("produce-report"))
        check_page_structure(self.page)

    def download(self, what: str) -> tuple[str, bytes]:
        with self.page.expect_download(timeout=60_000) as download:
            self.page.get_by_test_id(f"download-{what}").click()
        return download.value.suggested_filename, Path(download.value.path()).read_bytes()
