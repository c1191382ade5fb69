"""Guards against N+1 queries on the main pages: each page's query count must not grow with
the number of children, events, plans or concerns it shows (found while load testing)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.casework.models import PlanType
from cumulus.casework.services import concern_record
from cumulus.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Ceilings measured on the pages as they are, with a little room; a page doing one query per
# row shown blows through them at once (the fixtures show 12 of everything).
# On PostgreSQL each signed-in request also opens its row-level security transaction: a
# savepoint, one set_config statement and its release (cumulus.people.rls), per request.
_RLS = 3 if connection.vendor == "postgresql" else 0
MAX_QUERIES = {
    "home": 12 + _RLS,
    "child-detail": 25 + _RLS,
    "child-search": 12 + _RLS,
    "child-access-log": 15 + _RLS,  # + the hash chain's advisory lock on PostgreSQL
    "front-door": 12 + _RLS,
    "inbox": 12 + _RLS,
}
ROWS = 12


def _count(client, url, params=None) -> int:
    """Queries of a page in steady state: after one warm-up request, because the first request
    of a session also records its last activity (at most once a minute, ADR 1003)."""
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.fixture
def manager():
    agency = AgencyFactory(agency_type="childrens_social_care")
    return UserFactory(agency=agency, role=Role.TEAM_MANAGER)


def _children(manager, n):
    children = []
    for i in range(n):
        child = ChildFactory(person__family_name=f"Queryson{i:02d}")
        InvolvementFactory(child=child, practitioner=UserFactory(agency=manager.agency))
        HouseholdMembershipFactory(person=child.person)
        PlanFactory(child=child, plan_type=PlanType.CHILD_IN_NEED)
        children.append(child)
    return children


def test_home_and_search_do_not_query_per_child(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    _children(manager, 2)
    few_home = _count(client, reverse("web:home"))
    few_search = _count(client, reverse("web:child-search"), {"name": "Queryson"})
    _children(manager, ROWS)
    assert _count(client, reverse("web:home")) == few_home
    assert _count(client, reverse("web:child-search"), {"name": "Queryson"}) == few_search
    with django_assert_max_num_queries(MAX_QUERIES["home"]):
        client.get(reverse("web:home"))
    with django_assert_max_num_queries(MAX_QUERIES["child-search"]):
        client.get(reverse("web:child-search"), {"name": "Queryson"})


def test_child_page_does_not_query_per_event_plan_or_involvement(
    client, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    (child,) = _children(manager, 1)
    url = reverse("web:child-detail", args=[child.pk])
    ChronologyEventFactory(child=child)
    few = _count(client, url)
    for _ in range(ROWS):
        ChronologyEventFactory(child=child)
        PlanFactory(child=child, plan_type=PlanType.EARLY_HELP)
        InvolvementFactory(child=child)
    assert _count(client, url) == few
    with django_assert_max_num_queries(MAX_QUERIES["child-detail"]):
        client.get(url)
    access_log = reverse("web:child-access-log", args=[child.pk])
    few_log = _count(client, access_log)
    for _ in range(ROWS):
        client.get(url)
    assert _count(client, access_log) == few_log
    with django_assert_max_num_queries(MAX_QUERIES["child-access-log"]):
        client.get(access_log)


def test_front_door_queue_and_inbox_do_not_query_per_concern(client, django_assert_max_num_queries):
    csc = AgencyFactory(agency_type="childrens_social_care")
    front_door = UserFactory(agency=csc, role=Role.FRONT_DOOR_DECISION_MAKER)
    referrer = UserFactory()

    def concerns(n):
        for _ in range(n):
            child = ChildFactory()
            InvolvementFactory(child=child, practitioner=referrer)
            InvolvementFactory(child=child, agency=csc, practitioner=None)
            concern_record(actor=referrer, child=child, summary="Hungry again")

    client.force_login(front_door)
    concerns(2)
    few = _count(client, reverse("web:front-door"))
    concerns(ROWS)
    assert _count(client, reverse("web:front-door")) == few
    with django_assert_max_num_queries(MAX_QUERIES["front-door"]):
        client.get(reverse("web:front-door"))
    client.force_login(referrer)
    with django_assert_max_num_queries(MAX_QUERIES["inbox"]):
        client.get(reverse("web:inbox"))
