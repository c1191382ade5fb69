"""Writes to accounts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cumulus.accounts.models import User, UserSession
from cumulus.accounts.policies import can_end_sessions, dormant_since
from cumulus.accounts.sessions import key_hash
from cumulus.core import clock
from cumulus.core.errors import CumulusError


class NotAllowedError(CumulusError):
    """The actor's role may not do this."""


@transaction.atomic
def dormant_accounts_disable(*, now: dt.datetime | None = None) -> list[str]:
    """Switch off every active account unused for ``CUMULUS_DORMANT_DAYS``; return usernames.

    Nothing is deleted: an administrator can switch an account back on after checking the
    person still needs it (their history and the access log keep pointing at the same row).
    """
    cutoff = dormant_since(now=now)
    dormant = (
        User.objects.select_for_update()
        .filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    usernames = sorted(dormant.values_list("username", flat=True))
    User.objects.filter(username__in=usernames).update(is_active=False)
    UserSession.objects.filter(user__username__in=usernames).delete()
    return usernames


@transaction.atomic
def sessions_end(*, actor: User, user: User, reason: str) -> User:
    """Sign ``user`` out of every session now (they have left, or an account is suspect).

    Deletes every session row of theirs, so no cookie of theirs works any more, and sets
    ``sessions_ended_at`` (``SessionTimeoutMiddleware`` also signs out any session started before
    it). The account stays usable: to stop the person signing in again, also switch it off. The
    caller logs the action.
    """
    if not can_end_sessions(actor):
        raise NotAllowedError("Only an administrator can end someone's sessions.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the sessions are being ended"})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.sessions_ended_at = clock.now()
    user.save(update_fields=["sessions_ended_at"])
    user_sessions_end(user=user)
    return user


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of ``user`` on every device, except the one whose key is
    ``keep_session_key`` (the one they are using); return how many were ended.

    Their rows are deleted, so the cookies that named them sign nobody in any more. Called when
    the person's password changes, when they end their other sessions, and when an account is
    switched off or an administrator signs someone out.
    """
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(key_hash=key_hash(keep_session_key))
    ended, _ = sessions.delete()
    return ended


class UserSessionNotFoundError(CumulusError):
    """No session of the signed-in person has that id (it may be someone else's)."""


@transaction.atomic
def user_session_end(*, user: User, user_session_id: int) -> UserSession:
    """End one of ``user``'s own sessions (a phone left signed in, a shared computer).

    Another person's session answers exactly as one that does not exist. Returns the ended
    session (no longer in the database) for the caller's log entry.
    """
    session = UserSession.objects.select_for_update().filter(pk=user_session_id, user=user).first()
    if session is None:
        raise UserSessionNotFoundError("No such session")
    pk = session.pk
    session.delete()
    session.pk = pk  # Django clears it on delete; the log entry names the session
    return session
