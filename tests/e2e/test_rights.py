"""Subject access in the browser: one member of the records team prepares the package, cannot
approve it themselves, a second person approves it, and only then is it released and
downloaded, with other people's names replaced."""

from __future__ import annotations

import pytest
from pages import ChildPage, SignInPage
from pages_rights import RightsPage

pytestmark = pytest.mark.e2e


def test_a_subject_access_package_needs_a_second_person_before_release(page):
    teacher = SignInPage(page).open().sign_in("teacher")
    name, path = teacher.my_children()[0]
    ChildPage(page).open(path)
    nhs_number = page.get_by_test_id("nhs-number").inner_text().strip()
    assert nhs_number.replace(" ", "").isdigit()
    teacher.sign_out()

    officer = SignInPage(page).open().sign_in("records.officer")
    rights = RightsPage(page).open_from_navigation()
    request_path = rights.prepare_subject_access(
        nhs_number=nhs_number, requester="The young person, in person", received_on="2026-11-20"
    )
    assert rights.status() == "Prepared, waiting for a reviewer"
    assert not rights.can_approve()
    assert page.get_by_test_id("sar-needs-second-person").is_visible()
    assert name in page.get_by_test_id("sar-package").inner_text()
    officer.sign_out()

    reviewer = SignInPage(page).open().sign_in("data.protection")
    rights.open_request(request_path)
    assert rights.can_approve()
    rights.approve()
    assert rights.status() == "Approved for release"
    assert "Mark Lowe" in page.get_by_test_id("sar-approved-by").inner_text()
    rights.release()
    assert rights.status() == "Released"
    package = rights.download_json()
    assert package["child"]["name"] == name
    assert package["child"]["nhs_number"] == nhs_number.replace(" ", "")
    everyone_else = {r["person"] for r in package["relationships"]}
    assert everyone_else <= {"[a third party]"}
    reviewer.sign_out()
