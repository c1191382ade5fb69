"""The batch runner: parse -> validate -> commit, all of one batch in one transaction.

A format plugs in a ``Handler``: ``parse`` turns bytes into ``SourceItem`` records (or refuses
the whole file with ``FileRejectedError``), ``check`` returns each record's errors and warnings,
``commit`` writes a chunk of accepted records. The runner does the rest the same way for every
format::

    result = batch_run(handler=CinCensusHandler(), source_name="cin.xml", data=raw, actor=user)
    result.batch.records_read == result.batch.records_accepted + result.batch.records_quarantined

- the same bytes imported twice change nothing (the second run finds the first batch);
- a record whose digest equals the last one seen for its key is ``unchanged``;
- records with an error are quarantined whole, with every reason;
- the batch row, every record, every quarantine row are written in one transaction, so a
  process killed mid-way leaves nothing of the batch behind.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction

from cumulus.accounts.models import Agency, User
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.interchange.models import (
    BatchKind,
    BatchStatus,
    BatchWarning,
    ImportBatch,
    QuarantinedRecord,
    QuarantineStatus,
    SourceRecord,
)

COMMIT_CHUNK = 500
CHUNK_ENV = "CUMULUS_INTERCHANGE_COMMIT_CHUNK"  # smaller chunks let the kill test stay small
# Test seam for the kill -9 test: after this many records the runner announces it and waits,
# so the test can kill the process at a known point inside the batch's transaction.
HOLD_ENV = "CUMULUS_INTERCHANGE_HOLD_AFTER"


class FileRejectedError(CumulusError):
    """The whole file cannot be read: nothing of it is imported."""


class BatchCountMismatchError(CumulusError):
    """accepted + quarantined != read: a record would be lost, so the batch is rolled back."""


@dataclass(frozen=True)
class Finding:
    """One rule broken by one record: which rule, what it says, where, and the value."""

    rule: str
    message: str
    field: str = ""
    value: str = ""
    location: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "message": _printable(self.message),
            "field": _printable(self.field),
            "value": _printable(self.value[:200]),
            "location": self.location,
        }


def _printable(text: str) -> str:
    """No NUL characters: PostgreSQL text and JSON cannot hold them."""
    return text.replace("\x00", "\\x00")


@dataclass
class SourceItem:
    """One record of a source file, with its natural key and the bytes it came from."""

    key: str
    location: str
    payload: str
    data: Any
    digest: str = ""

    def __post_init__(self) -> None:
        if not self.digest:
            self.digest = hashlib.sha256(self.payload.encode("utf-8")).hexdigest()


@dataclass
class ParsedFile:
    items: list[SourceItem]
    meta: dict[str, Any] = field(default_factory=dict)
    # Findings on the file as a whole that refuse particular records (found while parsing).
    findings: dict[int, list[Finding]] = field(default_factory=dict)


@dataclass
class Checked:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


class Handler(Protocol):
    kind: BatchKind

    def parse(self, data: bytes, *, source_name: str) -> ParsedFile: ...

    def check(self, parsed: ParsedFile) -> list[Checked]: ...

    def commit(
        self,
        items: Sequence[tuple[SourceItem, SourceRecord | None]],
        *,
        batch: ImportBatch,
        actor: User | None,
    ) -> list[SourceRecord]: ...

    def wrap_payload(self, payload: str, *, meta: dict[str, Any]) -> bytes: ...


@dataclass
class BatchResult:
    batch: ImportBatch
    already_imported: bool = False

    @property
    def summary(self) -> str:
        b = self.batch
        if b.status == BatchStatus.REJECTED:
            return f"batch {b.id}: file rejected: {b.rejection_reason}"
        prefix = f"batch {b.id}"
        if self.already_imported:
            prefix += " (this file was already imported; nothing changed)"
        return (
            f"{prefix}: read {b.records_read}, accepted {b.records_accepted} "
            f"(warned {b.records_warned}, unchanged {b.records_unchanged}), "
            f"quarantined {b.records_quarantined}"
        )


ProgressCallback = Callable[[int, int], None]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_source_name(name: str) -> str:
    """The file's base name only, printable, at most 255 characters (no path tricks)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return (cleaned.strip(" .") or "unnamed")[:255]


def _run_by_name(actor: User | None) -> str:
    if actor is not None:
        return actor.get_username()
    return os.environ.get("USER") or os.environ.get("USERNAME") or "system"


