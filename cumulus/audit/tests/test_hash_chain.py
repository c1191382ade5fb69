"""The access log's hash chain: intact chains verify; altered or removed entries are found."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cumulus.audit.chain import GENESIS_HASH, DeferredAppends, entry_hash, verify_chain
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

TRIGGERS = __import__("cumulus.audit.migrations.0002_append_only_triggers", fromlist=["SQLITE_UP"])


def _log(n):
    actor = UserFactory()
    return [
        AccessLogEntry.objects.create(
            actor=actor,
            actor_username=actor.username,
            action=AccessAction.VIEW_CHILD,
            child_id=100 + i,
            view_name="web:child-detail",
            path=f"/children/{100 + i}/",
            method="GET",
            request_id=f"request{i:06d}",
            ip_address="127.0.0.1",
            detail={"page": i, "terms": {"surname": "Ng"}},
        )
        for i in range(n)
    ]


def _tamper(sql, params):
    """Change the table behind the triggers' back, as a database owner could."""
    vendor = connection.vendor
    down = {"sqlite": TRIGGERS.SQLITE_DOWN, "postgresql": TRIGGERS.POSTGRES_DOWN}[vendor]
    up = {"sqlite": TRIGGERS.SQLITE_UP, "postgresql": TRIGGERS.POSTGRES_UP}[vendor]
    with connection.cursor() as cursor:
        for statement in down:
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in up:
            cursor.execute(statement)


def test_each_entry_links_to_the_one_before():
    first, second, third = _log(3)
    assert (first.sequence, second.sequence, third.sequence) == (1, 2, 3)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    stored = AccessLogEntry.objects.get(pk=second.pk)
    assert entry_hash(stored, stored.previous_hash) == second.entry_hash


def test_an_intact_chain_verifies_and_reports_its_head():
    entries = _log(4)
    report = verify_chain(batch_size=3)
    assert report.intact
    assert report.entries_checked == 4
    assert (report.head_sequence, report.head_hash) == (4, entries[-1].entry_hash)


def test_an_altered_entry_is_found_with_its_sequence():
    entries = _log(5)
    _tamper("UPDATE audit_accesslogentry SET path = %s WHERE id = %s", ["/x/", entries[2].pk])
    report = verify_chain()
    assert not report.intact
    assert [(b.sequence, b.problem) for b in report.breaks] == [
        (3, "content does not match its hash")
    ]


def test_a_removed_entry_is_found_as_a_gap():
    entries = _log(5)
    _tamper("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    problems = [(b.sequence, b.problem) for b in verify_chain().breaks]
    assert (2, "entries 2 to 2 are missing") in problems
    assert (3, "previous hash does not match the entry before") in problems


def test_verify_command_exits_zero_when_intact_and_fails_when_broken():
    entries = _log(3)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"3 entries; head 3:{entries[-1].entry_hash}" in out.getvalue()
    _tamper(
        "UPDATE audit_accesslogentry SET actor_username = %s WHERE id = %s",
        ["someone.else", entries[0].pk],
    )
    with pytest.raises(CommandError, match="hash chain is broken: 1 problem"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


def test_verify_command_notices_the_newest_entries_removed_against_a_recorded_head():
    entries = _log(3)
    head = f"3:{entries[-1].entry_hash}"
    call_command("audit", "verify", "--expect-head", head, stdout=StringIO())
    _tamper("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match="newest entries have been removed"):
        call_command("audit", "verify", "--expect-head", head, stdout=StringIO())


def test_deferred_entries_wait_for_the_flush_then_chain_in_order():
    (before,) = _log(1)
    with DeferredAppends() as deferred:
        queued = _log(3)
    assert AccessLogEntry.objects.count() == 1
    assert all(entry.pk is None for entry in queued)
    deferred.flush()
    assert [entry.sequence for entry in queued] == [2, 3, 4]
    assert queued[0].previous_hash == before.entry_hash
    assert queued[2].previous_hash == queued[1].entry_hash
    report = verify_chain()
    assert report.intact
    assert report.head_sequence == 4


def test_discarded_deferred_entries_are_never_written_and_later_ones_still_chain():
    with DeferredAppends() as deferred:
        _log(2)
    deferred.discard()
    deferred.flush()
    assert AccessLogEntry.objects.count() == 0
    (after,) = _log(1)
    assert after.sequence == 1
    assert verify_chain().intact


def test_a_request_on_postgresql_writes_its_entry_at_the_end_of_its_transaction(client):
    """Through the real middleware: the page's entry is in the chain once the response is out."""
    from cumulus.testing.factories import ChildFactory, InvolvementFactory

    user = UserFactory()
    child = ChildFactory()
    InvolvementFactory(child=child, practitioner=user, agency=user.agency)
    client.force_login(user)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(child_id=child.pk, action=AccessAction.VIEW_CHILD)
    assert entry.sequence is not None
    assert verify_chain().intact
