"""Continuum of Need: configuration is checked, suggestions explain themselves, a second
partnership's file changes the result, and suggestion and decision are both stored."""

import copy
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cumulus.casework.models import PlanType
from cumulus.codelists.models import Scheme
from cumulus.instruments import services as instrument_services
from cumulus.testing.factories import ChronologyEventFactory, InvolvementFactory, PlanFactory, code
from cumulus.thresholds import selectors, services
from cumulus.thresholds.engine.continuum import (
    ChildFacts,
    ContinuumError,
    check_continuum,
    load_continuum,
    suggest,
)
from cumulus.thresholds.models import ThresholdDecision

EXAMPLE, _ = load_continuum(selectors.EXAMPLE)
WESTFIELD = Path(__file__).with_name("westfield.yaml")
TODAY = dt.date(2026, 6, 1)


def facts(**kwargs):
    return ChildFacts(today=TODAY, **kwargs)


def test_nothing_known_suggests_universal():
    result = suggest(EXAMPLE, facts())
    assert (result.level, result.name, result.matches) == (1, "Universal", ())


def test_a_grade_4_screening_suggests_level_3_and_says_why():
    result = suggest(
        EXAMPLE,
        facts(
            scores={"neglect-screening": {"worst": 4, "serious": 1, "supervision": 2}},
            assessed_on={"neglect-screening": dt.date(2026, 5, 1)},
        ),
    )
    assert result.level == 3
    assert [m.id for m in result.leading] == ["screening.serious"]
    assert [m.id for m in result.matches] == ["screening.serious", "screening.emerging"]
    assert result.leading[0].evidence == "neglect-screening worst = 4 on 2026-05-01"


def test_open_child_protection_plan_suggests_level_4():
    assert suggest(EXAMPLE, facts(open_plans=["child_protection"])).level == 4


def test_chronology_counts_only_recent_events():
    recent = [("health.was_not_brought", TODAY - dt.timedelta(days=30))] * 2
    old = [("health.was_not_brought", TODAY - dt.timedelta(days=300))] * 2
    assert suggest(EXAMPLE, facts(events=recent)).level == 2
    assert suggest(EXAMPLE, facts(events=old)).level == 1


def test_a_second_partnerships_file_changes_the_result():
    westfield, _ = load_continuum(WESTFIELD)
    same_child = facts(scores={"neglect-screening": {"worst": 3}})
    assert suggest(EXAMPLE, same_child).level == 2
    assert suggest(westfield, same_child).level == 3
    assert suggest(westfield, same_child).leading[0].id == "screening.any_gap"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["indicators"][0].update(level=7),
            "indicators[0].level: no level 7 in 'levels'",
        ),
        (
            lambda d: d["indicators"][1].update(id=d["indicators"][0]["id"]),
            "indicators[1].id: 'screening.emerging' is used twice",
        ),
        (
            lambda d: d["indicators"][0]["when"].update(open_plan="early_help"),
            "indicators[0].when: give exactly one of",
        ),
        (
            lambda d: d["indicators"][0].update(neglect_type="dental"),
            "indicators[0].neglect_type: 'dental' is not one of",
        ),
        (lambda d: d.pop("levels"), "(top level): 'levels' is a required property"),
    ],
)
def test_malformed_continuum_files_are_refused_precisely(change, message):
    data = copy.deepcopy(EXAMPLE)
    change(data)
    with pytest.raises(ContinuumError) as caught:
        check_continuum(data, source="mine.yaml")
    assert str(caught.value).startswith(f"mine.yaml: {message}")


@pytest.mark.django_db
def test_suggestion_from_the_childs_records_and_the_decision_are_both_stored(client, settings):
    involvement = InvolvementFactory()
    child, user = involvement.child, involvement.practitioner
    a = instrument_services.assessment_start(
        actor=user, child=child, instrument_id="neglect-screening"
    )
    grades = {
        "medical": 2,
        "nutritional": 2,
        "emotional": 2,
        "educational": 1,
        "physical": 4,
        "supervision": 2,
    }
    instrument_services.assessment_sign_off(
        actor=user,
        assessment_id=a.pk,
        raw={**{f"{k}.grade": v for k, v in grades.items()}, "overall.definition": 3},
    )
    PlanFactory(child=child, plan_type=PlanType.EARLY_HELP, started_on=dt.date(2026, 1, 5))
    for days in (10, 20):
        ChronologyEventFactory(
            child=child,
            occurred_at=timezone.now() - dt.timedelta(days=days),
            event_type=code(Scheme.CHRONOLOGY_EVENT_TYPE, "health.was_not_brought"),
        )
    client.force_login(user)
    url = reverse("thresholds:decide", args=[child.pk])
    page = client.get(url).content.decode()
    assert "Suggested: level 3" in page
    assert 'data-testid="indicator-screening.serious"' in page
    assert 'data-testid="indicator-chronology.not_brought"' in page
    response = client.post(url, {"decided_level": "2", "reason": "short"})
    assert "explain why in a sentence or more" in response.content.decode()
    assert not ThresholdDecision.objects.exists()
    client.post(
        url,
        {
            "decided_level": "2",
            "reason": "Physical care has improved since the visit; early help is working.",
        },
    )
    decision = ThresholdDecision.objects.get()
    assert (decision.suggested_level, decision.decided_level) == (3, 2)
    assert decision.departs_from_suggestion
    assert decision.continuum_id == "example-continuum"
    assert {m["id"] for m in decision.suggested_indicators} >= {
        "screening.serious",
        "episode.early_help",
    }
    assert decision.facts["open_plans"] == ["early_help"]


@pytest.mark.django_db
def test_the_configured_file_is_the_one_used(settings):
    settings.CUMULUS_CONTINUUM_FILE = str(WESTFIELD)
    assert selectors.continuum_get().data["id"] == "westfield-continuum"
    involvement = InvolvementFactory()
    with pytest.raises(services.ThresholdDecisionError, match="Say why"):
        services.threshold_decision_record(
            actor=involvement.practitioner, child=involvement.child, decided_level=1, reason=" "
        )
