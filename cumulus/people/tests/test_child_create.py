"""Children are validated at the model boundary: field by field, and nothing half-saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cumulus.people.models import Child, Household, Person, Sex
from cumulus.people.services import child_create, household_create

pytestmark = pytest.mark.django_db

VALID = {
    "given_name": "Ada",
    "family_name": "Testchild",
    "sex": Sex.FEMALE,
    "date_of_birth": dt.date(2019, 3, 27),
    "nhs_number": "943 476 5919",
    "upn": " p207000016049 ",
}


def test_child_create_normalises_identifiers_and_saves_person_and_child():
    child = child_create(actor=None, **VALID)

    child.refresh_from_db()
    assert child.nhs_number == "9434765919"
    assert child.upn == "P207000016049"
    assert child.person.full_name == "Ada Testchild"
    assert child.pk == child.person.pk


def test_child_create_reports_every_bad_field_and_saves_nothing():
    people_before = Person.objects.count()
    bad = {**VALID, "nhs_number": "9434765918", "upn": "B207000016049", "date_of_birth": None}

    with pytest.raises(ValidationError) as caught:
        child_create(actor=None, **bad)

    errors = caught.value.message_dict
    assert "check digit" in errors["nhs_number"][0]
    assert "check letter should be P" in errors["upn"][0]
    assert "date of birth" in errors["date_of_birth"][0].lower()
    assert Person.objects.count() == people_before
    assert not Child.objects.exists()


def test_child_create_refuses_a_future_date_of_birth():
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        child_create(actor=None, **{**VALID, "date_of_birth": tomorrow})
    assert "past" in caught.value.message_dict["date_of_birth"][0]


def test_unborn_child_has_expected_date_and_unknown_sex():
    due = dt.date.today() + dt.timedelta(days=60)
    child = child_create(
        actor=None,
        given_name="Unborn",
        family_name="Testchild",
        sex=Sex.UNKNOWN,
        expected_birth_on=due,
    )
    assert child.is_unborn
    assert child.age_on() is None


def test_unborn_child_with_a_sex_is_refused():
    due = dt.date.today() + dt.timedelta(days=60)
    with pytest.raises(ValidationError) as caught:
        child_create(
            actor=None,
            given_name="Unborn",
            family_name="Testchild",
            sex=Sex.MALE,
            expected_birth_on=due,
        )
    assert "unborn" in caught.value.message_dict["sex"][0]


def test_both_birth_date_and_expected_date_is_refused():
    with pytest.raises(ValidationError) as caught:
        child_create(actor=None, **{**VALID, "expected_birth_on": dt.date.today()})
    assert "not both" in caught.value.message_dict["expected_birth_on"][0]


def test_duplicate_nhs_number_is_refused_with_a_clear_message():
    child_create(actor=None, **VALID)
    with pytest.raises(ValidationError) as caught:
        child_create(actor=None, **{**VALID, "upn": ""})
    assert "NHS number already exists" in caught.value.message_dict["nhs_number"][0]


def test_local_authority_child_id_must_be_alphanumeric():
    with pytest.raises(ValidationError) as caught:
        child_create(actor=None, **{**VALID, "la_child_id": "EM-123"})
    assert "letters and digits" in caught.value.message_dict["la_child_id"][0]


def test_unknown_field_is_a_programming_error_not_silently_dropped():
    with pytest.raises(TypeError, match="shoe_size"):
        child_create(actor=None, **VALID, shoe_size=3)


def test_household_postcode_is_normalised_and_validated():
    person = Person.objects.create(family_name="Testadult")
    household = household_create(
        actor=None,
        members=[person],
        moved_in_on=dt.date(2024, 1, 1),
        address_line_1="1 Test Street",
        postcode="em1  1aa",
        imd_decile=2,
    )
    assert household.postcode == "EM1 1AA"
    with pytest.raises(ValidationError) as caught:
        household_create(
            actor=None,
            members=[person],
            moved_in_on=dt.date(2024, 1, 1),
            address_line_1="2 Test Street",
            postcode="QA1 1AA",
            imd_decile=11,
        )
    assert "postcode" in caught.value.message_dict["postcode"][0]
    assert "imd_decile" in caught.value.message_dict
    assert Household.objects.count() == 1


def test_date_of_death_cannot_be_before_birth_or_in_the_future():
    from cumulus.people.services import person_date_of_death_record
    from cumulus.testing.factories import PersonFactory

    person = PersonFactory(date_of_birth=dt.date(1970, 5, 1))
    with pytest.raises(ValidationError, match="cannot be before the date of birth"):
        person_date_of_death_record(
            actor=None, person_id=person.pk, date_of_death=dt.date(1969, 1, 1)
        )
    with pytest.raises(ValidationError, match="today or in the past"):
        person_date_of_death_record(
            actor=None, person_id=person.pk, date_of_death=dt.date(2999, 1, 1)
        )
    person.refresh_from_db()
    assert person.date_of_death is None
    assert person_date_of_death_record(
        actor=None, person_id=person.pk, date_of_death=dt.date(2020, 2, 2)
    ).is_deceased


def test_the_database_refuses_a_death_before_birth_even_behind_the_service():
    from django.db import IntegrityError, transaction

    from cumulus.testing.factories import PersonFactory

    person = PersonFactory(date_of_birth=dt.date(1970, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(date_of_death=dt.date(1960, 1, 1))
