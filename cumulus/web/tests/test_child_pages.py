"""The child's page, search and the 'who viewed this record' page, through the real URLs."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.casework.models import PlanType
from cumulus.codelists.models import Scheme
from cumulus.people.models import Relationship, RelationshipType
from cumulus.testing.factories import (
    ChildFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PlanFactory,
    UserFactory,
    code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def involvement():
    return InvolvementFactory(child=ChildFactory(person=PersonFactory(given_name="Ada")))


@pytest.fixture
def practitioner_client(client, involvement):
    client.force_login(involvement.practitioner)
    return client


def _detail(child):
    return reverse("web:child-detail", args=[child.pk])


def _strip_request_specific(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_child_page_shows_identity_household_agencies_open_episodes_and_chronology(
    practitioner_client, involvement
):
    child = involvement.child
    parent = PersonFactory(given_name="Parentname")
    membership = HouseholdMembershipFactory(person=child.person)
    HouseholdMembershipFactory(person=parent, household=membership.household)
    Relationship.objects.create(
        person=parent,
        relative=child.person,
        relationship_type=RelationshipType.PARENT,
        has_parental_responsibility=True,
    )
    PlanFactory(
        child=child,
        plan_type=PlanType.CHILD_PROTECTION,
        initial_category=code(Scheme.CATEGORY_OF_ABUSE, "NEG"),
        latest_category=code(Scheme.CATEGORY_OF_ABUSE, "NEG"),
    )
    PlanFactory(child=child, plan_type=PlanType.EARLY_HELP, ended_on=dt.date(2026, 2, 1))
    older = ChronologyEventFactory(
        child=child, occurred_at=timezone.make_aware(dt.datetime(2025, 1, 1, 9)), summary="OLDER"
    )
    newer = ChronologyEventFactory(
        child=child, occurred_at=timezone.make_aware(dt.datetime(2026, 6, 1, 9)), summary="NEWER"
    )

    response = practitioner_client.get(_detail(child))

    assert response.status_code == 200
    html = response.content.decode()
    assert child.nhs_number in html
    assert membership.household.postcode in html
    assert "Parentname" in html
    assert str(involvement.agency) in html
    assert "Child protection plan" in html
    assert 'data-testid="cp-category">Neglect' in html
    assert html.index(newer.summary) < html.index(older.summary)
    assert [p.plan_type for p in response.context["open_plans"]] == [PlanType.CHILD_PROTECTION]


def test_child_page_of_a_child_without_involvement_is_404_exactly_like_a_missing_child(client):
    stranger = UserFactory()
    hidden = InvolvementFactory().child
    client.force_login(stranger)

    forbidden = client.get(_detail(hidden))
    missing = client.get(reverse("web:child-detail", args=[hidden.pk + 10_000]))

    assert forbidden.status_code == missing.status_code == 404
    assert _strip_request_specific(forbidden.content.decode()) == _strip_request_specific(
        missing.content.decode()
    )
    assert not AccessLogEntry.objects.filter(action=AccessAction.VIEW_CHILD).exists()


def test_a_refused_child_page_is_logged_as_denied_with_the_child_and_request(client):
    stranger = UserFactory()
    hidden = InvolvementFactory().child
    client.force_login(stranger)

    response = client.get(reverse("web:child-access-log", args=[hidden.pk]))

    assert response.status_code == 404
    entry = AccessLogEntry.objects.get(action=AccessAction.DENIED)
    assert (entry.actor, entry.child_id, entry.view_name) == (
        stranger,
        hidden.pk,
        "web:child-access-log",
    )
    assert entry.request_id == response["X-Request-ID"]
    assert entry.detail == {"status": 404}


def test_pages_need_sign_in(client, involvement):
    for url in (reverse("web:home"), reverse("web:child-search"), _detail(involvement.child)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:sign-in"))


def test_viewing_a_child_is_logged_with_the_request_id(practitioner_client, involvement):
    response = practitioner_client.get(_detail(involvement.child), HTTP_USER_AGENT="pytest")

    entry = AccessLogEntry.objects.get(action=AccessAction.VIEW_CHILD)
    assert entry.child_id == involvement.child.pk
    assert entry.actor == involvement.practitioner
    assert entry.request_id == response["X-Request-ID"]
    assert entry.view_name == "web:child-detail"
    assert entry.user_agent == "pytest"


def test_search_finds_visible_child_and_is_logged(practitioner_client, involvement):
    response = practitioner_client.get(reverse("web:child-search"), {"name": "Ada"})

    assert response.status_code == 200
    assert response.context["results"] == [involvement.child]
    entry = AccessLogEntry.objects.get(action=AccessAction.SEARCH)
    assert entry.detail["name"] == "Ada"
    assert entry.detail["results"] == 1


def test_search_by_date_of_birth_parts(practitioner_client, involvement):
    born = involvement.child.date_of_birth
    response = practitioner_client.get(
        reverse("web:child-search"),
        {"dob_day": born.day, "dob_month": born.month, "dob_year": born.year},
    )
    assert response.context["results"] == [involvement.child]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"nhs_number": "9434765918"}, "check digit is wrong"),
        ({"upn": "B207000016049"}, "check letter should be P"),
        ({"dob_day": "31", "dob_month": "2", "dob_year": "2020"}, "must be a real date"),
        ({"dob_day": "3", "dob_year": "2020"}, "must include a day, month and year"),
        ({"name": "   "}, "Enter a name, date of birth, NHS number or UPN"),
    ],
)
def test_bad_search_input_gets_a_specific_error_and_is_not_run(
    practitioner_client, params, message
):
    response = practitioner_client.get(reverse("web:child-search"), params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not AccessLogEntry.objects.filter(action=AccessAction.SEARCH).exists()


def test_team_manager_sees_who_viewed_the_record(client, involvement):
    client.force_login(involvement.practitioner)
    client.get(_detail(involvement.child))
    manager = UserFactory(agency=involvement.agency, role=Role.TEAM_MANAGER)
    client.force_login(manager)

    response = client.get(reverse("web:child-access-log", args=[involvement.child.pk]))

    assert response.status_code == 200
    assert involvement.practitioner.username in response.content.decode()
    assert AccessLogEntry.objects.filter(
        action=AccessAction.VIEW_ACCESS_LOG, actor=manager
    ).exists()


def test_frontline_practitioner_cannot_see_who_viewed_the_record(practitioner_client, involvement):
    response = practitioner_client.get(reverse("web:child-access-log", args=[involvement.child.pk]))
    assert response.status_code == 404


def test_home_lists_the_practitioners_own_children(practitioner_client, involvement):
    response = practitioner_client.get(reverse("web:home"))
    assert list(response.context["children"]) == [involvement.child]


def test_designated_lead_home_lists_every_child_the_agency_works_with(client, involvement):
    colleague_child = InvolvementFactory(agency=involvement.agency).child
    lead = UserFactory(agency=involvement.agency, role=Role.DESIGNATED_SAFEGUARDING_LEAD)
    elsewhere = InvolvementFactory().child  # another agency's child
    client.force_login(lead)
    children = list(client.get(reverse("web:home")).context["children"])
    assert set(children) == {involvement.child, colleague_child}
    assert elsewhere not in children


def test_sign_in_page_enforces_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("web:sign-in"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_static_assets_are_local_not_from_a_cdn(practitioner_client):
    html = practitioner_client.get(reverse("web:home")).content.decode()
    assert "/static/cumulus/cumulus.css" in html
    assert "/static/cumulus/init.mjs" in html
    assert not re.search(r"(src|href)=\"https?://", html)


def test_every_page_sends_a_strict_content_security_policy(practitioner_client):
    policy = practitioner_client.get(reverse("web:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["style-src"]
