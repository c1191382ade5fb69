"""A school records a concern, the front door decides it, and the teacher reads why in their
inbox: the first steps of the journey, in the browser."""

from __future__ import annotations

import pytest
from pages import ChildPage, SignInPage, _load, check_page_structure

pytestmark = pytest.mark.e2e


def test_concern_goes_to_the_front_door_and_the_decision_comes_back_to_the_referrer(page):
    teacher = SignInPage(page).open().sign_in("teacher")
    name, path = teacher.my_children()[-1]
    ChildPage(page).open(path)
    _load(page, page.get_by_test_id("record-concern"))
    _load(page, page.get_by_test_id("send-concern"))  # nothing filled in: a clear error
    assert page.get_by_text("Describe what you have seen or heard").first.is_visible()
    page.get_by_test_id("summary").fill("Came to school hungry every day this week.")
    page.get_by_test_id("neglect_types-nutritional").check()
    page.get_by_test_id("childs_words").fill("Mum was asleep so I had no breakfast.")
    page.get_by_test_id("sharing_basis-safeguarding").check()
    page.get_by_test_id("sharing_reason").fill("Asking first could put the child at risk.")
    _load(page, page.get_by_test_id("send-concern"))
    assert "front door" in page.get_by_test_id("flash").inner_text()
    teacher.sign_out()

    SignInPage(page).open().sign_in("front.door")
    _load(page, page.get_by_role("link", name="Front door"))
    queue = page.get_by_test_id("front-door-queue")
    # The child may have other concerns waiting (the demo's feeds): the newest is the teacher's.
    links = queue.get_by_role("link", name=name)
    ids = [int(href.rstrip("/").rsplit("/", 1)[1]) for href in links.evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )]  # fmt: skip
    _load(page, links.nth(ids.index(max(ids))))
    assert "no breakfast" in page.get_by_test_id("concern").inner_text()
    basis = page.get_by_test_id("sharing-basis").inner_text()
    assert "Without consent, to safeguard the child: Asking first" in basis
    page.get_by_test_id("outcome-early_help").check()
    page.get_by_test_id("rationale").fill("Needs can be met by early help with school support.")
    page.get_by_test_id("expected_of_referrer").fill("Please start an early help assessment.")
    _load(page, page.get_by_test_id("decide"))
    assert "referrer has been told" in page.get_by_test_id("flash").inner_text()
    _load(page, page.get_by_test_id("sign-out"))

    SignInPage(page).open().sign_in("teacher")
    _load(page, page.get_by_role("link", name="Inbox"))
    check_page_structure(page)
    message = page.get_by_test_id("notification").first.inner_text()
    assert f"Your concern about {name} was not accepted as a referral" in message
    assert "Please start an early help assessment." in message
