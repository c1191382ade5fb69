"""Sessions end after a spell of inactivity and, whatever happens, after a maximum age.

Django's own cookie age gives the maximum (``CUMULUS_SESSION_SECONDS``, 8 hours). This
middleware adds the idle limit (``CUMULUS_SESSION_IDLE_SECONDS``, 30 minutes): it keeps when
the session started and when it was last used, and signs the user out once either limit has
passed, or once an administrator has ended the user's sessions (``sessions_ended_at``: every
session that started before then is signed out). It writes the session at most once a minute,
so reading pages costs no write each time. It also keeps the client's address and browser in
the session when they change, for the user's own list of sessions (``accounts.sessions``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from cumulus.accounts.sessions import CLIENT, SEEN, STARTED
from cumulus.core import clock
from cumulus.core.network import client_address

__all__ = ["SEEN", "STARTED", "NoStoreMiddleware", "SessionTimeoutMiddleware"]
_TOUCH_SECONDS = 60


def session_clock_start(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """On every sign-in (``user_logged_in``), the idle and maximum-age clocks start again."""
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = now - seen > settings.CUMULUS_SESSION_IDLE_SECONDS
            too_old = now - started > settings.SESSION_COOKIE_AGE
            ended_at = getattr(user, "sessions_ended_at", None)
            ended = ended_at is not None and started <= ended_at.timestamp()
            if idle or too_old or ended:
                logout(request)
            else:
                if STARTED not in request.session:
                    request.session[STARTED] = now
                if SEEN not in request.session or now - seen >= _TOUCH_SECONDS:
                    request.session[SEEN] = now
                client = [client_address(request), request.headers.get("User-Agent", "")[:300]]
                if request.session.get(CLIENT) != client:
                    request.session[CLIENT] = client
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page Cumulus draws may hold personal data: no browser or proxy may keep a copy.

    ``Cache-Control: no-store`` (with Django's ``never_cache`` set: ``no-cache``,
    ``must-revalidate``, ``private``, ``max-age=0`` and an ``Expires`` in the past) on every
    response the views produce, so the back button on a shared council computer, or a caching
    proxy, cannot show a child's record to the next person. Static files are served earlier by
    WhiteNoise with their own long cache headers and never reach this middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
