"""factory_boy factories. Faker en_GB, seeded per test by pytest-randomly; identifiers come from
the reserved synthetic ranges in ``cumulus.core.identifiers`` so no real child is ever named.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import factory
from django.utils import timezone

from cumulus.accounts.models import Agency, AgencyType, Role, User
from cumulus.casework.models import Plan, PlanType
from cumulus.chronology.models import ChronologyEvent, Significance
from cumulus.codelists.models import Code, Scheme
from cumulus.core.identifiers import synthetic_nhs_number, synthetic_upn
from cumulus.people.models import (
    Child,
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    Sex,
)

TEST_PASSWORD = "correct-horse-battery-staple"


def code(scheme: Scheme, value: str) -> Code:
    return Code.objects.get(scheme=scheme, code=value)


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.SCHOOL


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"practitioner{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.FRONTLINE_PRACTITIONER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    sex = Sex.FEMALE
    date_of_birth = factory.LazyFunction(lambda: dt.date(1990, 5, 17))


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    person = factory.SubFactory(
        PersonFactory, date_of_birth=factory.LazyFunction(lambda: dt.date(2017, 3, 27))
    )
    nhs_number = factory.Sequence(lambda n: synthetic_nhs_number(random.Random(n)))
    upn = factory.Sequence(lambda n: synthetic_upn(random.Random(n)))


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Eastmoor"
    postcode = "EM1 1AA"
    imd_decile = 3


class HouseholdMembershipFactory(factory.django.DjangoModelFactory[HouseholdMembership]):
    class Meta:
        model = HouseholdMembership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    started_on = dt.date(2022, 1, 1)


class InvolvementFactory(factory.django.DjangoModelFactory[Involvement]):
    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    agency = factory.LazyAttribute(lambda o: o.practitioner.agency if o.practitioner else None)
    practitioner = factory.SubFactory(UserFactory)
    role = "Class teacher"
    started_on = dt.date(2024, 9, 1)
    ended_on = None


class PlanFactory(factory.django.DjangoModelFactory[Plan]):
    class Meta:
        model = Plan

    child = factory.SubFactory(ChildFactory)
    plan_type = PlanType.CHILD_IN_NEED
    started_on = dt.date(2026, 1, 5)


class ChronologyEventFactory(factory.django.DjangoModelFactory[ChronologyEvent]):
    class Meta:
        model = ChronologyEvent

    child = factory.SubFactory(ChildFactory)
    agency = factory.SubFactory(AgencyFactory)
    occurred_at = factory.Sequence(
        lambda n: timezone.make_aware(dt.datetime(2026, 1, 1, 9, 0) + dt.timedelta(days=n))
    )
    event_type = factory.LazyFunction(
        lambda: code(Scheme.CHRONOLOGY_EVENT_TYPE, "health.was_not_brought")
    )
    significance = Significance.MEDIUM
    summary = factory.Faker("sentence", locale="en_GB")
    source_system = "test"
