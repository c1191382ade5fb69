"""Page objects for the import report pages, and an axe-core check run from node_modules."""

from __future__ import annotations

from dataclasses import dataclass

from pages import _load, check_page_structure
from playwright.sync_api import Page


def axe_violations(page: Page) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds in the page's main content (the part these pages
    add; the shared layout is the web app's), with the elements at fault."""
    page.add_script_tag(url="/static/axe/axe.min.js")
    found = page.evaluate(
        """async () => {
          const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
          const r = await axe.run({include: ['main']}, {runOnly: tags});
          return r.violations.map(v => v.id + ': ' + v.help + ' at '
            + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return list(found)


@dataclass
class ImportsPage:
    page: Page

    def open(self) -> ImportsPage:
        self.page.goto("/interchange/imports/")
        check_page_structure(self.page)
        return self

    def open_batch(self, file_name: str) -> BatchPage:
        row = self.page.get_by_test_id("batch-row").filter(has_text=file_name).first
        _load(self.page, row.get_by_role("link"))
        return BatchPage(self.page)


@dataclass
class BatchPage:
    page: Page

    def counts(self) -> str:
        return self.page.get_by_test_id("counts").inner_text()

    def quarantined_keys(self) -> list[str]:
        return [
            row.get_by_role("cell").first.inner_text()
            for row in self.page.get_by_test_id("quarantined-row").all()
        ]

    def fix(self, key: str) -> FixPage:
        row = self.page.get_by_test_id("quarantined-row").filter(has_text=key).first
        _load(self.page, row.get_by_role("link", name=key))
        return FixPage(self.page)


@dataclass
class FixPage:
    page: Page

    def reasons(self) -> str:
        return self.page.get_by_test_id("reasons").inner_text()

    def payload(self) -> str:
        return self.page.get_by_test_id("payload").input_value()

    def resubmit(self, payload: str) -> BatchPage:
        self.page.get_by_test_id("payload").fill(payload)
        _load(self.page, self.page.get_by_test_id("resubmit"))
        return BatchPage(self.page)