def batch_run(
    *,
    handler: Handler,
    source_name: str,
    data: bytes,
    actor: User | None,
    agency: Agency | None = None,
    resubmission_of: QuarantinedRecord | None = None,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Import ``data`` as one batch; see the module docstring for the guarantees."""
    digest = sha256_of(data)
    name = safe_source_name(source_name)
    previous = ImportBatch.objects.filter(
        kind=handler.kind, source_sha256=digest, status=BatchStatus.COMPLETE, agency=agency
    ).first()
    if previous is not None and resubmission_of is None:
        return BatchResult(batch=previous, already_imported=True)

    started_at = clock.now()
    try:
        parsed = handler.parse(data, source_name=name)
        checked = handler.check(parsed)
    except FileRejectedError as exc:
        return BatchResult(
            batch=ImportBatch.objects.create(
                kind=handler.kind,
                source_name=name,
                source_sha256=digest,
                source_bytes=len(data),
                agency=agency,
                run_by=actor,
                run_by_name=_run_by_name(actor),
                started_at=started_at,
                finished_at=clock.now(),
                status=BatchStatus.REJECTED,
                rejection_reason=str(exc),
            )
        )
    with transaction.atomic():
        batch = _commit_batch(
            handler=handler,
            parsed=parsed,
            checked=checked,
            batch=ImportBatch(
                kind=handler.kind,
                source_name=name,
                source_sha256=digest,
                source_bytes=len(data),
                agency=agency,
                run_by=actor,
                run_by_name=_run_by_name(actor),
                started_at=started_at,
                status=BatchStatus.COMPLETE,
                resubmission_of=resubmission_of,
                meta=parsed.meta,
            ),
            actor=actor,
            progress=progress,
        )
        if resubmission_of is not None and batch.records_quarantined == 0:
            resubmission_of.status = QuarantineStatus.RESUBMITTED
            resubmission_of.save(update_fields=["status"])
    return BatchResult(batch=batch)


def _commit_batch(
    *,
    handler: Handler,
    parsed: ParsedFile,
    checked: list[Checked],
    batch: ImportBatch,
    actor: User | None,
    progress: ProgressCallback | None,
) -> ImportBatch:
    batch.save()
    items = parsed.items
    known = _known_sources(handler.kind, (item.key for item in items))
    hold_after = int(os.environ.get(HOLD_ENV, "0") or 0)
    chunk = int(os.environ.get(CHUNK_ENV, "0") or 0) or COMMIT_CHUNK
    quarantine: list[QuarantinedRecord] = []
    warnings: list[BatchWarning] = []
    pending: list[tuple[SourceItem, SourceRecord | None]] = []
    accepted = warned = unchanged = quarantined = 0
    done = 0

    def flush() -> None:
        nonlocal done
        if pending:
            handler.commit(pending, batch=batch, actor=actor)
            done += len(pending)
            pending.clear()
        if quarantine:
            QuarantinedRecord.objects.bulk_create(quarantine)
            quarantine.clear()
        if warnings:
            BatchWarning.objects.bulk_create(warnings)
            warnings.clear()
        if progress is not None:
            progress(accepted + quarantined, len(items))

    for index, (item, result) in enumerate(zip(items, checked, strict=True)):
        errors = [*parsed.findings.get(index, []), *result.errors]
        if errors:
            quarantined += 1
            quarantine.append(
                QuarantinedRecord(
                    batch=batch,
                    record_key=_printable(item.key)[:120],
                    location=item.location[:200],
                    reasons=[f.as_dict() for f in errors],
                    payload=item.payload,
                )
            )
            continue
        accepted += 1
        if result.warnings:
            warned += 1
            warnings.extend(
                BatchWarning(
                    batch=batch,
                    record_key=item.key[:120],
                    rule=f.rule,
                    message=f.message,
                    field=f.field[:80],
                    value=f.value[:200],
                    location=f.location[:200],
                )
                for f in result.warnings
            )
        existing = known.get(item.key)
        if existing is not None and existing.digest == item.digest:
            unchanged += 1
            continue
        pending.append((item, existing))
        if len(pending) >= chunk:
            flush()
        if hold_after and accepted + quarantined == hold_after:
            flush()
            print(f"holding after {hold_after} records", file=sys.stderr, flush=True)
            time.sleep(600)
    flush()

    batch.records_read = len(items)
    batch.records_accepted = accepted
    batch.records_warned = warned
    batch.records_unchanged = unchanged
    batch.records_quarantined = quarantined
    batch.finished_at = clock.now()
    if batch.records_read != accepted + quarantined:  # pragma: no cover - guarded by design
        raise BatchCountMismatchError(
            f"read {batch.records_read} but accepted {accepted} + quarantined {quarantined}"
        )
    stored = QuarantinedRecord.objects.filter(batch=batch).count()
    if stored != quarantined:
        raise BatchCountMismatchError(f"{quarantined} quarantined but {stored} stored")
    batch.save()
    return batch


def _known_sources(kind: str, keys: Iterable[str]) -> dict[str, SourceRecord]:
    wanted = list(dict.fromkeys(keys))
    found: dict[str, SourceRecord] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for record in SourceRecord.objects.filter(kind=kind, key__in=chunk):
            found[record.key] = record
    return found
