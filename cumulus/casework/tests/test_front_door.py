"""A concern reaches the front door, is decided once within a working day, and the referrer is
told in their inbox what was decided and why."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.casework.models import Assessment, AssessmentType, Contact, FrontDoorOutcome, Referral
from cumulus.casework.services import (
    ContactAlreadyDecidedError,
    NotAllowedError,
    concern_record,
    front_door_decide,
)
from cumulus.chronology.models import ChronologyEvent
from cumulus.core.working_days import add_working_days
from cumulus.inbox.models import Notification
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_door():
    csc = AgencyFactory(name="Children's Social Care", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    return UserFactory(agency=csc, role=Role.FRONT_DOOR_DECISION_MAKER)


@pytest.fixture
def teacher_involvement():
    return InvolvementFactory()


def _concern(involvement, **extra):
    return concern_record(
        actor=involvement.practitioner,
        child=involvement.child,
        summary="Arrived hungry three days running; uniform unwashed.",
        neglect_types=["nutritional", "physical"],
        childs_words="There was no tea again.",
        **extra,
    )


def test_concern_is_recorded_with_types_words_due_date_and_chronology(
    front_door, teacher_involvement
):
    contact = _concern(teacher_involvement)
    assert contact.is_neglect_concern
    assert {c.code for c in contact.neglect_types.all()} == {"nutritional", "physical"}
    assert contact.decision_due_on == add_working_days(contact.received_on, 1)
    assert ChronologyEvent.objects.filter(
        child=contact.child, event_type__code="casework.contact"
    ).exists()


def test_front_door_sees_the_child_once_a_concern_arrives(front_door, teacher_involvement):
    from cumulus.people.policies import can_view_child

    assert not can_view_child(front_door, teacher_involvement.child)
    _concern(teacher_involvement)
    assert can_view_child(front_door, teacher_involvement.child)


def test_a_concern_about_a_child_you_do_not_work_with_is_refused(front_door, teacher_involvement):
    stranger = UserFactory()
    with pytest.raises(NotAllowedError):
        concern_record(actor=stranger, child=teacher_involvement.child, summary="x")
    assert not Contact.objects.exists()


def test_unknown_neglect_type_and_empty_summary_are_refused_with_nothing_saved(
    front_door, teacher_involvement
):
    with pytest.raises(ValidationError):
        concern_record(
            actor=teacher_involvement.practitioner,
            child=teacher_involvement.child,
            summary="x",
            neglect_types=["hunger"],
        )
    with pytest.raises(ValidationError) as caught:
        concern_record(
            actor=teacher_involvement.practitioner, child=teacher_involvement.child, summary=" "
        )
    assert "summary" in caught.value.message_dict
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "referral_kind"),
    [
        (FrontDoorOutcome.CHILD_AND_FAMILY_ASSESSMENT, AssessmentType.CHILD_AND_FAMILY),
        (FrontDoorOutcome.STRATEGY_DISCUSSION, AssessmentType.SECTION_47),
    ],
)
def test_accepted_contact_opens_a_referral_and_tells_the_referrer(
    front_door, teacher_involvement, outcome, referral_kind
):
    contact = _concern(teacher_involvement)
    front_door_decide(
        actor=front_door,
        contact_id=contact.pk,
        outcome=outcome,
        rationale="Pattern of hunger across agencies.",
        expected_of_referrer="Attend the strategy meeting.",
    )
    referral = Referral.objects.get(contact=contact)
    assert referral.source.code == "2A"  # schools
    assert referral.primary_need.code == "N1"
    assert Assessment.objects.get(referral=referral).assessment_type == referral_kind
    note = Notification.objects.get(recipient=teacher_involvement.practitioner)
    assert "accepted" in note.subject
    assert "Pattern of hunger" in note.body
    assert "Attend the strategy meeting" in note.body
    assert ChronologyEvent.objects.filter(event_type__code="casework.front_door_decision").exists()


def test_not_accepted_contact_tells_the_referrer_why_and_opens_no_referral(
    front_door, teacher_involvement
):
    contact = _concern(teacher_involvement)
    front_door_decide(
        actor=front_door,
        contact_id=contact.pk,
        outcome=FrontDoorOutcome.EARLY_HELP,
        rationale="Needs met by early help.",
        expected_of_referrer="Start an early help assessment.",
    )
    assert not Referral.objects.exists()
    note = Notification.objects.get(recipient=teacher_involvement.practitioner)
    assert "not accepted" in note.subject
    assert "Needs met by early help" in note.body


def test_a_contact_is_decided_only_once(front_door, teacher_involvement):
    contact = _concern(teacher_involvement)
    colleague = UserFactory(agency=front_door.agency, role=Role.FRONT_DOOR_DECISION_MAKER)
    front_door_decide(
        actor=front_door,
        contact_id=contact.pk,
        outcome="no_further_action",
        rationale="No concern.",
    )
    with pytest.raises(ContactAlreadyDecidedError, match="already decided"):
        front_door_decide(
            actor=colleague, contact_id=contact.pk, outcome="early_help", rationale="EH."
        )
    contact.refresh_from_db()
    assert contact.outcome == FrontDoorOutcome.NO_FURTHER_ACTION
    assert Notification.objects.count() == 1


def test_only_the_front_door_decides_and_a_reason_is_required(front_door, teacher_involvement):
    contact = _concern(teacher_involvement)
    with pytest.raises(NotAllowedError):
        front_door_decide(
            actor=teacher_involvement.practitioner,
            contact_id=contact.pk,
            outcome="early_help",
            rationale="x",
        )
    with pytest.raises(ValidationError) as caught:
        front_door_decide(actor=front_door, contact_id=contact.pk, outcome="maybe", rationale="")
    assert set(caught.value.message_dict) == {"outcome", "rationale"}
    contact.refresh_from_db()
    assert not contact.is_decided


def test_the_journey_through_the_pages(client, front_door, teacher_involvement):
    child = teacher_involvement.child
    client.force_login(teacher_involvement.practitioner)
    response = client.post(
        reverse("web:concern-new", args=[child.pk]),
        {
            "summary": "Hungry again.",
            "neglect_types": ["nutritional"],
            "childs_words": "No breakfast.",
            "sharing_basis": "consent",
            "consent_from": "The child's mother",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()

    client.force_login(front_door)
    queue = client.get(reverse("web:front-door"))
    assert list(queue.context["contacts"]) == [contact]
    page = client.get(reverse("web:front-door-decision", args=[contact.pk]))
    assert "No breakfast." in page.content.decode()
    assert "With consent: consent from The child&#x27;s mother" in page.content.decode()
    bad = client.post(
        reverse("web:front-door-decision", args=[contact.pk]), {"outcome": "early_help"}
    )
    assert "Give the reason for the decision" in bad.content.decode()
    done = client.post(
        reverse("web:front-door-decision", args=[contact.pk]),
        {"outcome": "child_and_family_assessment", "rationale": "Cumulative neglect."},
    )
    assert done.status_code == 302
    assert not client.get(reverse("web:front-door")).context["contacts"]

    client.force_login(teacher_involvement.practitioner)
    inbox = client.get(reverse("web:inbox")).content.decode()
    assert "was accepted" in inbox
    assert "Cumulative neglect." in inbox


def test_front_door_pages_are_404_for_others(client, front_door, teacher_involvement):
    contact = _concern(teacher_involvement)
    client.force_login(UserFactory())
    assert client.get(reverse("web:front-door-decision", args=[contact.pk])).status_code == 404
    assert not client.get(reverse("web:front-door")).context["contacts"]


def test_decision_due_skips_the_weekend():
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Friday -> Monday
