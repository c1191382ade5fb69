"""The cast of a journey for tests: a school, the front door, early help and social care."""

from __future__ import annotations

from dataclasses import dataclass

from cumulus.accounts.models import Agency, AgencyType, Role, User
from cumulus.people.models import Child, Involvement
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory


@dataclass
class Cast:
    teacher: User
    child: Child
    involvement: Involvement
    csc: Agency
    front_door: User
    team_manager: User
    social_worker: User
    early_help: Agency
    lead_practitioner: User
    health_visitor: User


def _user(**fields: object) -> User:
    # No password: hashing with Argon2 costs a second per user on a busy machine, and these
    # tests sign in with ``force_login``.
    user: User = UserFactory.create(password=None, **fields)
    return user


def journey_cast() -> Cast:
    csc = AgencyFactory.create(
        name="Children's Social Care", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
    )
    early_help = AgencyFactory.create(name="Early Help Service", agency_type=AgencyType.EARLY_HELP)
    health = AgencyFactory.create(name="Health Visiting", agency_type=AgencyType.HEALTH_VISITING)
    teacher = _user()
    involvement = InvolvementFactory.create(practitioner=teacher)
    return Cast(
        teacher=teacher,
        child=involvement.child,
        involvement=involvement,
        csc=csc,
        front_door=_user(agency=csc, role=Role.FRONT_DOOR_DECISION_MAKER),
        team_manager=_user(agency=csc, role=Role.TEAM_MANAGER),
        social_worker=_user(agency=csc, role=Role.SOCIAL_WORKER),
        early_help=early_help,
        lead_practitioner=_user(agency=early_help, role=Role.EARLY_HELP_PRACTITIONER),
        health_visitor=_user(agency=health, role=Role.FRONTLINE_PRACTITIONER),
    )
