"""Scoring rules with hand-computed answers, and a property test: scoring never crashes."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cumulus.instruments.engine.definition import check_definition, iter_items, scale_of
from cumulus.instruments.engine.registry import load_instruments
from cumulus.instruments.engine.scoring import clean_responses, missing_required, score

SHIPPED = load_instruments().instruments

TOOL = check_definition(
    {
        "id": "hand",
        "version": 1,
        "title": "Hand-computed",
        "licence": {"tier": "open"},
        "scales": {"three": {"min": 0, "max": 2}, "grade": {"min": 1, "max": 5}},
        "sections": [
            {
                "id": "s",
                "title": "S",
                "items": [
                    {"id": f"q{n}", "type": "grade", "scale": "three", "label": f"Q{n}"}
                    for n in range(1, 6)
                ]
                + [
                    {"id": "g1", "type": "grade", "scale": "grade", "label": "G1"},
                    {"id": "g2", "type": "grade", "scale": "grade", "label": "G2"},
                    {"id": "yn", "type": "yes_no", "label": "YN"},
                ],
            }
        ],
        "scoring": [
            {
                "id": "sub",
                "label": "Subscale",
                "rule": "sum",
                "items": ["q1", "q2", "q3", "q4", "q5"],
                "reverse": ["q2"],
                "min_answered": 3,
                "prorate": True,
                "bands": [
                    {"label": "low", "min": 0, "max": 3},
                    {"label": "high", "min": 4, "max": 10},
                ],
            },
            {"id": "mean", "label": "Mean", "rule": "mean", "items": ["g1", "g2"]},
            {"id": "worst", "label": "Worst", "rule": "worst", "items": ["g1", "g2"]},
            {
                "id": "count",
                "label": "4+",
                "rule": "count_at_least",
                "threshold": 4,
                "items": ["g1", "g2"],
            },
            {"id": "both", "label": "Both", "rule": "sum", "scores": ["sub", "mean"]},
            {"id": "yes", "label": "Yes", "rule": "sum", "items": ["yn"]},
        ],
    }
)


def values(responses):
    return {key: result.value for key, result in score(TOOL, responses).items()}


def test_sum_with_a_reverse_scored_item():
    # q2=0 reversed on 0..2 is 2: 1 + 2 + 2 + 0 + 1 = 6
    result = score(TOOL, {"q1": 1, "q2": 0, "q3": 2, "q4": 0, "q5": 1})["sub"]
    assert (result.value, result.band, result.answered) == (6.0, "high", 5)


def test_prorated_sum_rounds_half_up():
    # three answered: 1 + (2-1=1) + 0 = 2; mean 2/3 * 5 = 3.33 -> 3
    assert values({"q1": 1, "q2": 1, "q3": 0})["sub"] == 3.0
    # four answered: 2 + (2-0=2) + 1 + 0 = 5; 5/4*5 = 6.25 -> 6
    assert values({"q1": 2, "q2": 0, "q3": 1, "q4": 0})["sub"] == 6.0
    # four answered: 1+ (2-1=1) + 0 + 0 = 2; 2/4*5 = 2.5 -> 3 (half up)
    assert values({"q1": 1, "q2": 1, "q3": 0, "q4": 0})["sub"] == 3.0


def test_too_few_answers_gives_no_score_rather_than_an_error():
    result = score(TOOL, {"q1": 2, "q2": 2})["sub"]
    assert (result.value, result.band, result.answered) == (None, None, 2)


def test_mean_worst_and_count():
    assert values({"g1": 2, "g2": 5}) | {} == values({"g2": 5, "g1": 2})
    got = values({"g1": 2, "g2": 5})
    assert (got["mean"], got["worst"], got["count"]) == (3.5, 5.0, 1.0)


def test_worst_is_the_lowest_when_higher_is_better():
    definition = check_definition(
        {
            **TOOL,
            "scales": {**TOOL["scales"], "grade": {"min": 1, "max": 5, "better": "higher"}},
        }
    )
    assert score(definition, {"g1": 2, "g2": 5})["worst"].value == 2.0


def test_a_total_of_scores_needs_every_part():
    full = values({"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "g1": 1, "g2": 2})
    assert full["both"] == 5.0 + 1.5
    assert values({"g1": 1})["both"] is None


def test_yes_counts_one_and_no_counts_zero():
    assert values({"yn": True})["yes"] == 1.0
    assert values({"yn": False})["yes"] == 0.0


def test_clean_responses_types_values_and_names_each_problem():
    responses, errors = clean_responses(TOOL, {"q1": "2", "g1": "9", "yn": "maybe", "q2": ""})
    assert responses == {"q1": 2}
    assert errors == {"g1": "Enter a whole number from 1 to 5", "yn": "Choose yes or no"}


def test_neglect_screening_profile_by_hand():
    definition = SHIPPED["neglect-screening"].definition
    grades = {
        "medical": 2,
        "nutritional": 4,
        "emotional": 3,
        "educational": 1,
        "physical": 5,
        "supervision": 4,
    }
    responses = {f"{k}.grade": v for k, v in grades.items()}
    results = score(definition, responses)
    assert results["worst"].value == 5.0
    assert results["worst"].band == "Significant concern; talk to your safeguarding lead today"
    assert results["mean"].value == round(19 / 6, 2)
    assert results["serious"].value == 3.0
    assert results["physical"].value == 5.0


def test_sdq_totals_and_parent_bands_by_hand():
    definition = SHIPPED["sdq-scores"].definition
    responses = {
        "about.informant": "parent",
        "scores.emotional": 5,
        "scores.conduct": 3,
        "scores.hyperactivity": 6,
        "scores.peer": 2,
        "scores.prosocial": 7,
    }
    results = score(definition, responses)
    assert results["total_difficulties"].value == 16.0  # 5 + 3 + 6 + 2, prosocial excluded
    assert results["total_difficulties"].band == "Borderline"  # 14-16
    assert results["externalising"].value == 9.0  # 3 + 6
    assert results["internalising"].value == 7.0  # 5 + 2
    assert results["emotional"].band == "Abnormal"  # 5-10
    assert results["conduct"].band == "Borderline"  # 3
    teacher = score(definition, {**responses, "about.informant": "teacher"})
    assert teacher["total_difficulties"].value == 16.0
    assert teacher["total_difficulties"].band is None  # parent norms only


def test_worries_map_scale_by_person():
    definition = SHIPPED["worries-strengths-map"].definition
    responses, errors = clean_responses(
        definition, {"scale.views": [("Mum", "6"), ("Social worker", "3"), ("", "")]}
    )
    assert errors == {}
    results = score(definition, responses)
    assert (results["safety_lowest"].value, results["safety_lowest"].band) == (3.0, "Very worried")
    assert results["safety_mean"].value == 4.5


def test_person_scale_needs_a_name_for_each_number():
    definition = SHIPPED["worries-strengths-map"].definition
    _, errors = clean_responses(definition, {"scale.views": [("", "4")]})
    assert errors == {"scale.views": "Say whose view each number is"}


def test_required_items_are_listed_until_answered():
    definition = SHIPPED["neglect-screening"].definition
    ids = {item["id"] for _, item in iter_items(definition)}
    missing = missing_required(definition, {"medical.grade": 1}, ids)
    assert "medical.grade" not in missing
    assert "overall.definition" in missing


def _value_strategy(definition, item):
    kind = item["type"]
    if kind in ("grade", "number"):
        low, high = scale_of(definition, item)
        return st.integers(low, high)
    if kind == "yes_no":
        return st.booleans()
    if kind in ("text", "child_words"):
        return st.text(max_size=30)
    if kind == "date":
        return st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)).map(dt.date.isoformat)
    if kind == "choice":
        values = [c["value"] for c in item["choices"]]
        if item.get("multiple"):
            return st.lists(st.sampled_from(values), unique=True, min_size=1)
        return st.sampled_from(values)
    if kind == "pairs":
        return st.lists(
            st.tuples(st.text(min_size=1, max_size=5), st.text(max_size=5)), min_size=1, max_size=3
        ).map(lambda rows: [list(r) for r in rows])
    if kind == "person_scale":
        low, high = scale_of(definition, item)
        return st.lists(
            st.fixed_dictionaries(
                {"who": st.text(min_size=1, max_size=5), "value": st.integers(low, high)}
            ),
            min_size=1,
            max_size=4,
        )
    return st.none()


@st.composite
def response_sets(draw):
    instrument = draw(st.sampled_from(sorted(SHIPPED)))
    definition = SHIPPED[instrument].definition
    responses = {}
    for _, item in iter_items(definition):
        if item["type"] != "photo" and draw(st.booleans()):
            responses[item["id"]] = draw(_value_strategy(definition, item))
    return definition, responses


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response_sets())
def test_scoring_never_crashes_on_any_valid_response_set(case):
    definition, responses = case
    results = score(definition, responses)
    assert set(results) == {rule["id"] for rule in definition.get("scoring", [])}
    for rule in definition.get("scoring", []):
        result = results[rule["id"]]
        if result.value is not None and "range" in rule:
            low, high = rule["range"]
            assert low <= result.value <= high
        if result.band is not None:
            assert result.band in {b["label"] for b in rule["bands"]}


@pytest.mark.parametrize("instrument", sorted(SHIPPED))
def test_scoring_an_empty_assessment_gives_no_values(instrument):
    results = score(SHIPPED[instrument].definition, {})
    assert all(r.value is None for r in results.values())
