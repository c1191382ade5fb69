"""Sign-in: django-axes counts failures and locks out; a dormant account cannot sign in.

``SignInLockoutBackend`` comes first in ``AUTHENTICATION_BACKENDS``: it is axes's standalone
backend, which refuses a locked-out username and address pair before any password is
checked. A sign-in without a request (the test client's ``login()``, a shell) has no address
to key a lockout on and is not a web sign-in, so it passes through to the next backend.

``CumulusBackend`` is Django's model backend with one more refusal: an account nobody has
used for ``CUMULUS_DORMANT_DAYS`` days is treated as inactive, even before the nightly
``cumulus disable_dormant_accounts`` has switched it off.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from cumulus.accounts.policies import is_dormant


class SignInLockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class CumulusBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return bool(super().user_can_authenticate(user)) and not is_dormant(user)
