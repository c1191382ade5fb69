"""Reads about agencies and practitioners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet

from cumulus.accounts.models import Agency, AgencyType, User, UserSession
from cumulus.accounts.sessions import key_hash
from cumulus.core import clock


class NoFrontDoorError(Exception):
    """The partnership has no children's social care agency to receive concerns."""


def front_door_agency() -> Agency:
    """Children's social care: the agency whose front door (MASH, hub) receives concerns."""
    agency = (
        Agency.objects.filter(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE, is_active=True)
        .order_by("pk")
        .first()
    )
    if agency is None:
        raise NoFrontDoorError("No children's social care agency is set up to receive concerns")
    return agency


@dataclass(frozen=True)
class SessionListed:
    """One of a person's own sessions as their list shows it."""

    pk: int
    started_at: dt.datetime
    last_activity_at: dt.datetime
    ip_address: str | None
    browser: str
    is_current: bool


@lru_cache(maxsize=512)
def browser_described(user_agent: str) -> str:
    """A browser's User-Agent header in words: "Edge 131 on Windows 10", "Unknown browser"."""
    from ua_parser import parse

    if not user_agent.strip():
        return "Unknown browser"
    result = parse(user_agent)
    agent, system, device = result.user_agent, result.os, result.device
    browser = f"{agent.family} {agent.major}" if agent and agent.major else None
    browser = browser or (agent.family if agent else None) or "Unknown browser"
    where = system.family if system else None
    if where and system and system.major:
        where = f"{where} {system.major}"
    if device and device.family not in {"Other", "Spider"} and device.family not in (where or ""):
        where = f"{where}, {device.family}" if where else device.family
    return f"{browser} on {where}" if where else browser


def user_sessions_active(*, user: User) -> QuerySet[UserSession]:
    """The sessions of ``user`` that would still let them in: not expired, not idle too long,
    not past their maximum age, not started before an administrator ended them all."""
    now = clock.now()
    sessions = UserSession.objects.filter(
        user=user,
        expire_date__gt=now,
        last_activity_at__gte=now - dt.timedelta(seconds=settings.CUMULUS_SESSION_IDLE_SECONDS),
        started_at__gte=now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )
    if user.sessions_ended_at is not None:
        sessions = sessions.filter(started_at__gt=user.sessions_ended_at)
    return sessions.order_by("-last_activity_at", "-pk")


def user_sessions_listed(*, user: User, current_session_key: str | None) -> list[SessionListed]:
    """Their own active sessions for the person to recognise, the one they are using first."""
    current = key_hash(current_session_key) if current_session_key else None
    listed = [
        SessionListed(
            pk=s.pk,
            started_at=s.started_at,
            last_activity_at=s.last_activity_at,
            ip_address=s.ip_address,
            browser=browser_described(s.user_agent),
            is_current=s.key_hash == current,
        )
        for s in user_sessions_active(user=user)
    ]
    return sorted(listed, key=lambda s: not s.is_current)
