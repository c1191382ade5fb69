"""The shared neglect tools in the browser: the open neglect screening profile end to end
(complete with an autosaved draft and a photograph, score, sign off, re-assess, compare), and
the Graded Care Profile 2 shell filled by a dummy licensed pack written for the tests."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pages import SignInPage
from pages_instruments import (
    AssessmentForm,
    StartPage,
    TrainingPage,
    check_accessibility,
    open_child_tools,
)
from PIL import Image

from cumulus.testing.factories_instruments import GPS_TAG, TEST_PACKS, jpeg_with_gps

pytestmark = pytest.mark.e2e

TYPES = ("medical", "nutritional", "emotional", "educational", "physical", "supervision")


def _complete(form: AssessmentForm, grades: dict[str, int]) -> AssessmentForm:
    for name in TYPES:
        form.grade(f"{name}.grade", grades[name])
    return form.grade("overall.definition", max(grades.values()))


def test_neglect_screening_end_to_end_with_a_photo_whose_exif_is_gone(page, tmp_path: Path):
    home = SignInPage(page).open().sign_in("health.visitor")
    _, child_path = home.my_children()[0]
    tools = open_child_tools(page, child_path)
    check_accessibility(page)

    start = tools.start("neglect-screening")
    check_accessibility(page)
    form = start.start()
    check_accessibility(page)
    first = {
        "medical": 2,
        "nutritional": 3,
        "emotional": 2,
        "educational": 1,
        "physical": 4,
        "supervision": 2,
    }
    _complete(form, first).write("physical.evidence", "Kitchen sink full; no food in the fridge.")
    form.wait_for_autosave()  # the progressive enhancement saved the draft

    photo = tmp_path / "kitchen.jpg"
    photo.write_bytes(jpeg_with_gps())
    assert Image.open(photo).getexif().get_ifd(GPS_TAG), "the test photo should carry GPS data"
    form.upload_photo("physical.photos", photo)
    assert form.is_checked("physical.grade", 4), "the autosaved answers should survive the upload"
    (source,) = form.photo_sources()
    served = page.request.get(source)
    assert served.ok
    assert served.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served.body()))
    assert dict(image.getexif()) == {}, "EXIF should be gone"
    assert b"TestCam" not in served.body()

    signed = form.sign_off()
    assert signed.status() == "Complete"
    assert signed.score("worst") == [
        "Worst grade across the six types",
        "4",
        "Significant concern; talk to your safeguarding lead today",
    ]
    assert signed.score("serious")[1] == "1"
    assert len(signed.photo_sources()) == 1
    check_accessibility(page)

    tools = signed.back_to_tools()
    again = tools.start("neglect-screening").start()
    second = _complete(again, {**first, "physical": 2, "emotional": 3}).sign_off()
    comparison_page = second.back_to_tools().compare("neglect-screening")
    summary = comparison_page.summary()
    assert "Better since the last assessment" in summary
    assert "Physical (4 to 2)" in summary
    assert "Worse since the last assessment" in summary
    assert "Emotional (2 to 3)" in summary
    assert ["Physical", "4", "2"] in comparison_page.table_rows()
    assert comparison_page.has_chart()
    check_accessibility(page)


def test_gcp2_shell_completed_with_a_test_licensed_pack(page, service_env):
    packs = Path(service_env["CUMULUS_VAR_DIR"]) / "instrument-packs"
    packs.mkdir(exist_ok=True)
    shutil.copy(TEST_PACKS / "gcp2-test-pack.yaml", packs / "gcp2-test-pack.yaml")

    manager = SignInPage(page).open().sign_in("team.manager")
    TrainingPage(page).open().record("social.worker", "2026-01-12")
    check_accessibility(page)
    manager.sign_out()

    home = SignInPage(page).open().sign_in("social.worker")
    _, child_path = home.my_children()[0]
    tools = open_child_tools(page, child_path)
    start = tools.start("gcp2-shell")
    assert isinstance(start, StartPage)
    assert "Testshire Safeguarding Children Partnership" in start.pack_status()
    form = start.start()
    assert form.label_of("physical.area").startswith("Test area one grade")
    assert (
        "Test descriptor five (invented)" in page.get_by_test_id("item-physical.area").inner_text()
    )
    check_accessibility(page)
    for area, grade in (("physical", 3), ("safety", 2), ("emotional", 4), ("developmental", 2)):
        form.grade(f"{area}.area", grade)
    form.grade("physical.nutrition", 4).grade("safety.online", 1)
    signed = form.sign_off()
    assert signed.status() == "Complete"
    assert "Testshire Safeguarding Children Partnership" in signed.pack()
    assert "SHA-256" in signed.pack()
    assert signed.score("emotional")[1] == "4"
    check_accessibility(page)
