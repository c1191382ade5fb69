"""Subject access with redaction and four-eyes release; retention review and erasure with a
tombstone; rectification and restriction requests with their trail."""

import datetime as dt
import json
from io import BytesIO

import pytest
from pypdf import PdfReader

from cumulus.accounts.models import Role
from cumulus.casework.models import Contact, PlanType
from cumulus.chronology.models import ChronologyEvent
from cumulus.core import clock
from cumulus.people.models import Child, RelationshipType
from cumulus.rights.models import Erasure, RecordRequestStatus, SubjectAccessStatus
from cumulus.rights.selectors import THIRD_PARTY, retention_review_list
from cumulus.rights.services import (
    RightsRequestError,
    child_erase,
    record_request_open,
    record_request_update,
    subject_access_approve,
    subject_access_prepare,
    subject_access_release,
)
from cumulus.testing.factories import (
    ChildFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    PersonFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records_team():
    return UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR), UserFactory(
        role=Role.PARTNERSHIP_ADMINISTRATOR
    )


@pytest.fixture
def child_with_family():
    from cumulus.people.models import Relationship

    child = ChildFactory(person=PersonFactory(given_name="Maya", family_name="Okafor"))
    father = PersonFactory(given_name="Desmond", family_name="Pryce")
    membership = HouseholdMembershipFactory(person=child.person)
    HouseholdMembershipFactory(household=membership.household, person=father)
    Relationship.objects.create(
        person=father, relative=child.person, relationship_type=RelationshipType.PARENT
    )
    ChronologyEventFactory(child=child, summary="Desmond Pryce shouted at Maya at the door.")
    return child


def test_subject_access_redacts_third_parties_and_needs_a_second_person(
    records_team, child_with_family
):
    preparer, reviewer = records_team
    request = subject_access_prepare(
        actor=preparer,
        child=child_with_family,
        requester="the young person",
        received_on=clock.today(),
    )
    assert request.status == SubjectAccessStatus.PREPARED
    assert request.due_on == clock.today() + dt.timedelta(days=30)
    text = json.dumps(request.package)
    assert "Desmond" not in text
    assert "Pryce" not in text
    assert f"{THIRD_PARTY} shouted at Maya" in text
    assert request.package["child"]["name"] == "Maya Okafor"
    assert request.redactions == 1
    assert request.package["relationships"][0]["person"] == THIRD_PARTY

    with pytest.raises(RightsRequestError, match="approve the package before it is released"):
        subject_access_release(actor=preparer, request=request)
    with pytest.raises(RightsRequestError, match="different person"):
        subject_access_approve(actor=preparer, request=request)
    subject_access_approve(actor=reviewer, request=request)
    machine, pdf = subject_access_release(actor=preparer, request=request)

    assert json.loads(machine)["child"]["name"] == "Maya Okafor"
    pdf_text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "What we hold about Maya Okafor" in pdf_text
    assert "Desmond" not in pdf_text
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.RELEASED


def test_only_the_records_team_handles_rights_requests(child_with_family):
    manager = UserFactory(role=Role.TEAM_MANAGER)
    with pytest.raises(RightsRequestError, match="records and data protection team"):
        subject_access_prepare(
            actor=manager, child=child_with_family, requester="x", received_on=clock.today()
        )


def _aged(years, days=0):
    born = clock.today() - dt.timedelta(days=int(years * 365.25) + days)
    return ChildFactory(person=PersonFactory(date_of_birth=born))


def test_retention_review_uses_the_most_specific_rule():
    old_contact_only = _aged(26)
    young = _aged(24)
    looked_after_at_26 = _aged(26)
    PlanFactory(child=looked_after_at_26, plan_type=PlanType.LOOKED_AFTER)
    due = {d.child_id: d.rule.name for d in retention_review_list()}
    assert due == {old_contact_only.pk: "contact-only"}
    assert young.pk not in due


def test_erasure_clears_personal_data_keeps_a_tombstone_and_the_counts(records_team):
    officer, _ = records_team
    child = _aged(26)
    child.nhs_number = None
    ChronologyEventFactory(child=child, summary="Seen at A&E with a burn.")
    events_before = ChronologyEvent.objects.filter(child=child).count()

    erasure = child_erase(actor=officer, child=child, reason="Retention review: no open matters")

    child = Child.objects.select_related("person").get(pk=child.pk)
    assert child.person.family_name == "[erased]"
    assert child.person.given_name == ""
    assert child.person.date_of_birth.day == 1
    assert (child.nhs_number, child.upn, child.la_child_id) == (None, None, None)
    assert ChronologyEvent.objects.filter(child=child).count() == events_before
    assert set(ChronologyEvent.objects.filter(child=child).values_list("summary", flat=True)) == {
        "[erased]"
    }
    assert Erasure.objects.get() == erasure
    assert erasure.rule == "contact-only"
    assert retention_review_list() == []


def test_a_record_not_yet_due_cannot_be_erased(records_team):
    officer, _ = records_team
    with pytest.raises(RightsRequestError, match="not reached its retention review date"):
        child_erase(actor=officer, child=_aged(10), reason="asked")


def test_rectification_request_keeps_every_step(records_team, child_with_family):
    officer, colleague = records_team
    request = record_request_open(
        actor=officer,
        child=child_with_family,
        kind="rectification",
        requester="Maya's mother",
        what="The chronology says the family moved in 2024; it was 2023.",
    )
    record_request_update(
        actor=colleague, request=request, status=RecordRequestStatus.CARRIED_OUT, note="Corrected."
    )
    with pytest.raises(RightsRequestError, match="closed"):
        record_request_update(actor=officer, request=request, status="refused", note="late")
    trail = list(request.updates.values_list("status", "note", "by"))
    assert trail == [
        ("open", "Request recorded.", officer.pk),
        ("carried_out", "Corrected.", colleague.pk),
    ]


def test_bad_input_is_refused_with_a_specific_message(records_team, child_with_family):
    from django.core.exceptions import ValidationError

    officer, _ = records_team
    with pytest.raises(ValidationError, match="Unknown kind of request"):
        record_request_open(
            actor=officer, child=child_with_family, kind="deletion", requester="x", what="y"
        )
    with pytest.raises(ValidationError, match="cannot be received in the future"):
        subject_access_prepare(
            actor=officer,
            child=child_with_family,
            requester="x",
            received_on=clock.today() + dt.timedelta(days=1),
        )
    assert not Contact.objects.exists()
