"""Localities: the partnership's areas for planning provision.

Cumulus takes a family's locality to be the postcode district (the outward code, ``EM1`` of
``EM1 2AB``) of the child's current home, which every household already has; a partnership
whose localities are groups of districts maps them in the catalogue's capacity table.
"""

from __future__ import annotations

NO_LOCALITY = "Unknown"


def locality_of_postcode(postcode: str | None) -> str:
    """``"EM1 2AB"`` -> ``"EM1"``; a missing postcode -> ``"Unknown"``."""
    compact = (postcode or "").replace(" ", "").upper()
    if len(compact) < 5:
        return NO_LOCALITY
    return compact[:-3]
