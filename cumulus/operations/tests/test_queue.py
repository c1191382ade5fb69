"""The database task backend and the worker, in process: enqueue, run, retry, recover, show."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.urls import reverse

from cumulus.accounts.models import Agency, Role
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record_offline
from cumulus.core import clock
from cumulus.operations.models import TaskRecord, TaskStatus
from cumulus.operations.registry import EntryPoint, register, registration_for
from cumulus.operations.tasks import access_log_export
from cumulus.operations.tests.tasks_for_tests import add, fail_always
from cumulus.operations.worker import queue_depth, run_worker, task_claim, task_run
from cumulus.testing.factories import UserFactory
from cumulus.testing.formulas import FORMULA_PAYLOADS

pytestmark = pytest.mark.django_db


def test_enqueue_stores_the_task_and_the_worker_runs_it():
    result = add.enqueue(a=2, b=3)
    assert result.status == TaskResultStatus.READY
    assert queue_depth() == 1
    assert run_worker(worker_id="w1", exit_when_idle=True) == 1
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert result.worker_ids == ["w1"]
    assert queue_depth() == 0


def test_get_result_of_an_unknown_id_raises_the_frameworks_error():
    with pytest.raises(TaskResultDoesNotExist):
        add.get_result("not-a-uuid")


def test_a_failing_task_is_retried_after_a_backoff_then_failed_with_every_error():
    result = fail_always.enqueue(name="Broken school")
    record = TaskRecord.objects.get(pk=result.id)
    assert record.max_attempts == 3
    for attempt in range(1, 4):
        TaskRecord.objects.filter(pk=record.pk).update(run_after=clock.now())
        claimed = task_claim(worker_id="w1")
        assert claimed is not None
        assert claimed.attempts == attempt
        status = task_run(record=claimed, worker_id="w1")
        record.refresh_from_db()
        if attempt < 3:
            assert status == TaskStatus.READY
            assert record.run_after > clock.now()  # backed off
            assert task_claim(worker_id="w1") is None
    assert record.status == TaskStatus.FAILED
    assert [e["exception"] for e in record.errors] == ["builtins.RuntimeError"] * 3
    # Each failed attempt's writes were rolled back.
    assert not Agency.objects.filter(name="Broken school").exists()
    assert fail_always.get_result(result.id).status == TaskResultStatus.FAILED


def test_a_task_whose_lease_ran_out_is_claimed_again_and_counts_the_lost_attempt():
    add.enqueue(a=1, b=1)
    lost = task_claim(worker_id="dead")
    assert lost is not None
    assert task_claim(worker_id="alive") is None  # the lease still holds
    TaskRecord.objects.filter(pk=lost.pk).update(lease_expires_at=clock.now() - dt.timedelta(1))
    again = task_claim(worker_id="alive")
    assert again is not None
    assert again.pk == lost.pk
    assert again.attempts == 2
    assert again.worker_ids == ["dead", "alive"]
    assert again.errors[0]["exception"] == "cumulus.operations.worker.WorkerLostError"
    assert task_run(record=again, worker_id="alive") == TaskStatus.SUCCESSFUL


def test_a_task_lost_on_its_last_attempt_is_failed_not_run_again():
    result = add.enqueue(a=1, b=1)
    TaskRecord.objects.filter(pk=result.id).update(max_attempts=1)
    lost = task_claim(worker_id="dead")
    assert lost is not None
    TaskRecord.objects.filter(pk=lost.pk).update(lease_expires_at=clock.now() - dt.timedelta(1))
    assert task_claim(worker_id="alive") is None
    assert TaskRecord.objects.get(pk=lost.pk).status == TaskStatus.FAILED


def test_registered_entry_points_set_kind_and_attempts():
    assert registration_for(access_log_export.module_path).kind == EntryPoint.HOUSEKEEPING
    register(add, kind=EntryPoint.IMPORT, max_attempts=5)
    try:
        record = TaskRecord.objects.get(pk=add.enqueue(a=1, b=2).id)
        assert (record.kind, record.max_attempts) == ("import", 5)
    finally:
        register(add, kind=EntryPoint.OTHER)
    with pytest.raises(ValueError, match="between 1 and 20"):
        register(add, kind=EntryPoint.IMPORT, max_attempts=0)


def test_access_log_export_writes_the_days_entries_to_a_csv(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("web:child-search"), {"q": "Ada"})
    today = clock.now().astimezone(dt.UTC).date().isoformat()
    result = access_log_export.enqueue(on=today)
    run_worker(worker_id="w1", exit_when_idle=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    exported = (tmp_path / "exports" / f"access-log-{today}.csv").read_text().splitlines()
    assert exported[0].startswith("occurred_at,actor_username")
    assert len(exported) - 1 == result.return_value["rows"]
    assert not list((tmp_path / "exports").glob(".access-log-*"))


def test_the_task_page_shows_tasks_to_system_administrators_only(client):
    fail_always.enqueue(name="x")
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get(reverse("operations:tasks")).status_code == 404
    client.force_login(UserFactory(role=Role.SYSTEM_ADMINISTRATOR))
    response = client.get(reverse("operations:tasks"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "tests.tasks_for_tests.fail_always" in html
    assert "0 of 3" in html


def test_cumulus_enqueue_puts_a_registered_task_on_the_queue_and_refuses_others():
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "enqueue",
        "cumulus.operations.tasks.access_log_export",
        kwargs='{"on": "2026-12-01"}',
        stdout=out,
    )
    record = TaskRecord.objects.get(pk=out.getvalue().strip())
    assert record.kwargs == {"on": "2026-12-01"}
    assert record.kind == "housekeeping"
    with pytest.raises(CommandError, match="not a registered task"):
        call_command("enqueue", "os.system", kwargs="{}")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("enqueue", "cumulus.operations.tasks.access_log_export", kwargs="{on")


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_access_log_export_neutralises_text_that_a_spreadsheet_would_run(
    payload, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    access_log_record_offline(
        actor=UserFactory(username=payload),
        action=AccessAction.SEARCH,
        view_name=payload,
        detail={"query": payload},
    )
    today = clock.now().astimezone(dt.UTC).date().isoformat()
    result = access_log_export.enqueue(on=today)
    run_worker(worker_id="w1", exit_when_idle=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    path = tmp_path / "exports" / f"access-log-{today}.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the search was logged"
    assert [(r["actor_username"], r["view_name"]) for r in rows] == [("'" + payload,) * 2]
