"""Page objects for training and multi-agency audits: found by data-testid and role."""

from __future__ import annotations

from dataclasses import dataclass

from pages import _load, path_of
from playwright.sync_api import Page

AUDIT_CRITERIA = ("multi_agency", "early_identification", "assessment", "plans", "impact", "voice")


@dataclass
class TrainingPages:
    page: Page

    def open(self) -> TrainingPages:
        _load(self.page, self.page.get_by_test_id("nav-training"))
        assert path_of(self.page) == "/training/"
        return self

    def manage(self) -> TrainingPages:
        _load(self.page, self.page.get_by_test_id("manage-training"))
        assert path_of(self.page) == "/training/manage/"
        return self

    def add_session(self, *, course: str, held_on: str, places: int, venue: str) -> str:
        """Returns the new session's page path."""
        self.page.get_by_test_id("session-course").select_option(label=course)
        self.page.get_by_test_id("held_on").fill(held_on)
        self.page.get_by_test_id("places").fill(str(places))
        self.page.get_by_test_id("venue").fill(venue)
        _load(self.page, self.page.get_by_test_id("add-session"))
        assert path_of(self.page).startswith("/training/manage/sessions/"), self.page.url
        return path_of(self.page)

    def book(self, session_id: str) -> None:
        _load(self.page, self.page.get_by_test_id(f"book-{session_id}"))
        assert path_of(self.page) == "/training/"

    def bookings_text(self) -> str:
        return self.page.get_by_test_id("my-bookings").inner_text()

    def mark_attended(self, username: str) -> None:
        self.page.get_by_test_id(f"attended-{username}").check()
        _load(self.page, self.page.get_by_test_id("save-attendance"))

    def uptake(self) -> TrainingPages:
        _load(self.page, self.page.get_by_test_id("training-uptake"))
        assert path_of(self.page) == "/training/uptake/"
        return self


@dataclass
class AuditPages:
    page: Page

    def open(self) -> AuditPages:
        _load(self.page, self.page.get_by_test_id("nav-audits"))
        assert path_of(self.page) == "/audits/"
        return self

    def plan_round(self, *, title: str, held_on: str, size: int, seed: int) -> None:
        _load(self.page, self.page.get_by_test_id("new-round"))
        self.page.get_by_test_id("title").fill(title)
        self.page.get_by_test_id("held_on").fill(held_on)
        self.page.get_by_test_id("plan_types-child_in_need").check()
        self.page.get_by_test_id("plan_types-child_protection").check()
        self.page.get_by_test_id("lookback_days").fill("365")
        self.page.get_by_test_id("sample_size").fill(str(size))
        self.page.get_by_test_id("strata-plan_type").check()
        self.page.get_by_test_id("minimum_per_stratum").fill("0")
        self.page.get_by_test_id("seed").fill(str(seed))
        _load(self.page, self.page.get_by_test_id("create-round"))
        assert path_of(self.page).startswith("/audits/rounds/"), self.page.url

    def draw(self) -> None:
        _load(self.page, self.page.get_by_test_id("draw-sample"))

    def assign(self, usernames: list[str]) -> None:
        self.page.get_by_test_id("usernames").fill("\n".join(usernames))
        _load(self.page, self.page.get_by_test_id("assign-auditors"))

    def grade_first_case(self, round_title: str, grades: dict[str, int], action: str = "") -> None:
        row = (
            self.page.get_by_test_id("my-assignments")
            .get_by_role("row")
            .filter(has_text=round_title)
        )
        _load(self.page, row.get_by_role("link").first)
        assert path_of(self.page).startswith("/audits/assignments/")
        for criterion in AUDIT_CRITERIA:
            value = grades.get(criterion, 3)
            self.page.locator(f'input[name="r__{criterion}.grade"][value="{value}"]').check()
        self.page.locator('input[name="r__voice.evident"][value="yes"]').check()
        if action:
            self.page.get_by_test_id("actions").fill(action)
        _load(self.page, self.page.get_by_test_id("submit-grades"))
        assert path_of(self.page) == "/audits/"
