"""Raising alerts from rule fires, and recording the practitioner's response."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cumulus.accounts.models import Role, User
from cumulus.chronology.models import ChronologyEvent
from cumulus.core import clock
from cumulus.early_warnings import engine
from cumulus.early_warnings.extract import django_tables
from cumulus.early_warnings.models import (
    Alert,
    AlertEvent,
    AlertRecipient,
    AlertResponse,
    RecipientReason,
    ResponseKind,
)
from cumulus.early_warnings.policies import can_respond_to_alert
from cumulus.inbox.services import notification_send
from cumulus.people.policies import active_involvements


class AlertResponseNotAllowedError(Exception):
    """The actor may not respond to this alert."""


@dataclass(frozen=True)
class RunResult:
    fires: int
    raised: int
    already_raised: int


def _recipients(child_id: int) -> list[tuple[User, RecipientReason]]:
    """The child's lead practitioner (of the open plan) and their agency's DSLs; with no lead
    practitioner, the DSLs of every agency actively involved with the child."""
    from cumulus.casework.models import Plan

    leads = [
        p.lead_practitioner
        for p in Plan.objects.filter(
            child_id=child_id, ended_on__isnull=True, lead_practitioner__isnull=False
        ).select_related("lead_practitioner")
        if p.lead_practitioner is not None and p.lead_practitioner.is_active
    ]
    agencies = {u.agency_id for u in leads if u.agency_id} or set(
        active_involvements().filter(child_id=child_id).values_list("agency_id", flat=True)
    )
    dsls = User.objects.filter(
        agency_id__in=agencies, role=Role.DESIGNATED_SAFEGUARDING_LEAD, is_active=True
    )
    out: dict[int, tuple[User, RecipientReason]] = {}
    for user in leads:
        out[user.pk] = (user, RecipientReason.LEAD_PRACTITIONER)
    for user in dsls:
        out.setdefault(user.pk, (user, RecipientReason.AGENCY_DSL))
    return list(out.values())


@transaction.atomic
def alerts_raise(
    *,
    fires: pa.Table,
    rules: list[engine.Rule],
    ruleset: str,
    as_of: dt.date,
    lookback_days: int = 30,
) -> RunResult:
    """Raise one alert per child and rule for the latest fire within ``lookback_days``,
    unless one was raised for them within the rule's cooldown. Running twice raises nothing
    new: the unique (child, rule, day) constraint and the cooldown make it idempotent."""
    by_code = {r.code: r for r in rules}
    since = as_of - dt.timedelta(days=lookback_days)
    latest: dict[tuple[int, str], dict[str, object]] = {}
    for row in fires.to_pylist():
        if not since <= row["fired_on"] <= as_of:
            continue
        key = (row["child_id"], row["rule_code"])
        if key not in latest or row["fired_on"] > latest[key]["fired_on"]:
            latest[key] = row
    raised = already = 0
    known_events = set(
        ChronologyEvent.objects.filter(
            pk__in={e for row in latest.values() for e in row["event_ids"]}  # type: ignore[attr-defined]
        ).values_list("pk", flat=True)
    )
    for (child_id, code), row in sorted(latest.items()):
        rule = by_code[code]
        fired_on = row["fired_on"]
        assert isinstance(fired_on, dt.date)
        window_start = fired_on - dt.timedelta(days=rule.cooldown_days)
        if Alert.objects.filter(
            child_id=child_id, rule_code=code, fired_on__gte=window_start, fired_on__lte=fired_on
        ).exists():
            already += 1
            continue
        alert = Alert.objects.create(
            child_id=child_id,
            rule_code=code,
            rule_version=rule.version,
            rule_title=rule.title,
            rationale=rule.rationale,
            ruleset=ruleset,
            evidence=str(row["evidence"] or ""),
            fired_on=fired_on,
            raised_at=clock.now(),
        )
        AlertEvent.objects.bulk_create(
            AlertEvent(alert=alert, event_id=e)
            for e in row["event_ids"]  # type: ignore[attr-defined]
            if e in known_events
        )
        link = reverse("early_warnings:alert", args=[alert.pk])
        for user, reason in _recipients(child_id):
            AlertRecipient.objects.create(alert=alert, user=user, reason=reason)
            notification_send(
                recipient=user,
                subject=f"Early warning: {rule.title}",
                body=(
                    f"A rule found a pattern in a child's chronology ({alert.evidence}). "
                    "Look at the events and record your response. The alert decides nothing."
                ),
                link=link,
            )
        raised += 1
    return RunResult(fires=fires.num_rows, raised=raised, already_raised=already)


def warnings_run(
    *,
    ruleset: str,
    as_of: dt.date | None = None,
    lookback_days: int = 30,
    child_ids: list[int] | None = None,
) -> RunResult:
    """Extract the case record, evaluate every rule of the set in DuckDB, raise the alerts."""
    day = as_of or clock.today()
    rules = engine.load_ruleset(ruleset)
    con = duckdb.connect()
    try:
        engine.register_tables(con, django_tables(child_ids=child_ids))
        fires = engine.evaluate(con, rules, as_of=day)
    finally:
        con.close()
    return alerts_raise(
        fires=fires, rules=rules, ruleset=ruleset, as_of=day, lookback_days=lookback_days
    )


@transaction.atomic
def alert_respond(*, actor: User, alert: Alert, kind: str, note: str = "") -> AlertResponse:
    """Record what the practitioner decided. "No action" must say why."""
    if kind not in ResponseKind.values:
        raise ValidationError({"kind": "Choose acknowledged, action taken or no action."})
    note = note.strip()
    if kind == ResponseKind.NO_ACTION and not note:
        raise ValidationError({"note": "Say why no action is needed."})
    if kind == ResponseKind.ACTION_TAKEN and not note:
        raise ValidationError({"note": "Say what action was taken."})
    if not can_respond_to_alert(actor, alert):
        raise AlertResponseNotAllowedError("Only someone who may see the child may respond.")
    response = AlertResponse(alert=alert, responder=actor, kind=kind, note=note)
    response.full_clean()
    response.save()
    return response
