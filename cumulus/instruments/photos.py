"""Photographs: accept images only, within a size limit, and re-encode them with Pillow so no
EXIF, GPS or other metadata survives. The stored file is a fresh JPEG written from pixels.

Why re-encode rather than strip tags: a new file from pixels alone cannot carry metadata we
did not know to strip (XMP, IPTC, maker notes, thumbnails with their own EXIF).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from cumulus.core.errors import CumulusError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_SIDE = 2000
MAX_PIXELS = 50_000_000


class PhotoRejectedError(CumulusError):
    """The upload is not an image we accept, or is too large."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def reencode_photo(data: bytes, *, max_bytes: int) -> CleanPhoto:
    """A metadata-free JPEG of ``data``, or ``PhotoRejectedError`` with a reason to show."""
    if not data:
        raise PhotoRejectedError("The file is empty")
    if len(data) > max_bytes:
        raise PhotoRejectedError(
            f"The photograph must be smaller than {max_bytes // (1024 * 1024)} MB"
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejectedError("The photograph has too many pixels")
            probe.verify()
        if kind not in ACCEPTED_FORMATS:
            raise PhotoRejectedError("The file must be a JPEG, PNG or WebP photograph")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            pixels = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejectedError("The file must be a JPEG, PNG or WebP photograph") from None
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(data=out.getvalue(), width=clean.width, height=clean.height)
