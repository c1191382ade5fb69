"""Shared output of the import and export commands: one summary line, non-zero on quarantine."""

from __future__ import annotations

from django.core.management.base import CommandError


class QuarantineExit(CommandError):
    """Records were quarantined: exit 1 so scripts notice."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=1)
