"""The agency-wide home page and the front door queue page through thousands of rows without
counting them all: in order, a page at a time, "or more" when the count stops short."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.casework.models import Contact
from cumulus.people.models import RecordRestriction
from cumulus.testing.factories import (
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)
from cumulus.web.pagination import CappedPaginator

pytestmark = pytest.mark.django_db

NAMES = ["Young", "Abbott", "Marsh", "Abbott", "Quinn", "Evans", "Marsh", "Brook", "Oakes"]


@pytest.fixture
def agency():
    return AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)


def _involve(agency, family_name, given_name="Sam"):
    person = PersonFactory(family_name=family_name, given_name=given_name)
    return InvolvementFactory(agency=agency, child=ChildFactory(person=person)).child


def test_the_capped_paginator_counts_a_few_pages_past_the_one_asked_for(agency):
    for i, name in enumerate(NAMES * 3):
        _involve(agency, name, f"Kit{i:02d}")
    assert CappedPaginator(Contact.objects.none(), 2).get_page(1).paginator.count == 0
    from cumulus.people.models import Person

    people = Person.objects.order_by("pk")  # 27 people
    first = CappedPaginator(people, 2, pages_ahead=3).get_page(1)
    assert (first.paginator.count, first.paginator.num_pages, first.paginator.more) == (8, 4, True)
    assert first.has_next()
    later = CappedPaginator(people, 2, pages_ahead=3).get_page(12)
    assert (later.paginator.count, later.paginator.more, later.has_next()) == (27, False, True)
    assert list(later) == list(people)[22:24]
    last = CappedPaginator(people, 2, pages_ahead=3).get_page(14)
    assert (last.has_next(), list(last)) == (False, list(people)[26:])
    assert CappedPaginator(people, 2, pages_ahead=3).get_page("x").number == 1


def test_agency_wide_home_pages_children_in_name_order(client, agency, monkeypatch):
    monkeypatch.setattr("cumulus.web.views.LIST_PAGE_SIZE", 2)
    children = [_involve(agency, name, f"Kit{i}") for i, name in enumerate(NAMES)]
    archived = _involve(agency, "Aaron").person
    archived.is_archived = True
    archived.save()
    InvolvementFactory(child=ChildFactory(person=PersonFactory(family_name="Aardvark")))
    manager = UserFactory(agency=agency, role=Role.TEAM_MANAGER)
    client.force_login(manager)
    expected = sorted(children, key=lambda c: (c.person.family_name, c.person.given_name, c.pk))
    seen = []
    for number in range(1, 6):
        page = client.get(reverse("web:home"), {"page": number}).context["children"]
        seen += list(page)
    assert seen == expected
    html = client.get(reverse("web:home")).content.decode()
    assert f"working with now ({len(NAMES)})" in html
    assert "Page 1 of 5</p>" in html


def test_a_long_home_page_says_or_more(client, agency, monkeypatch):
    monkeypatch.setattr("cumulus.web.views.LIST_PAGE_SIZE", 1)
    for i in range(13):
        _involve(agency, f"Name{i:02d}")
    client.force_login(UserFactory(agency=agency, role=Role.DESIGNATED_SAFEGUARDING_LEAD))
    html = client.get(reverse("web:home")).content.decode()
    assert "working with now (more than 11)" in html
    assert "Page 1 of 11 or more</p>" in html
    assert "Name00" in html
    assert "Name01" not in html


def test_the_front_door_queue_is_oldest_due_first_and_keeps_need_to_know(client, agency):
    front_door = UserFactory(agency=agency, role=Role.FRONT_DOOR_DECISION_MAKER)
    today = dt.date.today()
    due = [3, 1, 2, 1]
    contacts = []
    for days in due:
        child = _involve(agency, "Marsh")
        contacts.append(
            Contact.objects.create(
                child=child,
                agency=agency,
                received_on=today,
                decision_due_on=today + dt.timedelta(days=days),
                summary="Concern.",
            )
        )
    other = InvolvementFactory().child  # no involvement of the front door's agency
    Contact.objects.create(
        child=other, agency=agency, received_on=today, decision_due_on=today, summary="Concern."
    )
    restricted = contacts[0].child
    RecordRestriction.objects.create(
        child=restricted, reason="adoption", contact="Adoption team", set_by=front_door
    )
    client.force_login(front_door)
    queue = list(client.get(reverse("web:front-door")).context["contacts"])
    assert queue == [contacts[1], contacts[3], contacts[2]]
