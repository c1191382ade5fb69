"""Page objects for the instrument and Continuum of Need pages, found by data-testid, with an
axe-core accessibility scan (axe-core from node_modules, injected from disk: nothing fetched)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pages import ChildPage, Navigation, _load, check_page_structure, path_of
from playwright.sync_api import Page


def check_accessibility(page: Page) -> None:
    """No axe-core violations (WCAG 2.1 A and AA rules) on the page as it is now.

    The shared GOV.UK header (web/base.html, not these pages) is left out: axe reports its
    logotype text's contrast, which belongs to the web app's layout.
    """
    page.add_script_tag(url="/static/axe/axe.min.js")
    violations = page.evaluate(
        """async () => (await axe.run({exclude: [[".govuk-header"]]}, {runOnly: {type: "tag",
             values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})).violations
             .map(v => `${v.id}: ${v.help} `
               + `(${v.nodes.slice(0, 3).map(n => n.target).join(", ")})`)"""
    )
    assert not violations, f"{path_of(page)}: axe-core found:\n" + "\n".join(violations)


def open_child_tools(page: Page, child_path: str) -> ToolsPage:
    ChildPage(page).open(child_path)
    _load(page, page.get_by_test_id("instruments-link"))
    assert re.fullmatch(r"/instruments/children/\d+/", path_of(page)), page.url
    return ToolsPage(page)


@dataclass
class ToolsPage(Navigation):
    def start(self, instrument_id: str) -> StartPage:
        _load(self.page, self.page.get_by_test_id(f"start-{instrument_id}"))
        return StartPage(self.page)

    def compare(self, instrument_id: str) -> ComparisonPage:
        _load(self.page, self.page.get_by_test_id(f"compare-{instrument_id}"))
        return ComparisonPage(self.page)


@dataclass
class StartPage(Navigation):
    def pack_status(self) -> str:
        return self.page.get_by_test_id("pack-status").inner_text()

    def start(self) -> AssessmentForm:
        _load(self.page, self.page.get_by_test_id("start"))
        assert re.fullmatch(r"/instruments/assessments/\d+/", path_of(self.page)), self.page.url
        return AssessmentForm(self.page)


@dataclass
class AssessmentForm(Navigation):
    def grade(self, item_id: str, value: int) -> AssessmentForm:
        self.page.get_by_test_id(f"{item_id}={value}").check()
        return self

    def write(self, item_id: str, text: str) -> AssessmentForm:
        self.page.get_by_test_id(item_id).fill(text)
        return self

    def label_of(self, item_id: str) -> str:
        return (
            self.page.get_by_test_id(f"item-{item_id}").locator("legend, label").first.inner_text()
        )

    def wait_for_autosave(self) -> AssessmentForm:
        status = self.page.get_by_test_id("autosave-status")
        status.filter(has_text="Saved automatically").wait_for()
        return self

    def upload_photo(self, item_id: str, path: Path) -> AssessmentForm:
        self.page.get_by_test_id(f"photo-file-{item_id}").set_input_files(str(path))
        _load(self.page, self.page.get_by_test_id(f"photo-upload-{item_id}"))
        return self

    def photo_sources(self) -> list[str]:
        return [img.get_attribute("src") or "" for img in self.page.get_by_test_id("photo").all()]

    def is_checked(self, item_id: str, value: int) -> bool:
        return self.page.get_by_test_id(f"{item_id}={value}").is_checked()

    def sign_off(self) -> AssessmentPage:
        _load(self.page, self.page.get_by_test_id("sign-off"))
        return AssessmentPage(self.page)


@dataclass
class AssessmentPage(Navigation):
    def status(self) -> str:
        return self.page.get_by_test_id("status").inner_text().strip()

    def score(self, score_id: str) -> list[str]:
        cells = self.page.get_by_test_id(f"score-{score_id}").locator("td").all()
        return [c.inner_text().strip() for c in cells]

    def pack(self) -> str:
        return self.page.get_by_test_id("pack").inner_text()

    def photo_sources(self) -> list[str]:
        return [img.get_attribute("src") or "" for img in self.page.get_by_test_id("photo").all()]

    def back_to_tools(self) -> ToolsPage:
        _load(self.page, self.page.get_by_role("link", name="Back to assessments"))
        return ToolsPage(self.page)


@dataclass
class ComparisonPage(Navigation):
    def summary(self) -> str:
        return self.page.get_by_test_id("comparison-summary").inner_text()

    def table_rows(self) -> list[list[str]]:
        rows = self.page.get_by_test_id("comparison-table").locator("tbody tr").all()
        return [[c.inner_text().strip() for c in r.locator("th, td").all()] for r in rows]

    def has_chart(self) -> bool:
        return self.page.get_by_test_id("comparison-chart").is_visible()


@dataclass
class TrainingPage(Navigation):
    def open(self) -> TrainingPage:
        self.page.goto("/instruments/training/")
        check_page_structure(self.page)
        return self

    def record(self, username: str, trained_on: str) -> TrainingPage:
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_trained_on").fill(trained_on)
        _load(self.page, self.page.get_by_role("button", name="Record training"))
        return self
