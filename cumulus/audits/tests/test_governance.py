"""The audits section of the governance report: latest round near the quarter, grades per
criterion compared with the previous round, and actions outstanding."""

from __future__ import annotations

import datetime as dt

import pytest

from cumulus.accounts.models import Role
from cumulus.audits import services
from cumulus.audits.governance import governance_section
from cumulus.audits.tests.test_rounds import _answers, _auditors
from cumulus.codelists.models import Scheme
from cumulus.governance.sections import SECTION_PROVIDERS, ReportPeriod
from cumulus.testing.factories import PlanFactory, UserFactory, code

pytestmark = pytest.mark.django_db


def _held(unit, on: dt.date, grade: int, action: str = "") -> None:
    audit_round = services.round_create(
        actor=unit,
        title=f"Neglect audit {on:%Y-%m}",
        held_on=on,
        population_on=dt.date(2026, 11, 1),
        plan_types=["child_protection"],
        sample_size=2,
        seed=3,
    )
    services.sample_draw(actor=unit, audit_round=audit_round)
    a, b = _auditors()
    services.auditors_assign(actor=unit, audit_round=audit_round, auditors=[a, b])
    for case in audit_round.cases.all():
        for assignment in case.assignments.all():
            services.grading_submit(
                actor=assignment.auditor,
                assignment=assignment,
                raw=_answers(grade),
                actions=[action] if action else [],
                due_on=dt.date(2026, 8, 1),
            )
            action = ""
        services.moderation_record(actor=unit, case=case, raw=_answers(grade))


def test_the_section_compares_the_latest_round_with_the_previous_one():
    assert "cumulus.audits.governance:governance_section" in SECTION_PROVIDERS
    neg = code(Scheme.CATEGORY_OF_ABUSE, "NEG")
    for _ in range(3):
        PlanFactory(plan_type="child_protection", initial_category=neg, latest_category=neg)
    unit = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    _held(unit, dt.date(2025, 9, 1), grade=2)
    _held(unit, dt.date(2026, 8, 1), grade=3, action="Schools to record the child's words")

    section = governance_section(ReportPeriod.quarter("2026Q3"), "bury")
    grades, history, actions = section.tables
    assert grades.headers[1:5] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    voice = next(r for r in grades.rows if r[0] == "Voice of the child")
    assert voice[1:] == [0, 2, 0, 0, 100.0, 0.0]
    assert history.headers == ["Criterion", "Sep 2025", "Aug 2026"]
    assert actions.rows[0][0] == "Schools to record the child's words"
    assert "1 audit actions outstanding, 1 past their due date." in section.summary
    assert "The voice of the child was evident in 2 of 2 audited cases." in section.summary


def test_a_quarter_with_no_round_near_it_says_so():
    section = governance_section(ReportPeriod.quarter("2019Q1"), "bury")
    assert section.summary[0].startswith("No multi-agency neglect audit")
    assert section.tables == []
