"""The child's own words, how they were gathered and the parents' feedback, as records that
audits and indicators can count."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.casework.models import Review
from cumulus.chronology.models import ChronologyEvent
from cumulus.testing.factories import ChildFactory, PlanFactory, UserFactory
from cumulus.testing.factories_oversight import fix_today, manager_for, practitioner_for
from cumulus.voice.models import GatheredBy, VoiceMoment
from cumulus.voice.selectors import voice_counts
from cumulus.voice.services import VoiceNotAllowedError, voice_record

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
YEAR = {"start": dt.date(2025, 4, 1), "end": dt.date(2026, 3, 31)}


@pytest.fixture
def case(monkeypatch):
    fix_today(monkeypatch, TODAY)
    child = ChildFactory()
    worker = practitioner_for(child, role=Role.SOCIAL_WORKER)
    plan = PlanFactory(child=child, started_on=dt.date(2025, 9, 1))
    return child, worker, plan


def _voice(actor, child, **kwargs):
    defaults = {
        "moment": VoiceMoment.PLAN_REVIEW,
        "recorded_on": TODAY,
        "childs_words": "I like it when Nan makes tea.",
        "gathered_by": GatheredBy.DIRECT,
    }
    return voice_record(actor=actor, child=child, **{**defaults, **kwargs})


def test_the_childs_words_and_parents_feedback_are_recorded_and_chronicled(case):
    child, worker, plan = case
    record = _voice(worker, child, plan=plan, parents_feedback="Mum says mornings are hard.")
    assert record.has_childs_voice
    assert record.plan == plan
    event = ChronologyEvent.objects.get(child=child, event_type__code="voice.recorded")
    assert "the child and parents" in event.summary


def test_words_need_how_they_were_gathered_and_an_interpreter_needs_a_language(case):
    child, worker, _ = case
    with pytest.raises(ValidationError, match="how the child's words were gathered"):
        _voice(worker, child, gathered_by="")
    with pytest.raises(ValidationError, match="language"):
        _voice(worker, child, gathered_by=GatheredBy.INTERPRETER)
    assert _voice(worker, child, gathered_by=GatheredBy.INTERPRETER, language="Polish").pk


def test_an_observation_of_a_pre_verbal_child_counts_as_their_voice(case):
    child, worker, _ = case
    record = _voice(
        worker,
        child,
        childs_words="Crawled to the door each time dad left.",
        gathered_by=GatheredBy.OBSERVATION,
    )
    assert record.get_gathered_by_display().startswith("By observation")


def test_an_empty_record_a_future_date_and_a_method_without_words_are_refused(case):
    child, worker, _ = case
    with pytest.raises(ValidationError) as error:
        _voice(worker, child, childs_words="", gathered_by="", recorded_on=TODAY + dt.timedelta(1))
    assert set(error.value.message_dict) == {"childs_words", "recorded_on"}
    with pytest.raises(ValidationError, match="as well as how"):
        _voice(worker, child, childs_words="", parents_feedback="Fine.")


def test_a_plan_or_review_of_another_child_is_refused(case):
    child, worker, plan = case
    with pytest.raises(ValidationError, match="another child"):
        _voice(worker, child, plan=PlanFactory())
    other_review = Review.objects.create(plan=PlanFactory(child=child), held_on=TODAY)
    with pytest.raises(ValidationError, match="another plan"):
        _voice(worker, child, plan=plan, review=other_review)


def test_only_someone_who_may_see_the_child_records_their_voice(case):
    child, _, _ = case
    with pytest.raises(VoiceNotAllowedError):
        _voice(UserFactory(), child)


def test_counts_give_the_share_of_plans_and_reviews_with_the_childs_voice(case):
    child, worker, plan = case
    manager = manager_for(child)
    reviewed = Review.objects.create(plan=plan, held_on=dt.date(2026, 1, 10))
    Review.objects.create(plan=plan, held_on=dt.date(2026, 2, 10))
    PlanFactory(child=child, started_on=dt.date(2025, 10, 1))  # no voice
    _voice(worker, child, review=reviewed, recorded_on=dt.date(2026, 1, 10))
    _voice(worker, child, childs_words="", gathered_by="", parents_feedback="Dad: it helps.")
    counts = voice_counts(viewer=manager, **YEAR)
    assert (counts.plans, counts.plans_with_voice) == (2, 1)
    assert (counts.reviews, counts.reviews_with_voice) == (2, 1)
    assert counts.plan_share == 0.5
    assert (counts.records, counts.records_with_parents_feedback) == (2, 1)
    assert counts.by_method == {"Directly, in the child's own words": 1}
    assert counts.by_moment == {"Review of a plan": 2}
    assert voice_counts(viewer=UserFactory(), **YEAR).plans == 0
    analyst = UserFactory(role=Role.PARTNERSHIP_ANALYST)
    assert voice_counts(viewer=analyst, **YEAR).plans == 2


def test_a_period_running_backwards_is_refused(case):
    with pytest.raises(ValueError, match="end on or after"):
        voice_counts(viewer=case[1], start=TODAY, end=TODAY - dt.timedelta(1))


def test_pages(case, client):
    child, worker, plan = case
    client.force_login(worker)
    url = reverse("voice:new", args=[child.pk])
    response = client.post(
        url,
        {
            "moment": "plan_review",
            "recorded_on": TODAY.isoformat(),
            "plan": str(plan.pk),
            "childs_words": "I want my own bed.",
            "gathered_by": "drawing",
        },
    )
    assert response.status_code == 302
    assert (
        "I want my own bed." in client.get(reverse("voice:child", args=[child.pk])).content.decode()
    )
    assert client.get(reverse("voice:summary")).status_code == 404
    client.force_login(manager_for(child))
    assert "1 of 1" in client.get(reverse("voice:summary")).content.decode()
