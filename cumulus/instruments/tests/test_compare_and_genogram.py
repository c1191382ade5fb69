"""Comparison summaries and the genogram drawing (pure engine)."""

import datetime as dt

from cumulus.instruments.engine.compare import Snapshot, chart_svg, compare
from cumulus.instruments.engine.genogram import GenogramLink, GenogramPerson, genogram_svg, layout
from cumulus.instruments.engine.registry import load_instruments

SCREENING = load_instruments().instruments["neglect-screening"].definition


def snap(on, **values):
    return Snapshot(on=on, scores={k: {"value": v} for k, v in values.items()})


def test_summary_says_what_improved_worsened_and_stayed_the_same():
    first = snap(dt.date(2026, 1, 5), medical=4, physical=5, emotional=2, educational=3)
    second = snap(dt.date(2026, 3, 2), medical=2, physical=5, emotional=3, educational=3)
    result = compare(SCREENING, [first, second])
    assert result.summary == (
        "Better since the last assessment (5 January 2026): Medical (4 to 2).",
        "Worse since the last assessment (5 January 2026): Emotional (2 to 3).",
        "No change since the last assessment (5 January 2026): Educational; Physical.",
    )


def test_three_assessments_compare_with_the_last_and_the_first():
    a = snap(dt.date(2026, 1, 5), medical=5)
    b = snap(dt.date(2026, 2, 5), medical=3)
    c = snap(dt.date(2026, 3, 5), medical=3)
    summary = compare(SCREENING, [a, b, c]).summary
    assert summary == (
        "No change since the last assessment (5 February 2026): Medical.",
        "Better since the first assessment (5 January 2026): Medical (5 to 3).",
    )


def test_higher_is_better_scores_improve_upwards():
    definition = load_instruments().instruments["worries-strengths-map"].definition
    a = Snapshot(dt.date(2026, 1, 1), {"safety_lowest": {"value": 2}})
    b = Snapshot(dt.date(2026, 2, 1), {"safety_lowest": {"value": 6}})
    assert compare(definition, [a, b]).summary[0].startswith("Better since the last")


def test_chart_is_an_accessible_svg_with_one_point_per_value():
    result = compare(
        SCREENING, [snap(dt.date(2026, 1, 5), medical=4), snap(dt.date(2026, 3, 2), medical=2)]
    )
    svg = chart_svg(result, title="Medical <over> time")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "Medical &lt;over&gt; time" in svg
    assert svg.count("<circle") == 2


def people():
    return [
        GenogramPerson(1, "Sam", "U", 2019),
        GenogramPerson(2, "Jo", "F", 1990),
        GenogramPerson(3, "Lee", "M", 1988, deceased=True),
        GenogramPerson(4, "Nan", "F", 1960),
        GenogramPerson(5, "Kit", "M", 2015),
    ]


LINKS = [
    GenogramLink(2, 1, "parent"),
    GenogramLink(3, 1, "parent"),
    GenogramLink(2, 3, "partner", ended=True),
    GenogramLink(4, 2, "parent"),
    GenogramLink(5, 1, "sibling"),
]


def test_generations_put_grandparents_above_parents_above_children():
    placed, _, _ = layout(1, people(), LINKS)
    y = {p.person.id: p.y for p in placed}
    assert y[4] < y[2] == y[3] < y[1] == y[5]


def test_genogram_uses_the_standard_symbols():
    svg = genogram_svg(1, people(), LINKS, {1, 2, 5})
    assert svg.count("<rect") >= 1  # Lee, male: a square (plus the household boundary)
    assert svg.count("<circle") == 2  # Jo and Nan, female
    assert svg.count("<polygon") == 2  # Sam, unknown: a diamond with the focus double outline
    assert 'data-testid="household-boundary"' in svg
    assert 'stroke-dasharray="6 4"' in svg
    assert "M" in svg
    assert '<path d="M' in svg


def test_each_kind_of_partnership_is_drawn_differently():
    couple = [GenogramPerson(1, "Sam", "U", 2019), GenogramPerson(2, "Jo", "F", 1990)]
    drawn = {}
    for kind in ("spouse", "civil_partner", "cohabiting", "partner"):
        svg = genogram_svg(1, couple, [GenogramLink(1, 2, kind, since=2014)], set())
        line = next(x for x in svg.splitlines() if f'data-testid="partnership-{kind}"' in x)
        drawn[kind] = (line.split("stroke-width")[1], svg)
    assert 'stroke-dasharray="8 5"' in drawn["cohabiting"][0]
    assert 'stroke-dasharray="2 4"' in drawn["partner"][0]
    assert "stroke-dasharray" not in drawn["spouse"][0]
    assert ">m. 2014<" in drawn["spouse"][1]
    assert ">c.p. 2014<" in drawn["civil_partner"][1]
    assert ">2014<" in drawn["cohabiting"][1]


def test_a_deceased_person_is_crossed_through_with_the_year_of_death():
    svg = genogram_svg(
        1, [GenogramPerson(1, "Sam", "M", 1950, deceased=True, died=2020)], [], set()
    )
    assert svg.count('data-testid="deceased"') == 1
    assert ">b. 1950 d. 2020<" in svg
