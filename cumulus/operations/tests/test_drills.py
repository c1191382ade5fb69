"""Drills against a real database with real processes: kill -9 a worker mid-task, and back up
and restore a whole partnership. They use the ``scratch`` database (see conftest.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cumulus.operations.tests.conftest import Scratch, _new_database, drop_database, scratch_env

ENQUEUE = """
from cumulus.operations.tests.tasks_for_tests import effect_then_sleep_first_time as t
print(t.enqueue(marker="drill-1", seconds=120).id)
"""


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_a_task_whose_worker_is_killed_is_run_again_by_another_worker_exactly_once(
    scratch: Scratch, tmp_path: Path
) -> None:
    scratch.env["CUMULUS_TASK_LEASE_SECONDS"] = "2"
    task_id = scratch.cumulus("shell", "-c", ENQUEUE).strip().splitlines()[-1]
    first = scratch.popen("worker", "--worker-id", "first", log=tmp_path / "first.log")
    try:
        _wait_for(
            lambda: (
                scratch.query(
                    "SELECT attempts FROM operations_taskrecord "
                    "WHERE id = %s AND status = 'RUNNING'",
                    (task_id.replace("-", "") if scratch.vendor == "sqlite" else task_id,),
                )
                == [(1,)]
            ),
            60,
            "the first worker to start the task",
        )
        time.sleep(0.5)  # it has written its row and is sleeping before the commit
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL

    scratch.cumulus("worker", "--worker-id", "second", "--until-idle", "--poll", "0.2")
    # The lease of the dead worker may not have run out when the second one first looked.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = scratch.query(
            "SELECT status, attempts, worker_ids, errors FROM operations_taskrecord"
        )
        if rows and rows[0][0] == "SUCCESSFUL":
            break
        time.sleep(1)
        scratch.cumulus("worker", "--worker-id", "second", "--until-idle")
    status, attempts, worker_ids, errors = rows[0]
    assert status == "SUCCESSFUL"
    assert attempts == 2
    worker_ids = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
    assert worker_ids == ["first", "second"]
    errors = json.loads(errors) if isinstance(errors, str) else errors
    assert [e["exception"] for e in errors] == ["cumulus.operations.worker.WorkerLostError"]
    # The killed attempt's write was rolled back with it: the effect happened exactly once.
    assert scratch.query("SELECT marker FROM drill_effect") == [("drill-1",)]


def test_backup_and_restore_round_trip_every_table_exactly(
    scratch: Scratch, tmp_path: Path
) -> None:
    scratch.cumulus(
        "shell",
        "-c",
        "from cumulus.audit.models import AccessLogEntry\n"
        "AccessLogEntry.objects.create(actor_username='drill', action='search', view_name='x',"
        " path='/', method='GET', request_id='drill-request-1')",
    )
    backup = tmp_path / "cumulus.backup"
    out = scratch.cumulus("backup", str(backup))
    assert "Backed up" in out
    manifest = json.loads(Path(f"{backup}.manifest.json").read_text())
    assert manifest["tables"]["people_child"]["rows"] > 0
    assert manifest["tables"]["audit_accesslogentry"]["rows"] >= 1

    base = os.environ.get("DATABASE_URL", "")
    target_var = tmp_path / "restored"
    created = None
    url = None
    if scratch.vendor == "postgresql":
        created, url = _new_database(base)
    env = scratch_env(target_var, url)
    try:
        out = scratch.cumulus("restore", str(backup), env=env)
        assert "counts and checksums match" in out
        # The restored database is a working Cumulus: migrations are all applied, and the
        # access log is still append-only there.
        scratch.cumulus("migrate", "--check", env=env)
        # The access log's hash chain verifies on the restored copy, with the same head.
        head = scratch.cumulus("audit", "verify").strip().splitlines()[-1].split("head ")[1]
        verified = scratch.cumulus("audit", "verify", "--expect-head", head, env=env)
        assert "Access log intact" in verified
        refused = scratch.cumulus(
            "shell",
            "-c",
            "from cumulus.audit.models import AccessLogEntry\n"
            "try:\n"
            "    AccessLogEntry.objects.all().delete()\n"
            "    print('deleted')\n"
            "except Exception as exc:\n"
            "    print('refused', type(exc).__name__)\n",
            env=env,
        )
        assert "refused" in refused
        # A second restore into the now non-empty database is refused.
        again = subprocess.run(
            [sys.executable, "-m", "cumulus.cli", "restore", str(backup)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        if created:
            drop_database(base, created)
