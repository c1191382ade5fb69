"""Agency feeds (CSV or JSON): each record validated against the published JSON Schema,
matched to a child by exact identifier, and written to the child's chronology.

Every record carries the lawful basis on which the agency shares it (``lawful_basis``, with
``lawful_basis_reason`` when without consent or ``lawful_basis_consent_from`` with consent), or
the JSON feed declares one for all its records in ``defaults`` (the agency's data sharing
agreement). A record with no usable basis is quarantined; an accepted event's basis is kept by
``cumulus.sharing`` beside the chronology event.

A record is keyed by the agency and its own ``record_id``: the same record sent again changes
nothing; a corrected record (same id, new content) adds a "corrected" event, because the
chronology never rewrites what it said before.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from cumulus.accounts.models import Agency, User
from cumulus.chronology.models import AttendanceWeek, Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.interchange.batches import (
    Checked,
    FileRejectedError,
    Finding,
    ParsedFile,
    SourceItem,
)
from cumulus.interchange.feeds.matching import resolve_child
from cumulus.interchange.models import BatchKind, ImportBatch, SourceRecord
from cumulus.sharing.models import BasisProblem, LawfulBasis, basis_problem
from cumulus.sharing.services import feed_bases_save, feed_basis

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "specs" / "agency-feed-v1.schema.json"
MAX_BYTES = 32 * 1024 * 1024
MAX_RECORDS = 100_000
CHILD_COLUMNS = ("nhs_number", "upn", "la_child_id")
PRESENT_CODES = frozenset("/\\BDJPVW")
# Sessions that do not count as possible: not of compulsory school age (X), exceptional
# circumstances (Y), not on roll (Z), planned whole-school closure (#).
NOT_POSSIBLE_CODES = frozenset("XYZ#")
ENGLAND = dt.timezone(dt.timedelta(0))
BASIS_FIELDS = ("lawful_basis", "lawful_basis_reason", "lawful_basis_consent_from")
DEFAULTS_META = "defaults"


@cache
def feed_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(feed_schema(), format_checker=FormatChecker())


def _event(record: dict[str, Any]) -> tuple[str, Significance, str] | None:
    """Chronology event type, significance and summary for a record (None: nothing to add)."""
    kind = record["record_type"]
    note = record.get("summary", "")
    if kind == "health_appointment":
        what = record.get("appointment_type") or "health appointment"
        if record["outcome"] == "was_not_brought":
            return "health.was_not_brought", Significance.MEDIUM, note or f"Was not brought: {what}"
        return "health.appointment_attended", Significance.LOW, note or f"Attended: {what}"
    if kind == "immunisation":
        if record["outcome"] == "missed":
            return (
                "health.immunisation_missed",
                Significance.MEDIUM,
                note or (f"Immunisation missed: {record['vaccine']}"),
            )
        return (
            "health.appointment_attended",
            Significance.LOW,
            note or (f"Immunisation given: {record['vaccine']}"),
        )
    if kind == "school_attendance":
        if record["attendance_code"] in PRESENT_CODES:
            return None
        return (
            "education.absence",
            Significance.LOW,
            note or (f"Absent, {record['session']} session (code {record['attendance_code']})"),
        )
    if kind == "exclusion":
        permanent = record["exclusion_type"] == "permanent"
        days = record.get("days")
        text = "Permanent exclusion" if permanent else f"Suspension ({days or '?'} days)"
        return (
            "education.exclusion",
            Significance.HIGH if permanent else Significance.MEDIUM,
            (note or text),
        )
    if kind == "police_incident":
        incident = record["incident_type"]
        event = {
            "domestic_abuse": ("police.domestic_abuse", Significance.HIGH),
            "child_concern": ("police.concern", Significance.MEDIUM),
            "missing_episode": ("police.missing_episode", Significance.HIGH),
            "child_unsupervised": ("police.child_unsupervised", Significance.MEDIUM),
        }[incident]
        return event[0], event[1], note or incident.replace("_", " ").capitalize()
    concern = record["concern_type"]
    event_type = {
        "poor_conditions": "housing.poor_conditions",
        "homelessness": "housing.homelessness",
        "other": "housing.concern",
    }[concern]
    return event_type, Significance.MEDIUM, note or concern.replace("_", " ").capitalize()


def _attendance_add(
    weeks: dict[tuple[int, dt.date], list[int]],
    child_pk: int,
    record: dict[str, Any],
    src: SourceRecord | None,
) -> dict[str, Any]:
    """Add one session to its week's tally (taking back a corrected record's old session)."""
    day = timezone.localtime(occurred_at(record["occurred_at"])).date()
    code = record["attendance_code"]
    session: dict[str, Any] = {
        "week_start": (day - dt.timedelta(days=day.weekday())).isoformat(),
        "possible": int(code not in NOT_POSSIBLE_CODES),
        "attended": int(code in PRESENT_CODES and code not in NOT_POSSIBLE_CODES),
    }
    before = (src.extras or {}).get("attendance") if src is not None else None
    for held, sign in ((before, -1), (session, 1)):
        if held:
            tally = weeks.setdefault((child_pk, dt.date.fromisoformat(held["week_start"])), [0, 0])
            tally[0] += sign * held["possible"]
            tally[1] += sign * held["attended"]
    return session


def _attendance_weeks_apply(weeks: dict[tuple[int, dt.date], list[int]], *, agency: Agency) -> None:
    """Fold the batch's sessions into ``AttendanceWeek`` rows (one per child, school, week).

    Sessions are counted from the feed's records, so a week holds what the school has sent so
    far; a corrected record moves its session rather than counting it twice.
    """
    if not weeks:
        return
    held = {
        (w.child_id, w.week_start): w
        for w in AttendanceWeek.objects.select_for_update().filter(
            agency=agency,
            child_id__in={child for child, _ in weeks},
            week_start__in={week for _, week in weeks},
        )
    }
    fresh = []
    for (child_pk, week), (possible, attended) in weeks.items():
        row = held.get((child_pk, week))
        if row is None:
            if possible or attended:
                fresh.append(
                    AttendanceWeek(
                        child_id=child_pk,
                        agency=agency,
                        week_start=week,
                        sessions_possible=possible,
                        sessions_attended=attended,
                    )
                )
            continue
        row.sessions_possible += possible
        row.sessions_attended += attended
        row.save(update_fields=["sessions_possible", "sessions_attended"])
    AttendanceWeek.objects.bulk_create(fresh)


BASIS_CHOICES = ", ".join(LawfulBasis.values)


def _basis_message(problem: BasisProblem, basis: str, *, default: bool) -> tuple[str, str]:
    """The field and the specific reason a record's lawful basis is not usable."""
    where = " (from the feed's defaults)" if default else ""
    if problem == BasisProblem.MISSING:
        return (
            "lawful_basis",
            "No lawful basis for sharing: give lawful_basis (" + BASIS_CHOICES + ") on the "
            'record, or for every record in the feed\'s "defaults"',
        )
    if problem == BasisProblem.UNKNOWN:
        return "lawful_basis", f"{basis!r}{where} is not a lawful basis: use {BASIS_CHOICES}"
    if problem == BasisProblem.NO_CONSENT_FROM:
        return (
            "lawful_basis_consent_from",
            f"lawful_basis is consent{where} but lawful_basis_consent_from does not say who "
            "consented",
        )
    return (
        "lawful_basis_reason",
        f"lawful_basis is {basis}{where}, shared without consent, but lawful_basis_reason "
        "does not say why",
    )


