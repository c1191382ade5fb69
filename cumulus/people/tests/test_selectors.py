"""Search finds children by name, date of birth, NHS number or UPN, among those visible."""

import datetime as dt

import pytest

from cumulus.people.selectors import ChildSearch, child_search
from cumulus.testing.factories import ChildFactory, InvolvementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer():
    return UserFactory()


def _child_for(viewer, **person):
    child = ChildFactory(person=PersonFactory(**person))
    InvolvementFactory(child=child, practitioner=viewer, agency=viewer.agency)
    return child


def test_search_by_name_matches_given_and_family_name_prefixes(viewer):
    ada = _child_for(viewer, given_name="Ada", family_name="Lovelace")
    _child_for(viewer, given_name="Grace", family_name="Hopper")

    assert list(child_search(viewer=viewer, search=ChildSearch(name="ada love"))) == [ada]
    assert list(child_search(viewer=viewer, search=ChildSearch(name="LOVELACE"))) == [ada]


def test_search_by_date_of_birth(viewer):
    child = _child_for(viewer, date_of_birth=dt.date(2016, 2, 29))
    _child_for(viewer, date_of_birth=dt.date(2016, 3, 1))
    found = child_search(viewer=viewer, search=ChildSearch(date_of_birth=dt.date(2016, 2, 29)))
    assert list(found) == [child]


def test_search_by_nhs_number_ignores_spaces(viewer):
    child = _child_for(viewer)
    spaced = f"{child.nhs_number[:3]} {child.nhs_number[3:6]} {child.nhs_number[6:]}"
    assert list(child_search(viewer=viewer, search=ChildSearch(nhs_number=spaced))) == [child]


def test_search_by_upn_ignores_case(viewer):
    child = _child_for(viewer)
    assert list(child_search(viewer=viewer, search=ChildSearch(upn=child.upn.lower()))) == [child]


def test_search_never_returns_a_child_the_viewer_may_not_see(viewer):
    hidden = ChildFactory(person=PersonFactory(given_name="Hidden", family_name="Child"))
    InvolvementFactory(child=hidden)  # someone else's involvement
    assert not child_search(viewer=viewer, search=ChildSearch(name="Hidden")).exists()
    assert not child_search(
        viewer=viewer, search=ChildSearch(nhs_number=hidden.nhs_number)
    ).exists()


def test_empty_search_returns_nothing(viewer):
    _child_for(viewer)
    assert not child_search(viewer=viewer, search=ChildSearch()).exists()
