"""The session engine: Django's database sessions, kept in ``accounts.UserSession`` under a
hash of their key, with who, from where and since when (ADR 1003).

``SESSION_ENGINE = "cumulus.accounts.sessions"``. It behaves as Django's ``db`` engine: the
cookie carries a random key, the row carries the signed data and the expiry. Two differences:

- the row is found by ``sha256(key)``; the key itself is stored nowhere on the server;
- each save copies into columns what the owner's list of sessions shows: the user (from
  Django's ``_auth_user_id``), when the session began (``SessionTimeoutMiddleware``'s clock),
  the client's address and browser (put in the session by the same middleware when they
  change), and the time of the save as last activity. A session is saved only when its data
  changes, and the middleware refreshes its last-seen time at most once a minute, so reading
  pages costs at most one write a minute.

Ending a session is deleting its row (``accounts.services``): the next request with that
cookie finds nothing and is anonymous.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cumulus.core import clock

# Session data keys written by ``cumulus.accounts.middleware`` and copied into columns here.
STARTED = "cumulus_session_started"
SEEN = "cumulus_session_seen"
CLIENT = "cumulus_session_client"


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _user_id(data: dict[str, Any]) -> int | None:
    value = data.get(SESSION_KEY)
    return int(value) if isinstance(value, (int, str)) and str(value).isdigit() else None


class SessionStore(SessionBase):
    @classmethod
    def get_model_class(cls) -> Any:
        from cumulus.accounts.models import UserSession

        return UserSession

    def _row(self) -> Any:
        if not self.session_key:
            return None
        return (
            self.get_model_class()
            .objects.filter(key_hash=key_hash(self.session_key), expire_date__gt=timezone.now())
            .first()
        )

    def load(self) -> dict[str, Any]:
        row = self._row()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row.session_data)

    def exists(self, session_key: str) -> bool:
        return bool(self.get_model_class().objects.filter(key_hash=key_hash(session_key)).exists())

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()  # type: ignore[attr-defined]
            try:
                self.save(must_create=True)
            except CreateError:
                continue  # the key was taken: try another
            self.modified = True
            return

    def _columns(self, data: dict[str, Any]) -> dict[str, Any]:
        ip, agent = (data.get(CLIENT) or [None, ""])[:2]
        columns: dict[str, Any] = {
            "session_data": self.encode(data),
            "expire_date": self.get_expiry_date(),
            "user_id": _user_id(data),
            "last_activity_at": clock.now(),
            "ip_address": ip or None,
            "user_agent": (agent or "")[:300],
        }
        if isinstance(data.get(STARTED), (int, float)):
            columns["started_at"] = dt.datetime.fromtimestamp(data[STARTED], tz=dt.UTC)
        return columns

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        columns = self._columns(data)
        hashed = key_hash(self._get_or_create_session_key())  # type: ignore[attr-defined]
        model = self.get_model_class()
        if must_create:
            columns.setdefault("started_at", columns["last_activity_at"])
            try:
                with transaction.atomic():
                    model.objects.create(key_hash=hashed, **columns)
            except IntegrityError:
                raise CreateError from None
        elif not model.objects.filter(key_hash=hashed).update(**columns):
            # The row is gone: the session was ended (or expired) while this request ran.
            raise UpdateError

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key:
            self.get_model_class().objects.filter(key_hash=key_hash(session_key)).delete()

    @classmethod
    def clear_expired(cls) -> None:
        cls.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()

    # The service is synchronous (WSGI); the async API does the same work in a thread.
    async def aload(self) -> dict[str, Any]:
        return await sync_to_async(self.load)()

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def acreate(self) -> None:
        await sync_to_async(self.create)()

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)

    @classmethod
    async def aclear_expired(cls) -> None:
        await sync_to_async(cls.clear_expired)()
