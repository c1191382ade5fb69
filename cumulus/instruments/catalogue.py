"""The deployment's instruments: shipped definitions plus the packs in
``CUMULUS_INSTRUMENT_PACKS_DIR`` (default ``$CUMULUS_VAR_DIR/instrument-packs``, outside the
repository), reloaded when a file changes, so adding a pack needs no restart."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from cumulus.instruments.engine.registry import (
    DEFINITIONS_DIR,
    Instrument,
    Registry,
    load_instruments,
)


def packs_dir() -> Path:
    configured = getattr(settings, "CUMULUS_INSTRUMENT_PACKS_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "instrument-packs"


def _fingerprint(folder: Path | None) -> tuple[tuple[str, float], ...]:
    files = sorted(DEFINITIONS_DIR.glob("*.yaml"))
    if folder is not None and folder.is_dir():
        files += sorted(folder.glob("*.y*ml"))
    return tuple((str(p), p.stat().st_mtime) for p in files)


@lru_cache(maxsize=4)
def _load(folder: Path | None, fingerprint: tuple[tuple[str, float], ...]) -> Registry:
    return load_instruments(packs_dir=folder)


def registry() -> Registry:
    folder = packs_dir()
    return _load(folder, _fingerprint(folder))


def instrument_get(instrument_id: str) -> Instrument | None:
    return registry().instruments.get(instrument_id)
