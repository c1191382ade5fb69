"""A restricted record through the real URLs: the restricted page, search, the manager's page,
and each other path that reads a child (chronology export, linkage review, subject access,
the family view, the analytics extract) saying nothing of it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.family.models import FamilyRole
from cumulus.family.policies import family_child_ids
from cumulus.family.services import family_account_create
from cumulus.indicators.extract import extract_refresh
from cumulus.linkage.models import ReviewItem
from cumulus.people.models import RecordRestriction, Relationship, RelationshipType
from cumulus.people.services import record_restriction_set
from cumulus.rights.services import RightsRequestError, subject_access_prepare
from cumulus.testing.factories import (
    ChildFactory,
    ChronologyEventFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)
from cumulus.testing.factories_linkage import (
    LinkageModelFactory,
    SourceRecordFactory,
    linkage_analyst,
)

pytestmark = pytest.mark.django_db

ASK = "Duty manager, permanence team, 01632 960111"
NAME = "Quillon"


@pytest.fixture
def involvement():
    child = ChildFactory(person=PersonFactory(given_name="Wren", family_name=NAME))
    return InvolvementFactory(child=child)


@pytest.fixture
def manager(involvement):
    return UserFactory(role=Role.TEAM_MANAGER, agency=involvement.agency)


def _restrict(manager, child, roles=(Role.SOCIAL_WORKER,)):
    return record_restriction_set(
        actor=manager, child=child, reason="adoption", contact=ASK, allowed_roles=list(roles)
    )


def test_an_involved_practitioner_sees_the_restricted_page_and_the_look_is_logged(
    client, involvement, manager
):
    restriction = _restrict(manager, involvement.child)
    ChronologyEventFactory(child=involvement.child, summary="Placement with adopters")
    client.force_login(involvement.practitioner)
    for url in (
        reverse("web:child-detail", args=[involvement.child.pk]),
        reverse("chronology:child", args=[involvement.child.pk]),
        reverse("chronology:impact-export", args=[involvement.child.pk, "csv"]),
    ):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 403, url
        assert 'data-testid="restricted-heading"' in page
        assert ASK in page
        assert NAME not in page
        assert "Placement" not in page
        assert "adoption" not in page.lower()
        assert AccessLogEntry.objects.filter(
            actor=involvement.practitioner,
            action=AccessAction.DENIED,
            child_id=involvement.child.pk,
            path=url,
            detail__restricted=restriction.pk,
        ).exists()


def test_the_allowed_role_reads_it_with_a_banner(client, involvement, manager):
    _restrict(manager, involvement.child)
    social_worker = UserFactory(role=Role.SOCIAL_WORKER, agency=involvement.agency)
    InvolvementFactory(
        child=involvement.child, agency=involvement.agency, practitioner=social_worker
    )
    client.force_login(social_worker)
    page = client.get(reverse("web:child-detail", args=[involvement.child.pk])).content.decode()
    assert NAME in page
    assert 'data-testid="restriction-banner"' in page


def test_search_shows_only_restricted_and_whom_to_ask(client, involvement, manager):
    _restrict(manager, involvement.child)
    client.force_login(involvement.practitioner)
    page = client.get(reverse("web:child-search"), {"name": NAME}).content.decode()
    assert 'data-testid="restricted-result"' in page
    assert ASK in page
    assert f"{NAME}</a>" not in page
    assert reverse("web:child-detail", args=[involvement.child.pk]) not in page
    entry = AccessLogEntry.objects.get(actor=involvement.practitioner, action=AccessAction.SEARCH)
    assert entry.detail["restricted"] == 1
    assert entry.detail["results"] == 0


def test_a_manager_restricts_and_lifts_on_the_page_and_both_are_logged(
    client, involvement, manager
):
    client.force_login(manager)
    url = reverse("web:record-restriction", args=[involvement.child.pk])
    assert 'data-testid="restriction-set"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reason": "police_intelligence",
            "allowed_roles": [Role.SOCIAL_WORKER],
            "allowed_usernames": "",
            "contact": ASK,
        },
    )
    assert response.status_code == 302
    restriction = RecordRestriction.objects.get(child=involvement.child)
    assert AccessLogEntry.objects.filter(
        actor=manager, action=AccessAction.RESTRICTION, detail__step="set"
    ).exists()
    lift = reverse("web:record-restriction-lift", args=[involvement.child.pk])
    refused = client.post(lift, {"lift_reason": ""})
    assert refused.status_code == 400
    assert RecordRestriction.objects.get(pk=restriction.pk).in_force
    assert client.post(lift, {"lift_reason": "Intelligence now shared"}).status_code == 302
    assert not RecordRestriction.objects.get(pk=restriction.pk).in_force
    assert AccessLogEntry.objects.filter(
        actor=manager, action=AccessAction.RESTRICTION, detail__step="lift"
    ).exists()
    history = client.get(url).content.decode()
    assert "Intelligence now shared" in history


def test_the_restriction_form_names_each_problem(client, involvement, manager):
    client.force_login(manager)
    url = reverse("web:record-restriction", args=[involvement.child.pk])
    response = client.post(url, {"reason": "other", "contact": ASK, "allowed_usernames": "ghost"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "No active user has the username: ghost" in page
    assert not RecordRestriction.objects.exists()
    response = client.post(url, {"reason": "other", "contact": ASK})
    assert "Explain why the record is restricted" in response.content.decode()
    assert not RecordRestriction.objects.exists()


def test_a_practitioner_cannot_reach_the_restriction_page(client, involvement):
    client.force_login(involvement.practitioner)
    url = reverse("web:record-restriction", args=[involvement.child.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "adoption", "contact": ASK}).status_code == 404
    assert not RecordRestriction.objects.exists()


def test_linkage_review_names_no_one_and_the_pair_says_whom_to_ask(client, involvement, manager):
    _restrict(manager, involvement.child)
    item = ReviewItem.objects.create(
        record=SourceRecordFactory(forename="Wren", surname=NAME),
        candidate=involvement.child,
        model=LinkageModelFactory(),
        match_probability=0.9,
    )
    client.force_login(linkage_analyst())
    queue = client.get(reverse("linkage:review-queue")).content.decode()
    assert 'data-testid="candidate-restricted"' in queue
    assert queue.count(NAME) == 1  # the agency's record, never the register's child
    response = client.get(reverse("linkage:review-item", args=[item.pk]))
    assert response.status_code == 403
    assert ASK in response.content.decode()


def test_subject_access_is_prepared_only_by_someone_the_restriction_allows(involvement, manager):
    records_team = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    _restrict(manager, involvement.child)
    with pytest.raises(RightsRequestError, match=ASK):
        subject_access_prepare(
            actor=records_team,
            child=involvement.child,
            requester="The young person",
            received_on=dt.date(2026, 1, 5),
        )


def test_the_family_view_does_not_mention_a_restricted_child(involvement, manager):
    parent = PersonFactory(given_name="Jo")
    Relationship.objects.create(
        person=parent, relative=involvement.child.person, relationship_type=RelationshipType.PARENT
    )
    account = family_account_create(
        person=parent, family_role=FamilyRole.PARENT, username="jo", password="x-Secret-12345"
    )
    assert family_child_ids(account) == [involvement.child.pk]
    _restrict(manager, involvement.child)
    assert family_child_ids(account) == []


def test_the_analytics_extract_counts_the_child_but_not_where_they_live(
    tmp_path, involvement, manager
):
    home = HouseholdFactory(town="Refugeton", imd_decile=2)
    HouseholdMembershipFactory(household=home, person=involvement.child.person)
    other = ChildFactory()
    HouseholdMembershipFactory(household=HouseholdFactory(town="Opentown"), person=other.person)
    _restrict(manager, involvement.child)
    db = tmp_path / "x.duckdb"
    extract_refresh(database=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select locality, imd_decile from children order by locality").fetchall()
    finally:
        con.close()
    assert sorted(rows, key=str) == sorted([(None, None), ("Opentown", 3)], key=str)
