"""Plans carry a category of abuse only when they are child protection plans."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cumulus.casework.models import Plan, PlanType, Referral
from cumulus.codelists.models import Scheme
from cumulus.testing.factories import ChildFactory, code

pytestmark = pytest.mark.django_db


def test_child_protection_plan_needs_an_initial_category():
    plan = Plan(
        child=ChildFactory(), plan_type=PlanType.CHILD_PROTECTION, started_on=dt.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        plan.full_clean()
    assert "initial_category" in caught.value.message_dict


def test_database_also_refuses_a_child_protection_plan_without_category():
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            child=ChildFactory(),
            plan_type=PlanType.CHILD_PROTECTION,
            started_on=dt.date(2026, 1, 1),
        )


def test_child_in_need_plan_cannot_have_a_category():
    plan = Plan(
        child=ChildFactory(),
        plan_type=PlanType.CHILD_IN_NEED,
        started_on=dt.date(2026, 1, 1),
        initial_category=code(Scheme.CATEGORY_OF_ABUSE, "NEG"),
    )
    with pytest.raises(ValidationError, match="Only a child protection plan"):
        plan.full_clean()


def test_plan_cannot_end_before_it_starts():
    plan = Plan(
        child=ChildFactory(),
        plan_type=PlanType.EARLY_HELP,
        started_on=dt.date(2026, 3, 1),
        ended_on=dt.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError):
        plan.full_clean()


def test_closed_referral_needs_a_closure_reason():
    referral = Referral(
        child=ChildFactory(),
        referred_on=dt.date(2026, 1, 1),
        source=code(Scheme.REFERRAL_SOURCE, "2A"),
        primary_need=code(Scheme.PRIMARY_NEED, "N1"),
        closed_on=dt.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError) as caught:
        referral.full_clean()
    assert "closure_reason" in caught.value.message_dict


def test_referral_needs_a_primary_need_unless_nfa():
    referral = Referral(
        child=ChildFactory(),
        referred_on=dt.date(2026, 1, 1),
        source=code(Scheme.REFERRAL_SOURCE, "6"),
    )
    with pytest.raises(ValidationError, match="primary need"):
        referral.full_clean()
    referral.no_further_action = True
    referral.full_clean()
