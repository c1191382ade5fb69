"""Escalation of professional disagreement: raised by anyone involved, moved stage by stage
under the partnership's procedure and timescales, never skipped, never acted on once closed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cumulus.accounts.models import AgencyType, Role
from cumulus.audit.models import AccessLogEntry
from cumulus.chronology.models import ChronologyEvent
from cumulus.escalation.models import EscalationStatus, StageOutcome
from cumulus.escalation.procedure import ProcedureError, _load, load_procedure, parse_procedure
from cumulus.escalation.selectors import open_escalations
from cumulus.escalation.services import (
    EscalationClosedError,
    EscalationNotAllowedError,
    EscalationStageError,
    escalation_raise,
    escalation_stage_outcome_record,
)
from cumulus.inbox.models import Notification
from cumulus.testing.factories import ChildFactory, PlanFactory, UserFactory
from cumulus.testing.factories_oversight import (
    decided_contact,
    fix_today,
    manager_for,
    practitioner_for,
)

pytestmark = pytest.mark.django_db

MAUNDY_THURSDAY = dt.date(2025, 4, 17)


@pytest.fixture
def case(monkeypatch):
    fix_today(monkeypatch, MAUNDY_THURSDAY)
    child = ChildFactory()
    teacher = practitioner_for(child, agency_type=AgencyType.SCHOOL)
    decider = practitioner_for(
        child, role=Role.FRONT_DOOR_DECISION_MAKER, agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
    )
    contact = decided_contact(child, referrer=teacher, decided_by=decider)
    return child, teacher, decider, contact


def _raise(case):
    child, teacher, _, contact = case
    return escalation_raise(
        actor=teacher,
        child=child,
        contact=contact,
        disagreement="Three hungry days this week; the family is not engaging with school.",
    )


def _outcome(actor, escalation, outcome, **kwargs):
    return escalation_stage_outcome_record(
        actor=actor,
        escalation_id=escalation.pk,
        stage=kwargs.pop("stage", escalation.current_stage),
        outcome=outcome,
        note=kwargs.pop("note", "Discussed by phone."),
        **kwargs,
    )


def test_raising_starts_stage_one_due_in_working_days_skipping_easter(case):
    escalation = _raise(case)
    stage = escalation.stages.get()
    assert (stage.number, stage.started_on) == (1, MAUNDY_THURSDAY)
    # 2 working days: Good Friday and Easter Monday are bank holidays.
    assert stage.due_on == dt.date(2025, 4, 23)
    assert escalation.other_party == case[2]
    assert "No further action" in escalation.decision_summary


def test_raising_tells_the_decision_maker_and_lands_in_the_chronology(case):
    escalation = _raise(case)
    note = Notification.objects.get(recipient=case[2])
    assert "disagrees with a decision" in note.subject
    assert note.link == reverse("escalation:detail", args=[escalation.pk])
    event = ChronologyEvent.objects.get(child=case[0], event_type__code="escalation.disagreement")
    assert "stage 1" in event.summary


def test_a_practitioner_not_involved_with_the_child_cannot_raise_one(case):
    child, _, _, contact = case
    stranger = UserFactory()
    with pytest.raises(EscalationNotAllowedError):
        escalation_raise(actor=stranger, child=child, contact=contact, disagreement="No.")


def test_an_undecided_contact_or_another_childs_plan_cannot_be_escalated(case):
    child, teacher, _, contact = case
    contact.decided_at, contact.outcome = None, ""
    contact.save()
    with pytest.raises(ValidationError, match="not decided"):
        escalation_raise(actor=teacher, child=child, contact=contact, disagreement="Why?")
    with pytest.raises(ValidationError, match="another child"):
        escalation_raise(actor=teacher, child=child, plan=PlanFactory(), disagreement="Why?")


def test_a_disagreement_needs_its_reasons(case):
    child, teacher, _, contact = case
    with pytest.raises(ValidationError) as error:
        escalation_raise(actor=teacher, child=child, contact=contact, disagreement="  ")
    assert "disagreement" in error.value.message_dict


def test_a_plan_decision_goes_to_the_plans_lead_practitioner(case):
    child, teacher, _, _ = case
    lead = practitioner_for(child, role=Role.SOCIAL_WORKER)
    plan = PlanFactory(child=child, lead_practitioner=lead, started_on=dt.date(2025, 1, 6))
    escalation = escalation_raise(
        actor=teacher,
        child=child,
        plan=plan,
        decision_summary="Plan to step down to early help",
        disagreement="Attendance is still falling.",
    )
    assert escalation.other_party == lead
    assert Notification.objects.filter(recipient=lead).exists()


def test_escalating_opens_the_next_stage_with_its_own_timescale_and_tells_the_raiser(
    case, monkeypatch
):
    escalation = _raise(case)
    fix_today(monkeypatch, dt.date(2025, 4, 23))
    escalation = _outcome(case[2], escalation, StageOutcome.ESCALATED)
    assert escalation.current_stage == 2
    second = escalation.stages.get(number=2)
    assert second.started_on == dt.date(2025, 4, 23)
    assert second.due_on == dt.date(2025, 4, 28)  # 3 working days, over a weekend
    assert escalation.stages.get(number=1).outcome == StageOutcome.ESCALATED
    assert Notification.objects.filter(
        recipient=case[1], subject__contains="escalated to stage 2"
    ).exists()


def test_skipping_a_stage_is_refused_and_nothing_is_saved(case):
    escalation = _raise(case)
    with pytest.raises(EscalationStageError, match="from stage 1 to stage 2"):
        _outcome(case[2], escalation, StageOutcome.ESCALATED, next_stage=3)
    escalation.refresh_from_db()
    assert escalation.current_stage == 1
    assert escalation.stages.get().outcome == ""


def test_an_outcome_for_a_stage_already_past_is_refused(case):
    escalation = _raise(case)
    _outcome(case[2], escalation, StageOutcome.ESCALATED)
    with pytest.raises(EscalationStageError, match="at stage 2, not stage 1"):
        _outcome(case[1], escalation, StageOutcome.RESOLVED, stage=1)


def test_nothing_can_be_recorded_on_a_resolved_escalation(case):
    escalation = _raise(case)
    escalation = _outcome(case[2], escalation, StageOutcome.RESOLVED, note="Agreed a re-referral.")
    assert escalation.status == EscalationStatus.RESOLVED
    assert escalation.closed_at is not None
    with pytest.raises(EscalationClosedError, match="resolved"):
        _outcome(case[1], escalation, StageOutcome.ESCALATED, stage=1)


def test_withdrawing_closes_the_escalation(case):
    escalation = _outcome(case[1], _raise(case), StageOutcome.WITHDRAWN, note="New information.")
    assert escalation.status == EscalationStatus.WITHDRAWN


def test_the_last_stage_cannot_be_escalated(case):
    escalation = _raise(case)
    manager = manager_for(case[0])
    for _ in range(3):
        escalation = _outcome(manager, escalation, StageOutcome.ESCALATED)
    assert escalation.current_stage == load_procedure().last_stage.number == 4
    with pytest.raises(EscalationStageError, match="last stage"):
        _outcome(manager, escalation, StageOutcome.ESCALATED)
    assert _outcome(manager, escalation, StageOutcome.RESOLVED).status == "resolved"


def test_an_outcome_needs_a_note_and_a_known_outcome(case):
    escalation = _raise(case)
    with pytest.raises(ValidationError):
        _outcome(case[2], escalation, StageOutcome.RESOLVED, note=" ")
    with pytest.raises(ValidationError):
        _outcome(case[2], escalation, "shrugged")


def test_someone_involved_but_not_a_party_or_manager_cannot_record_an_outcome(case):
    escalation = _raise(case)
    nurse = practitioner_for(case[0], agency_type=AgencyType.SCHOOL_NURSING)
    with pytest.raises(EscalationNotAllowedError):
        _outcome(nurse, escalation, StageOutcome.RESOLVED)


def test_the_managers_list_shows_an_escalation_once_its_stage_is_overdue(case, monkeypatch):
    escalation = _raise(case)
    manager = manager_for(case[0])
    fix_today(monkeypatch, dt.date(2025, 4, 23))  # the due date: not yet overdue
    assert open_escalations(viewer=manager, overdue_only=True) == []
    fix_today(monkeypatch, dt.date(2025, 4, 24))
    [row] = open_escalations(viewer=manager, overdue_only=True)
    assert row.escalation == escalation
    assert row.is_overdue
    assert open_escalations(viewer=UserFactory()) == []


def test_procedure_is_read_from_configuration(settings, tmp_path, case):
    custom = tmp_path / "procedure.toml"
    custom.write_text(
        '[[stage]]\nnumber = 1\nname = "Talk"\nworking_days = 1\n'
        '[[stage]]\nnumber = 2\nname = "Board"\nworking_days = 7\n'
    )
    settings.CUMULUS_ESCALATION_PROCEDURE = str(custom)
    try:
        escalation = _raise(case)
        assert escalation.stages.get().due_on == dt.date(2025, 4, 22)
        escalation = _outcome(case[2], escalation, StageOutcome.ESCALATED)
        with pytest.raises(EscalationStageError, match="last stage"):
            _outcome(case[2], escalation, StageOutcome.ESCALATED)
    finally:
        _load.cache_clear()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one"),
        ('[[stage]]\nnumber = 2\nname = "A"\nworking_days = 1\n', "numbered 2"),
        ('[[stage]]\nnumber = 1\nname = "A"\nworking_days = 0\n', "at least 1"),
        ("[[stage]]\nnumber = 1\nworking_days = 3\n", "missing name"),
        ("[[stage", "not valid TOML"),
    ],
)
def test_a_broken_procedure_file_is_refused_with_the_reason(text, message):
    with pytest.raises(ProcedureError, match=message):
        parse_procedure(text)


def test_shipped_procedure_has_four_stages_with_timescales():
    procedure = load_procedure()
    assert [s.number for s in procedure.stages] == [1, 2, 3, 4]
    assert all(s.working_days >= 1 for s in procedure.stages)


def test_pages_follow_need_to_know(case, client):
    escalation = _raise(case)
    child, teacher, decider, _ = case
    client.force_login(UserFactory())
    assert client.get(reverse("escalation:child", args=[child.pk])).status_code == 404
    assert client.get(reverse("escalation:detail", args=[escalation.pk])).status_code == 404
    assert client.get(reverse("escalation:list")).status_code == 404
    client.force_login(teacher)
    assert client.get(reverse("escalation:child", args=[child.pk])).status_code == 200
    assert AccessLogEntry.objects.filter(
        actor=teacher, child_id=child.pk, detail__page="escalations"
    ).exists()
    client.force_login(decider)
    response = client.post(
        reverse("escalation:detail", args=[escalation.pk]),
        {"stage": 1, "outcome": "escalated", "note": "Managers to discuss."},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.current_stage == 2
    response = client.post(
        reverse("escalation:detail", args=[escalation.pk]),
        {"stage": 1, "outcome": "resolved", "note": "Stale page."},
    )
    assert "at stage 2, not stage 1" in response.content.decode()
    client.force_login(manager_for(child))
    page = client.get(reverse("escalation:list")).content.decode()
    assert child.full_name in page


def test_raising_through_the_page(case, client):
    child, teacher, _, contact = case
    client.force_login(teacher)
    url = reverse("escalation:new", args=[child.pk])
    assert f"contact:{contact.pk}" in client.get(url).content.decode()
    response = client.post(url, {"decision": f"contact:{contact.pk}", "disagreement": ""})
    assert "Say why you disagree" in response.content.decode()
    response = client.post(
        url, {"decision": f"contact:{contact.pk}", "disagreement": "Still hungry every day."}
    )
    assert response.status_code == 302


def test_another_decision_must_be_described_and_one_decision_at_a_time(case):
    child, teacher, _, contact = case
    with pytest.raises(ValidationError) as error:
        escalation_raise(actor=teacher, child=child, disagreement="Too slow.")
    assert "decision_summary" in error.value.message_dict
    plan = PlanFactory(child=child, started_on=dt.date(2025, 1, 6))
    with pytest.raises(ValidationError, match="one decision at a time"):
        escalation_raise(
            actor=teacher, child=child, contact=contact, plan=plan, disagreement="Both."
        )
    other = escalation_raise(
        actor=teacher,
        child=child,
        decision_summary="Health visiting closed the case",
        disagreement="The baby is still losing weight.",
    )
    assert other.decision_kind == "other"
    assert other.other_party is None
