"""A confidential address (a refuge) is read only by the roles named for it; everyone else,
the subject access package and the linkage review page see that it is confidential."""

import pytest
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.linkage.selectors import child_postcode
from cumulus.people.policies import CONFIDENTIAL_ADDRESS
from cumulus.rights.selectors import subject_access_package
from cumulus.testing.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def refuge_child():
    involvement = InvolvementFactory()
    household = HouseholdFactory(
        address_line_1="1 Hidden Lane",
        postcode="LS1 4AP",
        is_confidential=True,
        confidential_contact="the allocated social worker",
    )
    HouseholdMembershipFactory(household=household, person=involvement.child.person)
    return involvement


def _page(client, user, child):
    client.force_login(user)
    response = client.get(reverse("web:child-detail", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_practitioner_without_the_role_sees_that_it_is_confidential_and_whom_to_ask(
    client, refuge_child
):
    refuge_child.practitioner.role = Role.FRONTLINE_PRACTITIONER
    refuge_child.practitioner.save()
    page = _page(client, refuge_child.practitioner, refuge_child.child)
    assert "Hidden Lane" not in page
    assert "LS1 4AP" not in page
    assert CONFIDENTIAL_ADDRESS in page
    assert "Ask the allocated social worker" in page


def test_the_named_roles_read_it(client, refuge_child):
    social_worker = UserFactory(role=Role.SOCIAL_WORKER, agency=refuge_child.agency)
    InvolvementFactory(
        child=refuge_child.child, agency=refuge_child.agency, practitioner=social_worker
    )
    assert "1 Hidden Lane" in _page(client, social_worker, refuge_child.child)


def test_roles_can_be_named_per_address(client, refuge_child):
    household = refuge_child.child.person.memberships.get().household
    household.confidential_roles = "designated_safeguarding_lead"
    household.save()
    social_worker = UserFactory(role=Role.SOCIAL_WORKER, agency=refuge_child.agency)
    InvolvementFactory(
        child=refuge_child.child, agency=refuge_child.agency, practitioner=social_worker
    )
    assert "Hidden Lane" not in _page(client, social_worker, refuge_child.child)
    dsl = UserFactory(role=Role.DESIGNATED_SAFEGUARDING_LEAD, agency=refuge_child.agency)
    assert "1 Hidden Lane" in _page(client, dsl, refuge_child.child)


def test_it_never_leaves_in_a_subject_access_package_or_a_linkage_review(refuge_child):
    package, _ = subject_access_package(child=refuge_child.child)
    assert [h["address"] for h in package["homes"]] == [CONFIDENTIAL_ADDRESS]
    assert "Hidden Lane" not in str(package)
    assert child_postcode(refuge_child.child.pk) == CONFIDENTIAL_ADDRESS


def test_an_ordinary_address_is_shown_as_before(client):
    involvement = InvolvementFactory()
    household = HouseholdFactory(address_line_1="2 Open Road", postcode="LS1 4AP")
    HouseholdMembershipFactory(household=household, person=involvement.child.person)
    assert "2 Open Road" in _page(client, involvement.practitioner, involvement.child)
    assert child_postcode(involvement.child.pk) == "LS1 4AP"
