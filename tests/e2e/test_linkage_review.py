"""A linkage analyst decides a pair in the review queue, in the browser; pages pass axe-core."""

from __future__ import annotations

import pytest
from pages import SignInPage
from pages_linkage import ReviewQueuePage, axe_violations

pytestmark = pytest.mark.e2e


def test_linkage_analyst_decides_a_pair_and_it_leaves_the_queue(page):
    SignInPage(page).open().sign_in("linkage.analyst")
    queue = ReviewQueuePage(page).open()
    assert axe_violations(page) == []
    waiting = queue.pairs()
    assert waiting >= 1
    pair = queue.open_first()
    assert axe_violations(page) == []
    assert "NHS number" in pair.record()
    assert "Surname" in pair.evidence()
    assert "For" in pair.evidence()
    assert "Against" in pair.evidence()
    pair.decide("match", "Same name and date of birth; the family moved (school confirmed).")
    assert "Decision recorded: Match" in page.get_by_test_id("flash").inner_text()
    assert ReviewQueuePage(page).pairs() == waiting - 1
    page.goto("/linkage/model/")
    assert page.get_by_test_id("match-weights-chart").locator("svg").count() == 1
    assert axe_violations(page) == []
