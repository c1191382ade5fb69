"""The family sees their own plan in plain words, and nothing about anyone else and nothing
marked not for the family."""

import datetime as dt

import pytest
from django.urls import reverse

from cumulus.casework import services
from cumulus.casework.models import Assessment
from cumulus.family.models import FamilyFeedback, FamilyRole
from cumulus.family.services import FamilyAccountRefusedError, family_account_create
from cumulus.inbox.models import Notification
from cumulus.people.models import Relationship, RelationshipType
from cumulus.testing.factories import ChildFactory, PersonFactory

from .conftest import START

pytestmark = pytest.mark.django_db


def _plan(cast, clock_at, child=None):
    child = child or cast.child
    contact = services.concern_record(actor=cast.teacher, child=child, summary="Hungry.")
    services.front_door_decide(
        actor=cast.front_door, contact_id=contact.pk, outcome="early_help", rationale="EH."
    )
    assessment = Assessment.objects.get(child=child)
    services.early_help_take_on(actor=cast.lead_practitioner, assessment_id=assessment.pk)
    plan = services.early_help_assessment_complete(
        actor=cast.lead_practitioner,
        assessment_id=assessment.pk,
        completed_on=START,
        summary="Found.",
        outcome="early_help_plan",
    )
    for what, hidden in [("Breakfast every day", False), ("Check dad's probation", True)]:
        services.plan_outcome_add(
            actor=cast.lead_practitioner,
            plan_id=plan.pk,
            what=what,
            who="Mum",
            due_on=START + dt.timedelta(days=30),
            not_for_family=hidden,
        )
    services.plan_statement_add(
        actor=cast.lead_practitioner,
        plan_id=plan.pk,
        kind="safety_goal",
        text="Everyone will see Sam has eaten.",
    )
    services.plan_statement_add(
        actor=cast.lead_practitioner,
        plan_id=plan.pk,
        kind="danger",
        text="Worried about the neighbour's visits.",
        not_for_family=True,
    )
    return plan


def _parent_account(child, username="mum"):
    mum = PersonFactory(given_name="Jo")
    Relationship.objects.create(
        person=mum, relative=child.person, relationship_type=RelationshipType.PARENT
    )
    return family_account_create(
        person=mum, family_role=FamilyRole.PARENT, username=username, password="x-Secret-12345"
    )


def test_the_parent_sees_their_plan_without_anything_not_for_the_family(client, cast, clock_at):
    plan = _plan(cast, clock_at)
    account = _parent_account(cast.child)
    client.force_login(account.user)
    home = client.get(reverse("web:home"))
    assert home.status_code == 302
    assert home.url == reverse("family:home")
    page = client.get(reverse("family:home")).content.decode()
    assert cast.child.full_name in page
    shown = client.get(reverse("family:plan", args=[plan.pk])).content.decode()
    assert "Your family&#x27;s plan with early help" in shown
    assert "Breakfast every day" in shown
    assert "Everyone will see Sam has eaten." in shown
    assert cast.lead_practitioner.display_name in shown  # who is helping
    assert "probation" not in shown
    assert "neighbour" not in shown
    assert "Not for the family" not in shown


def test_the_family_sees_nothing_about_anyone_else(client, cast, clock_at):
    other_child = ChildFactory()
    from cumulus.testing.factories import InvolvementFactory

    InvolvementFactory(child=other_child, practitioner=cast.teacher, agency=cast.teacher.agency)
    other_plan = _plan(cast, clock_at, child=other_child)
    _plan(cast, clock_at)
    account = _parent_account(cast.child)
    client.force_login(account.user)
    assert client.get(reverse("family:plan", args=[other_plan.pk])).status_code == 404
    assert other_child.full_name not in client.get(reverse("family:home")).content.decode()
    # Practitioner pages answer 404 to a family member, as to anyone with no involvement.
    assert client.get(reverse("web:child-detail", args=[cast.child.pk])).status_code == 404
    assert client.get(reverse("casework:plan", args=[other_plan.pk])).status_code == 404


def test_saying_how_it_is_going_reaches_the_lead_practitioner(client, cast, clock_at):
    plan = _plan(cast, clock_at)
    account = _parent_account(cast.child)
    client.force_login(account.user)
    bad = client.post(reverse("family:plan", args=[plan.pk]), {"text": "x"})
    assert "Choose how things are going" in bad.content.decode()
    client.post(
        reverse("family:plan", args=[plan.pk]), {"feeling": "better", "text": "Breakfast club"}
    )
    assert FamilyFeedback.objects.get().text == "Breakfast club"
    note = Notification.objects.filter(recipient=cast.lead_practitioner).first()
    assert "said how the plan is going" in note.subject
    client.force_login(cast.lead_practitioner)
    page = client.get(reverse("family:plan-feedback", args=[plan.pk])).content.decode()
    assert "Breakfast club" in page


def test_only_young_people_of_12_or_over_get_their_own_sign_in(cast, clock_at):
    young = ChildFactory(person__date_of_birth=dt.date(2016, 1, 1))  # 10 in 2026
    with pytest.raises(FamilyAccountRefusedError, match="12 or over"):
        family_account_create(
            person=young.person,
            family_role=FamilyRole.YOUNG_PERSON,
            username="kid",
            password="x-Secret-12345",
        )
    teen = ChildFactory(person__date_of_birth=dt.date(2012, 1, 1))
    account = family_account_create(
        person=teen.person,
        family_role=FamilyRole.YOUNG_PERSON,
        username="teen",
        password="x-Secret-12345",
    )
    assert account.user.check_password("x-Secret-12345")


def test_a_practitioner_is_not_a_family_member(client, cast, clock_at):
    client.force_login(cast.teacher)
    assert client.get(reverse("family:home")).status_code == 404


def test_a_young_person_sees_their_own_plan_only(client, cast, clock_at):
    teen_plan = _plan(cast, clock_at)  # cast.child, born 2017: make them 14 for this test
    person = cast.child.person
    person.date_of_birth = dt.date(2012, 1, 1)
    person.save()
    account = family_account_create(
        person=person, family_role=FamilyRole.YOUNG_PERSON, username="me", password="x-Sec-12345"
    )
    client.force_login(account.user)
    assert client.get(reverse("family:plan", args=[teen_plan.pk])).status_code == 200
    assert client.get(reverse("family:plan", args=[teen_plan.pk + 999])).status_code == 404
