"""The access log's hash chain: every entry seals its own content and its predecessor's hash.

An entry's hash is SHA-256 over a canonical JSON of its content (``canonical_content``) and the
previous entry's hash; ``sequence`` numbers are gapless. Altering a row changes its hash, so
the next row's ``previous_hash`` no longer matches; removing a row leaves a gap in the
sequence. ``verify_chain`` reports the first such break; ``cumulus audit verify`` exits 1 on it.

Appending takes a lock so that two requests never claim the same place in the chain: an
advisory transaction lock on PostgreSQL; on SQLite, Cumulus opens every transaction with
``BEGIN IMMEDIATE``, which already serialises writers. Removing the newest entries cannot be
seen from the chain alone: ``verify_chain`` returns the head (last sequence and hash), which an
operator can record elsewhere (e.g. in the backup log) and compare later.

The lock is held until the transaction ends. A web request runs in one transaction (the
row-level security middleware), so appending where a view logs would hold every other request's
log entry behind this one while it renders. Within ``DeferredAppends`` entries are queued and
chained together at the end of the request, just before it commits: the lock is then held for
one insert, not for a page.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

if TYPE_CHECKING:
    from cumulus.audit.models import AccessLogEntry

GENESIS_HASH = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK_KEY = 0x43554D554C5553  # "CUMULUS"
_CONTENT_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_agency",
    "actor_role",
    "action",
    "child_id",
    "view_name",
    "path",
    "method",
    "request_id",
    "ip_address",
    "user_agent",
    "detail",
    "sequence",
)


def canonical_content(entry: AccessLogEntry) -> str:
    """The entry's content as it is stored, in one stable text form."""
    values: dict[str, Any] = {}
    for name in _CONTENT_FIELDS:
        value = getattr(entry, name)
        if name == "occurred_at":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        elif name == "ip_address" and value is not None:
            value = str(value)
        values[name] = value
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def entry_hash(entry: AccessLogEntry, previous_hash: str) -> str:
    payload = f"{previous_hash}\n{canonical_content(entry)}".encode()
    return hashlib.sha256(payload).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


_Pending = tuple["AccessLogEntry", Callable[[], None]]
_state = threading.local()


def append_to_chain(entry: AccessLogEntry, insert: Callable[[], None]) -> None:
    """Give ``entry`` the next place in the chain and insert it, in one locked transaction;
    inside ``DeferredAppends``, queue it for the end of the request instead."""
    queue: list[_Pending] | None = getattr(_state, "queue", None)
    if queue is not None:
        queue.append((entry, insert))
        return
    _append_all([(entry, insert)])


def _append_all(pending: list[_Pending]) -> None:
    from cumulus.audit.models import AccessLogEntry

    with transaction.atomic():
        _lock_chain()
        last = (
            AccessLogEntry.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        )
        sequence, previous = (0, GENESIS_HASH)
        if last is not None and last[0] is not None:
            sequence, previous = last[0], last[1]
        for entry, insert in pending:
            sequence += 1
            # Hash what the database will hand back: JSON as JSON round-trips it.
            entry.detail = json.loads(json.dumps(entry.detail or {}))
            entry.sequence = sequence
            entry.previous_hash = previous
            entry.entry_hash = previous = entry_hash(entry, previous)
            insert()


class DeferredAppends:
    """Queue this thread's access-log entries until ``flush`` (or drop them with ``discard``).

    Use it inside the transaction that will commit them, and flush as the last step before
    the commit, so the chain's lock is held only from the flush to the commit.
    """

    def __init__(self) -> None:
        self._queue: list[_Pending] = []
        self._outer: list[_Pending] | None = None

    def __enter__(self) -> DeferredAppends:
        self._outer = getattr(_state, "queue", None)
        _state.queue = self._queue
        return self

    def __exit__(self, *exc: object) -> None:
        _state.queue = self._outer

    def flush(self) -> None:
        """Chain and insert what was queued (outside the ``with`` block, so nothing re-queues)."""
        pending, self._queue[:] = list(self._queue), []
        if pending:
            _append_all(pending)

    def discard(self) -> None:
        self._queue.clear()


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    head_sequence: int
    head_hash: str
    breaks: tuple[ChainBreak, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def _entries_in_order(batch_size: int) -> Iterator[AccessLogEntry]:
    from cumulus.audit.models import AccessLogEntry

    last_sequence = 0
    while True:
        batch = list(
            AccessLogEntry.objects.filter(sequence__gt=last_sequence).order_by("sequence")[
                :batch_size
            ]
        )
        if not batch:
            return
        yield from batch
        last_sequence = batch[-1].sequence or last_sequence


def verify_chain(*, batch_size: int = 5000, max_breaks: int = 20) -> ChainReport:
    """Recompute every hash in order; report altered, inserted or removed entries."""
    from cumulus.audit.models import AccessLogEntry

    breaks: list[ChainBreak] = []
    unchained = AccessLogEntry.objects.filter(sequence__isnull=True).order_by("id")
    for orphan in unchained[:max_breaks]:
        breaks.append(ChainBreak(0, orphan.pk, "entry is outside the hash chain (no sequence)"))
    expected_sequence = 1
    previous = GENESIS_HASH
    checked = 0
    for entry in _entries_in_order(batch_size):
        checked += 1
        sequence = entry.sequence or 0
        if sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    expected_sequence,
                    entry.pk,
                    f"entries {expected_sequence} to {sequence - 1} are missing",
                )
            )
        if entry.previous_hash != previous:
            breaks.append(
                ChainBreak(sequence, entry.pk, "previous hash does not match the entry before")
            )
        if entry_hash(entry, entry.previous_hash) != entry.entry_hash:
            breaks.append(ChainBreak(sequence, entry.pk, "content does not match its hash"))
        if len(breaks) >= max_breaks:
            break
        previous = entry.entry_hash
        expected_sequence = sequence + 1
    return ChainReport(
        entries_checked=checked,
        head_sequence=expected_sequence - 1,
        head_hash=previous,
        breaks=tuple(breaks),
    )
