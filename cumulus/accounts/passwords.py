"""Password checks beyond Django's own: words anyone would guess for this service.

Django's validators (configured in settings) refuse passwords under 12 characters, all-digit
ones, ones close to the user's name or e-mail, and the 20,000 most common passwords from
public breach corpora (``CommonPasswordValidator``, a list shipped inside Django, so nothing
is fetched). ASVS 6.2.11 also asks for a list of context-specific words: a council's staff
reach first for the service's and the partnership's names. This validator refuses a password
that is mostly one of them (once digits and symbols are stripped).

What is *not* checked: a live breached-password service such as Have I Been Pwned (Cumulus
fetches nothing at run time). A council can add a larger offline list with
``CUMULUS_PASSWORD_LIST_FILE`` (one password a line, optionally gzipped), which Django's
``CommonPasswordValidator`` then reads instead of its own.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

_BASE_WORDS = ("cumulus", "safeguarding", "safeguard", "partnership", "password", "council")


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class ContextWordsValidator:
    """Refuse a password that is little more than a word tied to this service."""

    def _words(self, user: Any) -> set[str]:
        words = {*_BASE_WORDS, *settings.CUMULUS_PARTNERSHIP_NAME.lower().split()}
        agency = getattr(user, "agency", None) if user is not None else None
        if agency is not None:
            words.update(str(agency.name).lower().split())
        return {_letters(w) for w in words if len(_letters(w)) >= 5}

    def validate(self, password: str, user: Any = None) -> None:
        letters = _letters(password)
        for word in self._words(user):
            if word in letters and len(letters) - len(word) < 6:
                raise ValidationError(
                    "This password is mostly a word anyone would guess here "
                    f"({word!r}); choose a longer phrase of unrelated words.",
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return "Your password cannot be mostly the name of this service, partnership or agency."
