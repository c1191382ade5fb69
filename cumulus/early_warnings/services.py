"""Raising alerts from rule fires, and recording the practitioner's response."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
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
from cumulus.inbox.services import Message, notifications_send
from cumulus.people.policies import active_involvements


class AlertResponseNotAllowedError(Exception):
    """The actor may not respond to this alert."""


@dataclass(frozen=True)
class RunResult:
    fires: int
    raised: int
    already_raised: int


# Children per query when reading recipients: well inside SQLite's limit on parameters.
CHUNK = 5000


def _recipients(child_ids: list[int]) -> dict[int, list[tuple[int, RecipientReason]]]:
    """For each child: the lead practitioner (of each open plan) and their agency's DSLs; with
    no lead practitioner, the DSLs of every agency actively involved with the child. A few
    queries per chunk of children, however many alerts a run raises."""
    from cumulus.casework.models import Plan

    dsls: dict[int, list[int]] = {}
    for user_id, agency_id in User.objects.filter(
        role=Role.DESIGNATED_SAFEGUARDING_LEAD, is_active=True, agency_id__isnull=False
    ).values_list("pk", "agency_id"):
        dsls.setdefault(agency_id, []).append(user_id)
    leads: dict[int, dict[int, int | None]] = {}
    involved: dict[int, set[int]] = {}
    for i in range(0, len(child_ids), CHUNK):
        chunk = child_ids[i : i + CHUNK]
        for child_id, user_id, agency_id in (
            Plan.objects.filter(
                child_id__in=chunk,
                ended_on__isnull=True,
                lead_practitioner__isnull=False,
                lead_practitioner__is_active=True,
            )
            .order_by("pk")
            .values_list("child_id", "lead_practitioner_id", "lead_practitioner__agency_id")
        ):
            leads.setdefault(child_id, {})[user_id] = agency_id
        for child_id, agency_id in (
            active_involvements()
            .filter(child_id__in=chunk)
            .values_list("child_id", "agency_id")
            .distinct()
        ):
            involved.setdefault(child_id, set()).add(agency_id)
    out: dict[int, list[tuple[int, RecipientReason]]] = {}
    for child_id in child_ids:
        lead = leads.get(child_id, {})
        agencies = {a for a in lead.values() if a} or involved.get(child_id, set())
        chosen: dict[int, RecipientReason] = dict.fromkeys(lead, RecipientReason.LEAD_PRACTITIONER)
        for agency_id in sorted(agencies):
            for user_id in dsls.get(agency_id, []):
                chosen.setdefault(user_id, RecipientReason.AGENCY_DSL)
        out[child_id] = list(chosen.items())
    return out


def _latest_fires(
    fires: pa.Table, *, since: dt.date, as_of: dt.date
) -> dict[tuple[int, str], dict[str, Any]]:
    """The latest fire per child and rule between ``since`` and ``as_of`` (filtered in Arrow,
    so only the window's few rows become Python objects)."""
    day = fires["fired_on"]
    window = fires.filter(
        pc.and_(
            pc.greater_equal(day, pa.scalar(since, pa.date32())),
            pc.less_equal(day, pa.scalar(as_of, pa.date32())),
        )
    )
    latest: dict[tuple[int, str], dict[str, Any]] = {}
    for row in window.to_pylist():
        key = (row["child_id"], row["rule_code"])
        if key not in latest or row["fired_on"] > latest[key]["fired_on"]:
            latest[key] = row
    return latest


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
    new: the unique (child, rule, day) constraint and the cooldown make it idempotent.

    Set-based: the earlier alerts, the events, the recipients are each read in one pass and
    alerts, their events, recipients and notifications written with bulk inserts, so a
    partnership-wide run costs a handful of queries, not several per alert."""
    by_code = {r.code: r for r in rules}
    since = as_of - dt.timedelta(days=lookback_days)
    latest = _latest_fires(fires, since=since, as_of=as_of)
    if not latest:
        return RunResult(fires=fires.num_rows, raised=0, already_raised=0)
    earliest = min(
        row["fired_on"] - dt.timedelta(days=by_code[code].cooldown_days)
        for (_, code), row in latest.items()
    )
    earlier: dict[tuple[int, str], list[dt.date]] = {}
    for child_id, code, day in Alert.objects.filter(
        rule_code__in=by_code, fired_on__gte=earliest, fired_on__lte=as_of
    ).values_list("child_id", "rule_code", "fired_on"):
        earlier.setdefault((child_id, code), []).append(day)
    to_raise = []
    already = 0
    for key, row in sorted(latest.items()):
        fired_on = row["fired_on"]
        window_start = fired_on - dt.timedelta(days=by_code[key[1]].cooldown_days)
        if any(window_start <= day <= fired_on for day in earlier.get(key, [])):
            already += 1
        else:
            to_raise.append((key, row))
    if not to_raise:
        return RunResult(fires=fires.num_rows, raised=0, already_raised=already)
    wanted_events = sorted({e for _, row in to_raise for e in row["event_ids"]})
    known_events: set[int] = set()
    for i in range(0, len(wanted_events), CHUNK):
        known_events.update(
            ChronologyEvent.objects.filter(pk__in=wanted_events[i : i + CHUNK]).values_list(
                "pk", flat=True
            )
        )
    now = clock.now()
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                child_id=child_id,
                rule_code=code,
                rule_version=by_code[code].version,
                rule_title=by_code[code].title,
                rationale=by_code[code].rationale,
                ruleset=ruleset,
                evidence=str(row["evidence"] or ""),
                fired_on=row["fired_on"],
                raised_at=now,
            )
            for (child_id, code), row in to_raise
        ],
        batch_size=2000,
    )
    AlertEvent.objects.bulk_create(
        [
            AlertEvent(alert=alert, event_id=e)
            for alert, (_, row) in zip(alerts, to_raise, strict=True)
            for e in row["event_ids"]
            if e in known_events
        ],
        batch_size=5000,
    )
    recipients = _recipients(sorted({child_id for (child_id, _), _ in to_raise}))
    AlertRecipient.objects.bulk_create(
        [
            AlertRecipient(alert=alert, user_id=user_id, reason=reason)
            for alert in alerts
            for user_id, reason in recipients.get(alert.child_id, [])
        ],
        batch_size=5000,
    )
    notifications_send(
        [
            Message(
                recipient_id=user_id,
                subject=f"Early warning: {alert.rule_title}",
                body=(
                    f"A rule found a pattern in a child's chronology ({alert.evidence}). "
                    "Look at the events and record your response. The alert decides nothing."
                ),
                link=reverse("early_warnings:alert", args=[alert.pk]),
            )
            for alert in alerts
            for user_id, _ in recipients.get(alert.child_id, [])
        ]
    )
    return RunResult(fires=fires.num_rows, raised=len(alerts), already_raised=already)


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
