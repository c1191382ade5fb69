"""Page objects for the linkage review queue, and an axe-core accessibility scan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pages import _load, check_page_structure
from playwright.sync_api import Page


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (from node_modules, never a CDN) on the page's main content (the header and
    footer are the shared layout's); serious and critical violations only."""
    page.add_script_tag(url="/static/axe/axe.min.js")
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run({include: ['main']}, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@dataclass
class ReviewQueuePage:
    page: Page

    def open(self) -> ReviewQueuePage:
        _load(self.page, self.page.get_by_role("link", name="Linkage review"))
        return self

    def pairs(self) -> int:
        return self.page.get_by_test_id("review-item-link").count()

    def open_first(self) -> ReviewPairPage:
        _load(self.page, self.page.get_by_test_id("review-item-link").first)
        return ReviewPairPage(self.page)


@dataclass
class ReviewPairPage:
    page: Page

    def record(self) -> str:
        return self.page.get_by_test_id("record").inner_text()

    def candidate(self) -> str:
        return self.page.get_by_test_id("candidate").inner_text()

    def evidence(self) -> str:
        return self.page.get_by_test_id("evidence").inner_text()

    def decide(self, outcome: str, reason: str) -> None:
        self.page.get_by_test_id(f"outcome-{outcome}").check()
        self.page.get_by_test_id("reason").fill(reason)
        _load(self.page, self.page.get_by_test_id("decide"))
        check_page_structure(self.page)
