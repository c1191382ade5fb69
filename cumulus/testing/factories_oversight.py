"""Factories and helpers for the escalation, interventions, supervision and voice tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cumulus.accounts.models import AgencyType, Role, User
from cumulus.casework.models import Contact, FrontDoorOutcome
from cumulus.core import clock
from cumulus.people.models import Child
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory


def fix_today(monkeypatch: Any, day: dt.date) -> None:
    """Make ``clock.now()`` (and so ``clock.today()``) answer noon on ``day`` in England."""
    moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12, 0))
    monkeypatch.setattr(clock, "now", lambda: moment)


def practitioner_for(
    child: Child, *, role: str = Role.FRONTLINE_PRACTITIONER, **agency: Any
) -> User:
    """A practitioner of a new agency with an active involvement with ``child``."""
    user = UserFactory.create(agency=AgencyFactory.create(**agency), role=role)
    InvolvementFactory(
        child=child, practitioner=user, agency=user.agency, started_on=dt.date(2020, 1, 1)
    )
    return user


def manager_for(child: Child) -> User:
    """A team manager of children's social care, which is involved with ``child``."""
    csc = AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    InvolvementFactory(child=child, agency=csc, practitioner=None, started_on=dt.date(2020, 1, 1))
    return UserFactory.create(agency=csc, role=Role.TEAM_MANAGER)


def decided_contact(child: Child, *, referrer: User, decided_by: User) -> Contact:
    """A contact the front door has already decided (no further action)."""
    assert referrer.agency is not None
    return Contact.objects.create(
        child=child,
        received_on=clock.today(),
        agency=referrer.agency,
        recorded_by=referrer,
        summary="Often unsupervised in the evenings.",
        outcome=FrontDoorOutcome.NO_FURTHER_ACTION,
        decision_rationale="No evidence of unmet need.",
        decided_at=clock.now(),
        decided_by=decided_by,
    )
