"""Need to know: a child is visible only through an active involvement."""

import datetime as dt

import pytest

from cumulus.accounts.models import Role
from cumulus.people.policies import can_view_child, visible_children
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def test_practitioner_sees_child_they_are_actively_involved_with():
    involvement = InvolvementFactory()
    assert can_view_child(involvement.practitioner, involvement.child)
    assert list(visible_children(user=involvement.practitioner)) == [involvement.child]


def test_practitioner_does_not_see_a_child_without_involvement():
    involvement = InvolvementFactory()
    stranger = UserFactory()
    assert not can_view_child(stranger, involvement.child)
    assert not visible_children(user=stranger).exists()


def test_ended_involvement_no_longer_grants_access():
    involvement = InvolvementFactory(
        started_on=TODAY - dt.timedelta(days=400), ended_on=TODAY - dt.timedelta(days=1)
    )
    assert not can_view_child(involvement.practitioner, involvement.child)


def test_involvement_ending_today_still_grants_access():
    involvement = InvolvementFactory(started_on=TODAY - dt.timedelta(days=30), ended_on=TODAY)
    assert can_view_child(involvement.practitioner, involvement.child)


def test_future_involvement_does_not_grant_access_yet():
    involvement = InvolvementFactory(started_on=TODAY + dt.timedelta(days=1))
    assert not can_view_child(involvement.practitioner, involvement.child)


@pytest.mark.parametrize("role", [Role.DESIGNATED_SAFEGUARDING_LEAD, Role.TEAM_MANAGER])
def test_agency_wide_roles_see_every_child_their_agency_works_with(role):
    involvement = InvolvementFactory()
    lead = UserFactory(agency=involvement.agency, role=role)
    assert can_view_child(lead, involvement.child)


def test_colleague_in_the_same_agency_without_a_designated_role_does_not_see_the_child():
    involvement = InvolvementFactory()
    colleague = UserFactory(agency=involvement.agency, role=Role.FRONTLINE_PRACTITIONER)
    assert not can_view_child(colleague, involvement.child)


def test_designated_lead_of_another_agency_does_not_see_the_child():
    involvement = InvolvementFactory()
    other_lead = UserFactory(agency=AgencyFactory(), role=Role.DESIGNATED_SAFEGUARDING_LEAD)
    assert not can_view_child(other_lead, involvement.child)


def test_suspended_account_sees_nothing():
    involvement = InvolvementFactory()
    involvement.practitioner.is_active = False
    involvement.practitioner.save()
    assert not can_view_child(involvement.practitioner, involvement.child)


def test_archived_child_is_not_visible():
    involvement = InvolvementFactory()
    involvement.child.person.is_archived = True
    involvement.child.person.save()
    assert not visible_children(user=involvement.practitioner).exists()