def _basis_resolve(record: dict[str, Any], defaults: dict[str, str]) -> Finding | None:
    """Put the record's usable lawful basis in ``record["_basis"]``, or say what is wrong.

    A record that names its own ``lawful_basis`` is taken as it stands; one that does not takes
    the feed's defaults, with its own reason or consent-giver, if it gives one, in place of the
    default's.
    """
    own = "lawful_basis" in record
    stated = {
        name: str(record.get(name) or (defaults.get(name, "") if not own else ""))
        for name in BASIS_FIELDS
    }
    basis = stated["lawful_basis"]
    consent_from, reason = stated["lawful_basis_consent_from"], stated["lawful_basis_reason"]
    problem = basis_problem(basis, consent_from=consent_from, reason=reason)
    if problem is not None:
        field, message = _basis_message(problem, basis, default=not own and bool(defaults))
        return Finding("LAWFUL_BASIS", message, field, record.get(field, "") or "", "")
    record["_basis"] = {
        "basis": basis,
        "consent_from": consent_from,
        "reason": reason,
        "default": not own,
    }
    return None


def occurred_at(value: str) -> dt.datetime:
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return dt.datetime(day.year, day.month, day.day, 12, tzinfo=ENGLAND)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("occurred_at needs a time zone")
    return moment


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise FileRejectedError(f"The feed is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejectedError(
            f"The feed is not UTF-8 text (byte {exc.start} cannot be read)"
        ) from None
    if "\x00" in text:
        raise FileRejectedError("The feed contains NUL bytes: it is not a text file")
    return text


