"""Page objects for the chronology and early-warning pages, and an axe-core check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pages import Navigation, _load, check_page_structure, path_of
from playwright.sync_api import Page

_AXE_RUN = """async () => {
  const context = {include: [["body"]], exclude: [[".govuk-header"]]};
  const result = await axe.run(context, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
}"""


def axe_violations(page: Page) -> list[str]:
    """WCAG 2 A and AA violations axe-core finds on the page (axe from node_modules).

    The shared GOV.UK header is left out: axe reports its logotype text's contrast (white on
    near-black, which passes) as a violation because it cannot resolve the colours behind the
    crown image; it belongs to the web app's layout, not to these pages.
    """
    page.add_script_tag(url="/static/axe/axe.min.js")
    return list(page.evaluate(_AXE_RUN))


@dataclass
class ChronologyPage(Navigation):
    def open(self, child_id: str, query: str = "") -> ChronologyPage:
        self.page.goto(f"/chronology/children/{child_id}/{query}")
        check_page_structure(self.page)
        return self

    def restricted_rows(self) -> list[str]:
        return [r.inner_text() for r in self.page.get_by_test_id("restricted-event").all()]

    def significances(self) -> list[str]:
        rows = self.page.get_by_test_id("chronology-event").all()
        return [row.locator("td").nth(3).inner_text().strip() for row in rows]

    def times(self) -> list[str]:
        rows = self.page.get_by_test_id("chronology-event").all()
        return [row.get_attribute("data-occurred") or "" for row in rows]

    def filter(self, *, significance: str = "", order: str = "") -> ChronologyPage:
        if significance:
            self.page.get_by_test_id(f"significance-{significance}").check()
        if order:
            self.page.get_by_test_id(f"order-{order}").check()
        _load(self.page, self.page.get_by_test_id("apply-filters"))
        return self

    def impact(self) -> ImpactPage:
        _load(self.page, self.page.get_by_test_id("impact-link"))
        return ImpactPage(self.page)


@dataclass
class ImpactPage(Navigation):
    def describe_first(self, text: str) -> ImpactPage:
        _load(self.page, self.page.get_by_test_id("edit-impact").first)
        self.page.get_by_test_id("impact_on_child").fill(text)
        _load(self.page, self.page.get_by_test_id("save-impact"))
        assert "/impact/" in path_of(self.page)
        return self

    def download(self, what: str) -> bytes:
        # WeasyPrint is slow to start on a busy machine: allow a minute for the PDF.
        with self.page.expect_download(timeout=60_000) as download:
            self.page.get_by_test_id(f"export-{what}").click(no_wait_after=True)
        return Path(download.value.path()).read_bytes()


@dataclass
class AlertInboxPage(Navigation):
    def open(self) -> AlertInboxPage:
        _load(self.page, self.page.get_by_test_id("nav-early-warnings"))
        assert path_of(self.page) == "/warnings/"
        return self

    def alert_count(self) -> int:
        return self.page.get_by_test_id("alert-row").count()

    def open_first(self) -> AlertPage:
        _load(self.page, self.page.get_by_test_id("alert-link").first)
        return AlertPage(self.page)


@dataclass
class AlertPage(Navigation):
    def respond(self, kind: str, note: str = "") -> AlertPage:
        self.page.get_by_test_id(f"kind-{kind}").check()
        self.page.get_by_test_id("note").fill(note)
        _load(self.page, self.page.get_by_test_id("record-response"))
        return self

    def responses(self) -> list[str]:
        return [r.inner_text() for r in self.page.get_by_test_id("alert-response").all()]
