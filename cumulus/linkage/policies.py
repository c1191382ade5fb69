"""Who may do what in linkage.

Deciding a pair shows two people's identifying details side by side, so it is a named
permission (``linkage.review_pair``), given to the partnership's linkage analysts through a
group, not to every practitioner. Undoing a decision and training models need
``linkage.manage_linkage``. Every look at a pair is written to the access log.
"""

from __future__ import annotations

from cumulus.accounts.models import User


def can_review_pairs(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("linkage.review_pair"))


def can_manage_linkage(user: User) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("linkage.manage_linkage")
    )
