"""Each concern shared with the front door carries its lawful basis: consent (from whom) or,
without consent, why; the front door sees it; it cannot be changed afterwards."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.casework.models import Contact
from cumulus.sharing.models import LawfulBasis, SharingBasis, SharingBasisChangeError
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(client):
    csc = AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    involvement = InvolvementFactory()
    involvement.csc = csc
    client.force_login(involvement.practitioner)
    return involvement


def _send(client, child, **basis):
    return client.post(
        reverse("web:concern-new", args=[child.pk]), {"summary": "Hungry again.", **basis}
    )


def test_a_concern_without_a_lawful_basis_is_refused_and_nothing_is_saved(client, teacher):
    page = _send(client, teacher.child).content.decode()
    assert "Choose whether you had consent to share" in page
    without_reason = _send(client, teacher.child, sharing_basis="safeguarding")
    assert "Say why you are sharing without consent" in without_reason.content.decode()
    without_who = _send(client, teacher.child, sharing_basis="consent")
    assert "Say who gave consent to share" in without_who.content.decode()
    assert not Contact.objects.exists()
    assert not SharingBasis.objects.exists()


def test_sharing_without_consent_records_why_and_the_front_door_sees_it(client, teacher):
    reason = "Asking the mother first could put the child at greater risk."
    response = _send(client, teacher.child, sharing_basis="safeguarding", sharing_reason=reason)
    assert response.status_code == 302
    basis = SharingBasis.objects.get()
    assert (basis.basis, basis.reason, basis.recorded_by) == (
        LawfulBasis.SAFEGUARDING,
        reason,
        teacher.practitioner,
    )
    contact = Contact.objects.get()
    assert basis.event.source_reference == f"contact:{contact.pk}"

    front_door = UserFactory(role=Role.FRONT_DOOR_DECISION_MAKER, agency=teacher.csc)
    client.force_login(front_door)
    page = client.get(reverse("web:front-door-decision", args=[contact.pk])).content.decode()
    assert "Without consent, to safeguard the child: Asking the mother first" in page


def test_a_recorded_basis_cannot_be_changed_or_deleted(client, teacher):
    _send(client, teacher.child, sharing_basis="consent", consent_from="The young person")
    basis = SharingBasis.objects.get()
    basis.basis = LawfulBasis.SAFEGUARDING
    with pytest.raises(SharingBasisChangeError):
        basis.save()
    with pytest.raises(SharingBasisChangeError):
        basis.delete()


def test_the_database_refuses_a_basis_that_says_neither_who_nor_why(teacher):
    from cumulus.testing.factories import ChronologyEventFactory

    event = ChronologyEventFactory(child=teacher.child)
    with pytest.raises(IntegrityError):
        SharingBasis.objects.create(
            event=event, basis=LawfulBasis.SAFEGUARDING, recorded_by=teacher.practitioner
        )
