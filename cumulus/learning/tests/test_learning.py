"""Learning from reviews: recommendations cross-referenced to the strategy's aims and action
items, checked against the strategy, and the recommendation-by-aim matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cumulus.accounts.models import Role
from cumulus.actionplan.services import action_item_create
from cumulus.learning.models import Recommendation, ReviewKind
from cumulus.learning.selectors import recommendation_matrix
from cumulus.learning.services import (
    LearningNotAllowedError,
    recommendation_add,
    recommendation_cross_reference,
    review_create,
)
from cumulus.strategy.services import strategy_load
from cumulus.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _review(strategy, unit):
    return review_create(
        actor=unit,
        strategy=strategy,
        kind=ReviewKind.LCSPR,
        title="Practice review: family F",
        published_on=dt.date(2026, 6, 1),
    )


def test_a_recommendation_is_marked_against_its_aims_in_the_matrix():
    norfolk = strategy_load(name_or_path="norfolk")
    unit = UserFactory(role=Role.BUSINESS_UNIT)
    review = _review(norfolk, unit)
    aims = {a.code: a for a in norfolk.aims.all()}
    item = action_item_create(
        actor=unit,
        strategy=norfolk,
        aim=aims["4.3"],
        objective="reflection",
        activity="Set up multi-agency supervision",
        lead_agency=AgencyFactory(),
        lead_person="C. Chair",
        due_on=dt.date(2027, 3, 31),
    )
    rec = recommendation_add(
        actor=unit,
        review=review,
        text="Offer multi-agency supervision for complex neglect cases",
        aims=[aims["4.2"], aims["4.3"]],
        action_items=[item],
    )
    second = recommendation_add(actor=unit, review=review, text="Review the tools")
    assert (rec.number, second.number) == (1, 2)
    codes, rows = recommendation_matrix(strategy=norfolk)
    assert [a.code for a in codes] == ["4.1", "4.2", "4.3", "4.4"]
    marks = {row.recommendation.number: row.marks for row in rows}
    assert marks == {1: [False, True, True, False], 2: [False, False, False, False]}
    assert [row.action_items for row in rows if row.recommendation == rec] == [[item]]


def test_an_aim_of_another_strategy_is_refused_and_nothing_changes():
    norfolk = strategy_load(name_or_path="norfolk")
    bury = strategy_load(name_or_path="bury")
    unit = UserFactory(role=Role.BUSINESS_UNIT)
    rec = recommendation_add(
        actor=unit, review=_review(norfolk, unit), text="x", aims=[norfolk.aims.first()]
    )
    with pytest.raises(ValidationError) as caught:
        recommendation_cross_reference(
            actor=unit,
            recommendation=rec,
            status="implemented",
            aims=[bury.aims.first()],
            action_items=[],
        )
    assert "aims" in caught.value.message_dict
    rec = Recommendation.objects.get(pk=rec.pk)
    assert rec.status == "not_started"
    assert list(rec.aims.all()) == [norfolk.aims.first()]


def test_only_the_business_unit_records_reviews():
    strategy = strategy_load(name_or_path="cumbria")
    with pytest.raises(LearningNotAllowedError):
        _review(strategy, UserFactory(role=Role.PARTNERSHIP_ANALYST))


def test_the_pages_add_a_recommendation_and_show_it_in_the_matrix(client):
    strategy = strategy_load(name_or_path="cumbria")
    unit = UserFactory(role=Role.BUSINESS_UNIT)
    client.force_login(unit)
    response = client.post(
        "/learning/reviews/new/",
        {"kind": "rapid_review", "title": "Rapid review: Child Q", "published_on": "2026-05-02"},
    )
    assert response.status_code == 302
    review_url = response.url
    aim = strategy.aims.get(code="quantify")
    client.post(
        review_url,
        {"text": "Count neglect by age band", "status": "in_progress", "aims": [aim.pk]},
    )
    matrix = client.get("/learning/matrix/").content.decode()
    assert "Count neglect by age band" in matrix
    assert "In progress" in matrix
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get("/learning/matrix/").status_code == 404
