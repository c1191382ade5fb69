"""Factories and helpers for instrument and threshold tests."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

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
