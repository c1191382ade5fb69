"""The demo partnership is deterministic, complete and usable by every demo login."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from cumulus.accounts.models import Agency, AgencyType, User
from cumulus.casework.models import Plan, PlanType
from cumulus.chronology.models import ChronologyEvent
from cumulus.people.models import Child
from cumulus.people.policies import visible_children
from cumulus.synth.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo_partnership

pytestmark = pytest.mark.django_db

REFERENCE = dt.date(2026, 11, 1)


def test_demo_covers_every_agency_type_and_episode_type():
    summary = build_demo_partnership(seed=7, children=600, reference_date=REFERENCE)

    assert summary.children == Child.objects.count() > 600
    assert set(Agency.objects.values_list("agency_type", flat=True)) == set(AgencyType.values)
    assert set(Plan.objects.values_list("plan_type", flat=True)) == set(PlanType.values)
    assert ChronologyEvent.objects.count() == summary.events > 0
    assert Plan.objects.filter(
        plan_type=PlanType.CHILD_PROTECTION, initial_category__code="NEG"
    ).exists()


def test_every_demo_login_signs_in_and_only_the_housing_officer_sees_no_children(client):
    build_demo_partnership(seed=3, children=300, reference_date=dt.date.today())
    for login in DEMO_LOGINS:
        assert client.login(username=login.username, password=DEMO_PASSWORD)
        user = User.objects.get(username=login.username)
        sees = visible_children(user=user).exists()
        # The linkage analyst works in the review queue, not on children's records; the
        # business unit runs training and audits, and sees an audited case only by moderating;
        # the records team handles rights requests, not casework.
        no_children = {
            "housing.officer",
            "linkage.analyst",
            "business.unit",
            "records.officer",
            "data.protection",
        }
        assert sees == (login.username not in no_children), login.username


def test_demo_refuses_to_load_twice():
    build_demo_partnership(seed=1, children=60, reference_date=REFERENCE)
    with pytest.raises(RuntimeError, match="already holds a partnership"):
        build_demo_partnership(seed=1, children=60, reference_date=REFERENCE)


def test_demo_command_prepares_database_and_prints_url_and_logins():
    out = io.StringIO()
    call_command("demo", "--no-serve", "--children", "60", stdout=out)
    text = out.getvalue()
    assert "http://localhost:8000/" in text
    assert DEMO_PASSWORD in text
    for login in DEMO_LOGINS:
        assert login.username in text
    assert Child.objects.exists()


def test_demo_logins_have_caseloads_with_stories():
    build_demo_partnership(seed=5, children=400, reference_date=dt.date.today())
    teacher = User.objects.get(username="teacher")
    mine = visible_children(user=teacher)
    assert mine.count() == 25
    assert ChronologyEvent.objects.filter(child__in=mine).count() > 100


def test_demo_command_rejects_a_bad_port():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--port must be between 1 and 65535"):
        call_command("demo", "--no-serve", "--port", "70000")


def test_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with CUMULUS_ENV=production"):
        call_command("demo", "--no-serve", "--children", "60", stdout=io.StringIO())


def test_demo_has_training_and_three_moderated_audit_rounds_for_the_report():
    from cumulus.audits.models import AuditRound, ModeratedGrade
    from cumulus.governance.sections import ReportPeriod, providers
    from cumulus.training.models import Booking, BriefingRead, TrainingSession

    build_demo_partnership(seed=7, children=300, reference_date=REFERENCE)
    assert TrainingSession.objects.filter(held_on__gt=REFERENCE).count() == 3
    assert Booking.objects.filter(attended=True, confidence_after__isnull=False).exists()
    assert BriefingRead.objects.exists()
    rounds = list(AuditRound.objects.order_by("held_on"))
    assert [r.status for r in rounds] == ["closed", "closed", "sampled"]
    for audit_round in rounds:
        cases = audit_round.cases.count()
        assert cases >= 4
        assert ModeratedGrade.objects.filter(case__audit_round=audit_round).count() == cases
    # The demo loads the Cumbria strategy (CUMULUS_DEMO_STRATEGY).
    sections = [p(ReportPeriod.quarter("2026Q4"), "cumbria") for p in providers()]
    assert {s.key for s in sections} >= {"training", "audits"}
    audits = next(s for s in sections if s.key == "audits")
    assert len(audits.tables[1].headers) == 1 + 3  # criterion + three rounds compared
