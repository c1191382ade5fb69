"""Alerts raised from the case record: to whom, only once, with their evidence, and answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cumulus.accounts.models import AgencyType, Role
from cumulus.casework.models import PlanType
from cumulus.chronology.services import chronology_event_record
from cumulus.early_warnings.models import Alert, AlertResponse, RecipientReason, ResponseKind
from cumulus.early_warnings.services import (
    AlertResponseNotAllowedError,
    alert_respond,
    warnings_run,
)
from cumulus.inbox.models import Notification
from cumulus.testing.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 3, 31)


def _at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text + " 10:00"))


@pytest.fixture
def world():
    school = AgencyFactory(name="Eastmoor Primary", agency_type=AgencyType.SCHOOL)
    gp = AgencyFactory(name="Eastmoor GP", agency_type=AgencyType.GP)
    teacher = UserFactory(agency=school)
    dsl = UserFactory(agency=school, role=Role.DESIGNATED_SAFEGUARDING_LEAD)
    child = ChildFactory()
    InvolvementFactory(child=child, practitioner=teacher, agency=school)
    InvolvementFactory(child=child, practitioner=None, agency=gp, role="Registered patient")
    for agency, kind, on in (
        (school, "education.dsl_concern", "2026-02-02"),
        (gp, "health.was_not_brought", "2026-03-20"),
    ):
        chronology_event_record(
            actor=None,
            child=child,
            agency=agency,
            event_type=kind,
            occurred_at=_at(on),
            summary=f"{kind} on {on}",
        )
    return {"child": child, "teacher": teacher, "dsl": dsl, "school": school, "gp": gp}


def test_run_raises_an_alert_with_its_events_and_tells_the_dsl_once(world):
    result = warnings_run(ruleset="default", as_of=AS_OF)
    assert result.raised == 1
    alert = Alert.objects.get()
    assert alert.rule_code == "multi_agency_low_level"
    assert alert.fired_on == dt.date(2026, 3, 20)
    assert alert.events.count() == 2
    assert "accumulates" in alert.rationale
    recipients = {(r.user, r.reason) for r in alert.recipients.all()}
    assert recipients == {(world["dsl"], RecipientReason.AGENCY_DSL)}
    assert Notification.objects.filter(recipient=world["dsl"]).count() == 1

    again = warnings_run(ruleset="default", as_of=AS_OF)
    assert again.raised == 0
    assert again.already_raised == 1
    assert Alert.objects.count() == 1


def test_an_alert_goes_to_the_lead_practitioner_of_an_open_plan_and_their_dsl(world):
    child = ChildFactory(person__date_of_birth=dt.date(2025, 6, 1))
    hv_agency = AgencyFactory(agency_type=AgencyType.HEALTH_VISITING)
    lead = UserFactory(agency=world["school"], role=Role.EARLY_HELP_PRACTITIONER)
    PlanFactory(
        child=child,
        plan_type=PlanType.EARLY_HELP,
        started_on=dt.date(2026, 1, 1),
        lead_practitioner=lead,
    )
    chronology_event_record(
        actor=None,
        child=child,
        agency=hv_agency,
        event_type="health.was_not_brought",
        occurred_at=_at("2026-03-25"),
        summary="12-month review: not brought.",
    )
    warnings_run(ruleset="default", as_of=AS_OF, child_ids=[child.pk])
    alert = Alert.objects.get(child=child, rule_code="was_not_brought")
    reasons = {r.user: r.reason for r in alert.recipients.all()}
    assert reasons == {
        lead: RecipientReason.LEAD_PRACTITIONER,
        world["dsl"]: RecipientReason.AGENCY_DSL,
    }


def test_fires_older_than_the_lookback_raise_nothing(world):
    assert warnings_run(ruleset="default", as_of=dt.date(2026, 6, 30)).raised == 0


def test_no_action_needs_a_reason_and_a_stranger_cannot_respond(world):
    warnings_run(ruleset="default", as_of=AS_OF)
    alert = Alert.objects.get()
    with pytest.raises(ValidationError) as caught:
        alert_respond(actor=world["dsl"], alert=alert, kind=ResponseKind.NO_ACTION)
    assert "note" in caught.value.message_dict
    with pytest.raises(AlertResponseNotAllowedError):
        alert_respond(actor=UserFactory(), alert=alert, kind=ResponseKind.ACKNOWLEDGED)
    assert not AlertResponse.objects.exists()


def test_inbox_alert_page_and_recorded_response(world, client):
    warnings_run(ruleset="default", as_of=AS_OF)
    alert = Alert.objects.get()
    assert client.login(username=world["dsl"].username, password=TEST_PASSWORD)
    inbox = client.get(reverse("early_warnings:inbox")).content.decode()
    assert alert.rule_title in inbox
    assert "Needs a response" in inbox
    page = client.get(reverse("early_warnings:alert", args=[alert.pk])).content.decode()
    assert "education.dsl_concern on 2026-02-02" in page
    assert "Why the rule exists" in page
    refused = client.post(reverse("early_warnings:alert", args=[alert.pk]), {"kind": "no_action"})
    assert "Say why no action is needed." in refused.content.decode()
    done = client.post(
        reverse("early_warnings:alert", args=[alert.pk]),
        {"kind": "action_taken", "note": "Spoke to the health visitor; early help offered."},
    )
    assert done.status_code == 302
    response = AlertResponse.objects.get()
    assert (response.responder, response.kind) == (world["dsl"], ResponseKind.ACTION_TAKEN)
    assert "Responded" in client.get(reverse("early_warnings:inbox")).content.decode()


def test_an_alert_about_a_child_one_may_not_see_answers_404(world, client):
    warnings_run(ruleset="default", as_of=AS_OF)
    alert = Alert.objects.get()
    stranger = UserFactory()
    assert client.login(username=stranger.username, password=TEST_PASSWORD)
    assert client.get(reverse("early_warnings:alert", args=[alert.pk])).status_code == 404
    assert alert.rule_title not in client.get(reverse("early_warnings:inbox")).content.decode()


def test_the_extract_reads_the_case_record_exactly(world):
    """On PostgreSQL the extract streams each table by COPY as CSV; elsewhere row by row: the
    rules must get the same typed rows either way (dates, text keys, nulls)."""
    from cumulus.early_warnings.extract import django_tables

    child = world["child"]
    PlanFactory(child=child, plan_type=PlanType.CHILD_IN_NEED)
    tables = django_tables()
    events = sorted(tables["events"].to_pylist(), key=lambda r: r["occurred_on"])
    assert [(e["child_id"], e["event_type"], e["occurred_on"]) for e in events] == [
        (child.pk, "education.dsl_concern", dt.date(2026, 2, 2)),
        (child.pk, "health.was_not_brought", dt.date(2026, 3, 20)),
    ]
    assert [e["agency_key"] for e in events] == [str(world["school"].pk), str(world["gp"].pk)]
    assert [e["agency_type"] for e in events] == [AgencyType.SCHOOL, AgencyType.GP]
    assert tables["children"].to_pylist() == [
        {"child_id": child.pk, "date_of_birth": child.person.date_of_birth}
    ]
    (plan,) = tables["plans"].to_pylist()
    assert plan["child_id"] == child.pk
    assert plan["plan_type"] == PlanType.CHILD_IN_NEED
    assert plan["ended_on"] is None
    assert plan["end_reason"] in (None, "")
    assert tables["attendance"].num_rows == 0
    assert tables["events"].schema.field("occurred_on").type == "date32[day]"


def test_raising_many_alerts_costs_the_same_few_queries(world, django_assert_max_num_queries):
    """A partnership-wide run raises thousands of alerts: no queries per alert."""
    from cumulus.early_warnings import engine
    from cumulus.early_warnings.services import alerts_raise
    from cumulus.testing.factories import ChildFactory as Child

    children = [Child() for _ in range(30)]
    for c in children:
        InvolvementFactory(child=c, practitioner=world["teacher"], agency=world["school"])
    rules = engine.load_ruleset("default")
    code = rules[0].code
    fires = engine.FIRES_SCHEMA.empty_table().from_pylist(
        [
            {
                "rule_code": code,
                "rule_version": rules[0].version,
                "child_id": c.pk,
                "fired_on": AS_OF,
                "event_ids": [],
                "evidence": "test",
            }
            for c in children
        ],
        schema=engine.FIRES_SCHEMA,
    )
    with django_assert_max_num_queries(12):
        result = alerts_raise(fires=fires, rules=rules, ruleset="default", as_of=AS_OF)
    assert result.raised == 30
    assert Notification.objects.filter(recipient=world["dsl"]).count() == 30
    assert Alert.objects.filter(recipients__user=world["dsl"]).count() == 30
    again = alerts_raise(fires=fires, rules=rules, ruleset="default", as_of=AS_OF)
    assert (again.raised, again.already_raised) == (0, 30)
