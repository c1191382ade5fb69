"""Factories and helpers for instrument and threshold tests."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import factory
from PIL import Image

from cumulus.instruments.models import AssessmentStatus, InstrumentAssessment
from cumulus.testing.factories import ChildFactory, UserFactory

REPO = Path(__file__).resolve().parents[2]
TEST_PACKS = REPO / "tests" / "instrument_packs"
GPS_TAG = 0x8825


def jpeg_with_gps(*, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG carrying EXIF camera and GPS data, to show that uploads lose it."""
    image = Image.new("RGB", size, (180, 90, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestCam Ltd"  # Make
    exif[0x0110] = "Model T"  # Model
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    gps = {1: "N", 2: (53.0, 48.0, 0.0), 3: "W", 4: (1.0, 33.0, 0.0)}
    exif[GPS_TAG] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


class InstrumentAssessmentFactory(factory.django.DjangoModelFactory[InstrumentAssessment]):
    """A completed assessment, made without the services (for extracts and reports; the
    services' own tests make theirs through ``assessment_start`` and sign-off)."""

    class Meta:
        model = InstrumentAssessment

    child = factory.SubFactory(ChildFactory)
    instrument_id = "gcp2-shell"
    instrument_version = 1
    instrument_title = "Graded Care Profile 2 (grade record)"
    definition = factory.LazyFunction(dict)
    definition_sha256 = "0" * 64
    licence_tier = "licensed-pack"
    assessed_on = dt.date(2026, 2, 10)
    status = AssessmentStatus.COMPLETE
    author = factory.SubFactory(UserFactory)
    author_agency = factory.LazyAttribute(lambda o: o.author.agency)
