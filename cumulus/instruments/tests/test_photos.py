"""Photographs: images only, size-limited, re-encoded without EXIF or GPS, stored outside the
web root, served only through an access-checked, logged view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cumulus.audit.models import AccessLogEntry
from cumulus.instruments import services
from cumulus.instruments.models import AssessmentPhoto
from cumulus.instruments.photos import PhotoRejectedError, reencode_photo
from cumulus.testing.factories import InvolvementFactory, UserFactory
from cumulus.testing.factories_instruments import GPS_TAG, jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_reencoding_removes_exif_and_gps():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_TAG)
    clean = reencode_photo(original, max_bytes=1_000_000)
    image = Image.open(io.BytesIO(clean.data))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"TestCam" not in clean.data
    assert (clean.width, clean.height) == (64, 48)


def test_png_is_accepted_and_becomes_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (1, 2, 3, 128)).save(out, format="PNG")
    assert (
        Image.open(io.BytesIO(reencode_photo(out.getvalue(), max_bytes=10**6).data)).format
        == "JPEG"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not an image",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"GIF89a" + b"\0" * 20,
    ],
)
def test_non_images_are_rejected(data):
    with pytest.raises(PhotoRejectedError, match="must be a JPEG, PNG or WebP"):
        reencode_photo(data, max_bytes=10**6)


def test_gif_is_rejected_even_when_it_is_an_image():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(PhotoRejectedError, match="must be a JPEG, PNG or WebP"):
        reencode_photo(out.getvalue(), max_bytes=10**6)


def test_oversized_files_are_rejected():
    with pytest.raises(PhotoRejectedError, match="smaller than 1 MB"):
        reencode_photo(jpeg_with_gps() + b"\0" * (1024 * 1024), max_bytes=1024 * 1024)


@pytest.fixture
def draft(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    involvement = InvolvementFactory()
    assessment = services.assessment_start(
        actor=involvement.practitioner, child=involvement.child, instrument_id="home-conditions"
    )
    return assessment


def upload(client, assessment, data, name="photo.jpg", item="kitchen.photos"):
    return client.post(
        reverse("instruments:photo-upload", args=[assessment.pk]),
        {"item_id": item, "photo": SimpleUploadedFile(name, data, "image/jpeg"), "caption": "Sink"},
    )


def test_upload_stores_a_clean_copy_outside_the_web_root_and_serves_it_checked(
    client, draft, tmp_path
):
    client.force_login(draft.author)
    response = upload(client, draft, jpeg_with_gps())
    assert response.status_code == 302
    photo = AssessmentPhoto.objects.get(assessment=draft)
    stored = tmp_path / "instrument-photos" / photo.stored_name
    assert stored.is_file()
    assert dict(Image.open(stored).getexif()) == {}
    served = client.get(reverse("instruments:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"]
    assert "private" in served["Cache-Control"]
    body = b"".join(served.streaming_content)
    assert dict(Image.open(io.BytesIO(body)).getexif()) == {}
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.detail["photo"] == photo.pk
    assert entry.child_id == draft.child_id
    client.force_login(UserFactory())
    assert client.get(reverse("instruments:photo", args=[photo.pk])).status_code == 404


def test_upload_of_a_non_image_is_refused_and_nothing_is_stored(client, draft, tmp_path):
    client.force_login(draft.author)
    response = upload(client, draft, b"MZ\x90\x00 pretend executable", name="photo.jpg")
    assert response.status_code == 302
    assert not AssessmentPhoto.objects.exists()
    assert list(tmp_path.glob("instrument-photos/*")) == []


def test_upload_too_large_is_refused(client, draft, settings):
    settings.CUMULUS_PHOTO_MAX_BYTES = 2000
    client.force_login(draft.author)
    upload(client, draft, jpeg_with_gps(size=(400, 400)))
    assert not AssessmentPhoto.objects.exists()


def test_photos_only_on_photo_questions(draft):
    with pytest.raises(services.InstrumentNotAllowedError):
        services.photo_add(
            actor=draft.author,
            assessment_id=draft.pk,
            item_id="kitchen.grade",
            data=jpeg_with_gps(),
        )
