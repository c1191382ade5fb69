"""The concern form keeps the practitioner's draft in the browser tab: a reload (as after a
crash or a server killed mid-save) brings the text back; a confirmed save forgets it."""

from __future__ import annotations

import pytest
from pages import ChildPage, SignInPage, _load, check_page_structure

pytestmark = pytest.mark.e2e


def _axe_violations(page, selector: str) -> list[str]:
    """Serious and critical axe-core findings inside ``selector`` (what this feature adds)."""
    page.add_script_tag(url="/static/axe/axe.min.js")
    found = page.evaluate(
        "async (selector) => (await axe.run(document.querySelector(selector))).violations",
        selector,
    )
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in found
        if v["impact"] in {"serious", "critical"}
    ]


def test_concern_draft_survives_a_reload_and_is_forgotten_once_sent(page):
    teacher = SignInPage(page).open().sign_in("teacher")
    _, path = teacher.my_children()[0]
    ChildPage(page).open(path)
    _load(page, page.get_by_test_id("record-concern"))
    form_url = page.url
    page.get_by_test_id("summary").fill("Draft: no coat in the snow again.")
    page.get_by_test_id("neglect_types-physical").check()
    page.reload()
    assert page.get_by_test_id("summary").input_value() == "Draft: no coat in the snow again."
    assert page.get_by_test_id("neglect_types-physical").is_checked()
    assert "kept the draft" in page.get_by_test_id("draft-restored").inner_text()
    check_page_structure(page)
    assert _axe_violations(page, "form[data-autosave]") == []
    page.get_by_test_id("sharing_basis-consent").check()
    page.get_by_test_id("consent_from").fill("The child's father")
    _load(page, page.get_by_test_id("send-concern"))
    assert "front door" in page.get_by_test_id("flash").inner_text()
    page.goto(form_url)
    assert page.get_by_test_id("summary").input_value() == ""
    assert page.get_by_test_id("draft-restored").count() == 0
