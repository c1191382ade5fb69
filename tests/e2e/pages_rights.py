"""Page objects for the records team's rights pages (cumulus/rights/views.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pages import _load, check_page_structure, path_of
from playwright.sync_api import Page


@dataclass
class RightsPage:
    page: Page

    def open_from_navigation(self) -> RightsPage:
        _load(self.page, self.page.get_by_test_id("nav-rights"))
        assert path_of(self.page) == "/rights/"
        return self

    def prepare_subject_access(self, *, nhs_number: str, requester: str, received_on: str) -> str:
        """Prepare a package; returns the path of the request's page."""
        _load(self.page, self.page.get_by_test_id("sar-new"))
        self.page.get_by_test_id("nhs_number").fill(nhs_number)
        self.page.get_by_test_id("requester").fill(requester)
        self.page.get_by_test_id("received_on").fill(received_on)
        _load(self.page, self.page.get_by_test_id("sar-prepare"))
        assert (
            "A different person must now review it"
            in self.page.get_by_test_id("flash").inner_text()
        )
        return path_of(self.page)

    def open_request(self, path: str) -> None:
        self.page.goto(path)
        check_page_structure(self.page)

    def status(self) -> str:
        return self.page.get_by_test_id("sar-status").inner_text().strip()

    def can_approve(self) -> bool:
        return self.page.get_by_test_id("sar-approve").count() == 1

    def approve(self) -> None:
        _load(self.page, self.page.get_by_test_id("sar-approve"))

    def release(self) -> None:
        _load(self.page, self.page.get_by_test_id("sar-release"))

    def download_json(self) -> dict:
        with self.page.expect_download() as download:
            self.page.get_by_test_id("sar-json").click()
        path = download.value.path()
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
