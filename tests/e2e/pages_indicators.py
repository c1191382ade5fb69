"""Page objects for the indicators app: the business unit's booklet commentary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pages import _load, check_page_structure
from playwright.sync_api import Locator, Page


@dataclass
class CommentaryMonthPage:
    page: Page

    def open_from_dashboard(self) -> CommentaryMonthPage:
        self.page.goto("/indicators/")
        check_page_structure(self.page)
        _load(self.page, self.page.get_by_role("link", name="Booklet commentary"))
        return self

    def show_month(self, month: str) -> CommentaryMonthPage:
        self.page.get_by_label("Month (YYYY-MM)").fill(month)
        _load(self.page, self.page.get_by_role("button", name="Show"))
        return self

    @property
    def listing(self) -> Locator:
        return self.page.get_by_test_id("commentary-list")

    def edit(self, title: str) -> CommentaryEditPage:
        # The visually hidden ": write commentary" may be joined with or without a space.
        name = re.compile(rf"^{re.escape(title)}\s*: write commentary$")
        _load(self.page, self.listing.get_by_role("link", name=name))
        return CommentaryEditPage(self.page)


@dataclass
class CommentaryEditPage:
    page: Page

    def save(self, text: str) -> CommentaryEditPage:
        self.page.get_by_label("Commentary").fill(text)
        _load(self.page, self.page.get_by_role("button", name="Save commentary"))
        return self

    @property
    def history(self) -> Locator:
        return self.page.get_by_test_id("commentary-history")

    def back_to_month(self) -> CommentaryMonthPage:
        _load(self.page, self.page.get_by_role("link", name="All commentary for"))
        return CommentaryMonthPage(self.page)