def _csv_records(text: str) -> list[tuple[str, dict[str, Any], str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    missing = {"record_id", "record_type", "occurred_at"} - set(fields)
    if missing:
        raise FileRejectedError("The CSV header lacks the column(s) " + ", ".join(sorted(missing)))
    out = []
    try:
        for row in reader:
            extra = row.pop(None, None)
            record: dict[str, Any] = {}
            child: dict[str, str] = {}
            for key, value in row.items():
                if value in (None, ""):
                    continue
                if key in CHILD_COLUMNS:
                    child[key] = value.strip()
                elif key == "days":
                    try:
                        record[key] = float(value)
                    except ValueError:
                        record[key] = value
                else:
                    record[key] = value.strip()
            record["child"] = child
            if extra:
                record["_extra_cells"] = extra
            payload = json.dumps(row, ensure_ascii=False, sort_keys=True)
            out.append((f"line {reader.line_num}", record, payload))
    except csv.Error as exc:
        raise FileRejectedError(
            f"The CSV cannot be read at line {reader.line_num}: {exc}"
        ) from None
    return out


def _defaults(doc: Any) -> dict[str, str]:
    """The feed's declared lawful basis for records that give none (its ``defaults``)."""
    if not isinstance(doc, dict) or "defaults" not in doc:
        return {}
    defaults = doc["defaults"]
    if not isinstance(defaults, dict):
        raise FileRejectedError('The feed\'s "defaults" must be an object')
    unknown = sorted(set(defaults) - set(BASIS_FIELDS))
    if unknown:
        raise FileRejectedError(
            'The feed\'s "defaults" may hold only '
            + ", ".join(BASIS_FIELDS)
            + "; it also has "
            + ", ".join(unknown)[:200]
        )
    if not all(isinstance(v, str) for v in defaults.values()):
        raise FileRejectedError('The feed\'s "defaults" values must be text')
    limits = feed_schema()["properties"]
    for name, value in defaults.items():
        if "\x00" in value or len(value) > limits[name].get("maxLength", 40):
            raise FileRejectedError(f'The feed\'s "defaults" {name} is too long or not text')
    return {k: v.strip() for k, v in defaults.items()}


def _json_records(text: str) -> tuple[list[tuple[str, dict[str, Any], str]], dict[str, str]]:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FileRejectedError(f"The feed is not valid JSON: {exc}") from None
    records = doc.get("records") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        raise FileRejectedError('A JSON feed is {"records": [...]} or a list of records')
    return [
        (
            f"record {n}",
            r if isinstance(r, dict) else {"_not_an_object": r},
            json.dumps(r, ensure_ascii=False, sort_keys=True),
        )
        for n, r in enumerate(records, start=1)
    ], _defaults(doc)


class FeedHandler:
    kind = BatchKind.AGENCY_FEED

    def __init__(self, *, agency: Agency) -> None:
        self.agency = agency

    def parse(self, data: bytes, *, source_name: str) -> ParsedFile:
        text = _decode(data)
        stripped = text.lstrip()
        is_json = source_name.lower().endswith(".json") or stripped[:1] in {"{", "["}
        rows, defaults = _json_records(text) if is_json else (_csv_records(text), {})
        if not rows:
            raise FileRejectedError("The feed holds no records")
        if len(rows) > MAX_RECORDS:
            raise FileRejectedError(f"A feed holds at most {MAX_RECORDS:,} records")
        items = []
        findings: dict[int, list[Finding]] = {}
        for index, (location, record, payload) in enumerate(rows):
            record_id = record.get("record_id")
            key = f"{self.agency.pk}:{record_id}" if isinstance(record_id, str) else location
            if "\\u0000" in payload:  # no database column may hold a NUL character
                key = location
                findings[index] = [
                    Finding("NUL", "The record contains a NUL character", "(record)", "", location)
                ]
            items.append(SourceItem(key=key[:160], location=location, payload=payload, data=record))
        meta: dict[str, Any] = {"format": "json" if is_json else "csv"}
        if defaults:
            meta[DEFAULTS_META] = defaults
        return ParsedFile(items=items, meta=meta, findings=findings)

    def check(self, parsed: ParsedFile) -> list[Checked]:
        results = []
        seen: dict[str, int] = {}
        for item in parsed.items:
            seen[item.key] = seen.get(item.key, 0) + 1
        for index, item in enumerate(parsed.items):
            record = item.data
            if index in parsed.findings:
                results.append(Checked())
                continue
            errors = [
                Finding(
                    rule="SCHEMA",
                    message=error.message[:300],
                    field=".".join(str(p) for p in error.absolute_path) or "(record)",
                    value=str(error.instance)[:200] if not isinstance(error.instance, dict) else "",
                    location=item.location,
                )
                for error in sorted(_validator().iter_errors(record), key=lambda e: e.json_path)
            ]
            if not errors:
                try:
                    occurred_at(record["occurred_at"])
                except ValueError as exc:
                    errors.append(
                        Finding(
                            "SCHEMA", str(exc), "occurred_at", record["occurred_at"], item.location
                        )
                    )
            if seen[item.key] > 1:
                errors.append(
                    Finding(
                        "DUPLICATE",
                        "Two records in this feed have the same record_id",
                        "record_id",
                        str(record.get("record_id", "")),
                        item.location,
                    )
                )
            if not errors:
                basis_error = _basis_resolve(record, parsed.meta.get(DEFAULTS_META, {}))
                if basis_error is not None:
                    errors.append(dataclasses.replace(basis_error, location=item.location))
            if not errors:
                resolution = resolve_child(record)
                if resolution.child is None:
                    errors.append(
                        Finding(
                            "MATCH",
                            resolution.reason,
                            "child",
                            json.dumps(record["child"]),
                            item.location,
                        )
                    )
                else:
                    record["_child"] = resolution.child
            results.append(Checked(errors=errors))
        return results

    def wrap_payload(self, payload: str, *, meta: dict[str, Any]) -> bytes:
        """A corrected record is re-submitted as a JSON feed of one, whatever it came as."""
        try:
            record = json.loads(payload)
        except json.JSONDecodeError as exc:
            raise FileRejectedError(f"The corrected record is not valid JSON: {exc}") from None
        if meta.get("format") == "csv" and isinstance(record, dict):
            child = {k: record.pop(k) for k in CHILD_COLUMNS if record.get(k)}
            record = {k: v for k, v in record.items() if v not in (None, "")}
            if "days" in record:
                with contextlib.suppress(TypeError, ValueError):
                    record["days"] = float(record["days"])
            record["child"] = child
        doc: dict[str, Any] = {"records": [record]}
        if meta.get(DEFAULTS_META):  # the batch's data sharing agreement still applies
            doc["defaults"] = meta[DEFAULTS_META]
        return json.dumps(doc).encode("utf-8")

    def commit(
        self,
        items: Sequence[tuple[SourceItem, SourceRecord | None]],
        *,
        batch: ImportBatch,
        actor: User | None,
    ) -> list[SourceRecord]:
        new: list[SourceRecord] = []
        changed: list[SourceRecord] = []
        weeks: dict[tuple[int, dt.date], list[int]] = {}
        bases = []
        for item, src in items:
            record = item.data
            child = record.pop("_child")
            basis = record.pop("_basis")
            extras: dict[str, Any] = {"record_type": record["record_type"]}
            if record["record_type"] == "school_attendance":
                extras["attendance"] = _attendance_add(weeks, child.pk, record, src)
            event = _event(record)
            if event is not None:
                event_type, significance, summary = event
                shared = chronology_event_record(
                    actor=actor,
                    child=child,
                    agency=self.agency,
                    event_type=event_type,
                    occurred_at=occurred_at(record["occurred_at"]),
                    summary=("Corrected: " if src is not None else "") + summary,
                    significance=significance,
                    source_system=f"feed:{self.agency.code or self.agency.pk}"[:60],
                    source_reference=record["record_id"][:120],
                )
                bases.append(feed_basis(event=shared, batch=batch, **basis))
            source = src or SourceRecord(kind=self.kind, key=item.key)
            source.digest = item.digest
            source.child = child
            source.batch = batch
            source.extras = extras
            (changed if src is not None else new).append(source)
        _attendance_weeks_apply(weeks, agency=self.agency)
        feed_bases_save(bases)
        SourceRecord.objects.bulk_create(new)
        SourceRecord.objects.bulk_update(changed, ["digest", "child", "batch", "extras"])
        return new + changed
