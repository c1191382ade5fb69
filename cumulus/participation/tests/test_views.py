"""The young person's page: the months recorded, and the form for the council's services."""

import datetime as dt

import pytest
from django.urls import reverse

from cumulus.accounts.models import AgencyType
from cumulus.participation.models import ParticipationRecord
from cumulus.testing.factories import ChildFactory
from cumulus.testing.factories_oversight import fix_today, practitioner_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def child(monkeypatch):
    fix_today(monkeypatch, TODAY)
    return ChildFactory(person__date_of_birth=dt.date(2009, 6, 15))


def test_early_help_records_a_month_and_sees_it(child, client):
    client.force_login(practitioner_for(child, agency_type=AgencyType.EARLY_HELP))
    url = reverse("participation:child", args=[child.pk])
    page = client.get(url).content.decode()
    assert "Nothing recorded yet." in page
    assert '<option value="2026-03-01">March 2026</option>' in page
    response = client.post(url, {"month": "2026-02-01", "status": "neet"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "February 2026" in page
    assert "Not in education, employment or training (NEET)" in page


def test_a_month_before_sixteen_is_refused_on_the_form(child, client):
    client.force_login(practitioner_for(child, agency_type=AgencyType.EARLY_HELP))
    url = reverse("participation:child", args=[child.pk])
    response = client.post(url, {"month": "2025-05-01", "status": "neet"})
    assert response.status_code == 200
    assert "not 16 or 17 in May 2025" in response.content.decode()
    assert not ParticipationRecord.objects.exists()


def test_a_school_sees_the_months_but_may_not_record(child, client):
    client.force_login(practitioner_for(child, agency_type=AgencyType.SCHOOL))
    url = reverse("participation:child", args=[child.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "save-participation" not in page.content.decode()
    # Refused as the project refuses: the not-found page.
    assert client.post(url, {"month": "2026-02-01", "status": "neet"}).status_code == 404
    assert not ParticipationRecord.objects.exists()


def test_a_child_the_practitioner_may_not_see_is_not_found(child, client):
    client.force_login(practitioner_for(ChildFactory(), agency_type=AgencyType.EARLY_HELP))
    assert client.get(reverse("participation:child", args=[child.pk])).status_code == 404


def test_the_childs_page_links_to_the_months_for_a_young_person_only(child, client):
    practitioner = practitioner_for(child, agency_type=AgencyType.EARLY_HELP)
    client.force_login(practitioner)
    page = client.get(reverse("web:child-detail", args=[child.pk])).content.decode()
    assert reverse("participation:child", args=[child.pk]) in page
    younger = ChildFactory(person__date_of_birth=dt.date(2019, 1, 2))
    client.force_login(practitioner_for(younger, agency_type=AgencyType.EARLY_HELP))
    page = client.get(reverse("web:child-detail", args=[younger.pk])).content.decode()
    assert 'data-testid="participation-link"' not in page
