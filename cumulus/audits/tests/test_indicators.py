"""Audits reach the indicator dashboard: one more agreed case with the child's voice evident
changes the published voice-of-the-child figure."""

from __future__ import annotations

import calendar

import pytest

from cumulus.accounts.models import Role
from cumulus.audits import services
from cumulus.audits.models import AuditorAssignment
from cumulus.audits.tests.test_rounds import _answers, _auditors
from cumulus.codelists.models import Scheme
from cumulus.core import clock
from cumulus.indicators.selectors import result_list
from cumulus.indicators.services import results_refresh
from cumulus.testing.factories import PlanFactory, UserFactory, code

pytestmark = pytest.mark.django_db

INDICATORS = ["voice_of_child_in_audits", "gcp2_in_audited_cases"]


def test_an_agreed_grade_changes_the_dashboard_figure(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    neg = code(Scheme.CATEGORY_OF_ABUSE, "NEG")
    for _ in range(8):
        PlanFactory(plan_type="child_protection", initial_category=neg, latest_category=neg)
    unit = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    audit_round = services.round_create(
        actor=unit,
        title="Neglect audit",
        held_on=clock.today(),
        plan_types=["child_protection"],
        sample_size=8,
        seed=1,
    )
    services.sample_draw(actor=unit, audit_round=audit_round)
    a, b = _auditors()
    services.auditors_assign(actor=unit, audit_round=audit_round, auditors=[a, b])
    cases = list(audit_round.cases.order_by("id"))
    for i, case in enumerate(cases):
        voice = i < 6
        for assignment in AuditorAssignment.objects.filter(case=case):
            services.grading_submit(
                actor=assignment.auditor, assignment=assignment, raw=_answers(3, voice=voice)
            )
    for case in cases[:7]:
        services.moderation_record(
            actor=unit, case=case, raw=_answers(3, voice=cases.index(case) < 6)
        )
    today = clock.today()
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    results_refresh(month_end=month_end, months=1, indicators=INDICATORS)
    [before] = result_list(indicator="voice_of_child_in_audits")
    assert (before["numerator"], before["denominator"]) == (6, 7)

    services.moderation_record(actor=unit, case=cases[7], raw=_answers(3, voice=True))
    results_refresh(month_end=month_end, months=1, indicators=INDICATORS)
    [after] = result_list(indicator="voice_of_child_in_audits")
    assert (after["numerator"], after["denominator"]) == (7, 8)
    assert after["value"] != before["value"]
    [gcp2] = result_list(indicator="gcp2_in_audited_cases")
    assert (gcp2["numerator"], gcp2["denominator"]) == (8, 8)
