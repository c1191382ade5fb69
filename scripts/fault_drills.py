"""Fault drills on this machine, each asserting its outcome (results: docs/deployment.md).

    python3 -m uv run python scripts/fault_drills.py            # all three drills, as root

1. ``db-restart``: a private PostgreSQL 15 instance (initdb in a temporary directory, its own
   port: the shared server is never touched) is restarted while eight clients open child pages
   and record concerns through gunicorn. Every answer must be a page (200/302) or the friendly
   503/500 page, never a traceback; the service must recover by itself; every concern is
   either fully saved (contact, chronology event) or absent.
2. ``web-kill``: a concern is posted while another session holds a lock on the chronology
   table, so the request is stuck inside its transaction after writing the contact; every
   gunicorn worker is then killed with SIGKILL. The contact must not exist; after gunicorn
   replaces its workers, sending the same concern again saves it exactly once.
3. ``disk-full``: ``cumulus synth --into-db`` (the bulk import) writes the embedded SQLite
   database on a tmpfs with 1 MiB to spare. It must fail with a clear message and leave no
   rows; after the disk is enlarged the same command succeeds.
"""

# An operator's drill: it runs fixed system tools (mount, pg_ctl) with arguments it builds.
# ruff: noqa: S603, S607
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drill_client import Client

ROOT = Path(__file__).resolve().parents[1]
PGBIN = Path("/usr/lib/postgresql/15/bin")
SECRET = "drill-" + "x9Kq2mW7vR4tY8pL3nB6cF1hJ5gD0sA2eZ7uI4oP9lM3kN8jH6"
FRIENDLY = ("Sorry, the service is unavailable", "Sorry, there is a problem with the service")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def cumulus(
    *args: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "cumulus.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if check and result.returncode != 0:
        raise SystemExit(f"cumulus {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class PrivatePostgres:
    """A throwaway PostgreSQL cluster owned by the postgres user, on its own port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.data = Path(tempfile.mkdtemp(prefix="cumulus-drill-pg-"))
        shutil.chown(self.data, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{port}/cumulus"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    def init(self) -> None:
        self._as_postgres(
            str(PGBIN / "initdb"), "-D", str(self.data / "db"), "-A", "trust", "-U", "postgres"
        )
        self.start()
        self._as_postgres(
            str(PGBIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "cumulus",
        )

    def start(self) -> None:
        self._as_postgres(
            str(PGBIN / "pg_ctl"),
            "-D",
            str(self.data / "db"),
            "-w",
            "-l",
            str(self.data / "log"),
            "-o",
            f"-p {self.port} -k {self.data}",
            "start",
        )

    def stop(self) -> None:
        self._as_postgres(
            str(PGBIN / "pg_ctl"), "-D", str(self.data / "db"), "-w", "-m", "fast", "stop"
        )

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as con:
            return list(con.execute(sql, params))


class Service:
    def __init__(self, env: dict[str, str], port: int, log_file: Path) -> None:
        self.port = port
        self.env = {
            **env,
            "CUMULUS_BIND": f"127.0.0.1:{port}",
            "CUMULUS_WEB_WORKERS": "2",
            "CUMULUS_WEB_THREADS": "4",
        }
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_file.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cumulus.cli", "serve", "--production"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready(180)

    def wait_ready(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if Client("127.0.0.1", self.port, timeout=5).get("/readyz").status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.25)
        raise SystemExit(f"service not ready after {timeout} s; see {self.log_file}")

    def workers(self) -> list[int]:
        assert self.process is not None
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def _integrity(pg: PrivatePostgres, prefix: str) -> tuple[int, int]:
    """Contacts with the drill's marker, and how many of them lack their chronology event."""
    contacts = pg.query("SELECT id FROM casework_contact WHERE summary LIKE %s", (f"{prefix}%",))
    missing = 0
    for (contact_id,) in contacts:
        events = pg.query(
            "SELECT count(*) FROM chronology_chronologyevent WHERE source_reference = %s",
            (f"contact:{contact_id}",),
        )[0][0]
        missing += events != 1
    return len(contacts), missing


def drill_db_restart(pg: PrivatePostgres, service: Service) -> dict[str, Any]:
    outcomes: Counter[str] = Counter()
    saved_markers: list[str] = []
    unfriendly: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def practitioner(n: int) -> None:
        client = Client("127.0.0.1", service.port, timeout=20)
        client.sign_in("teacher")
        children = client.my_children()
        i = 0
        while not stop.is_set():
            i += 1
            child = children[(n + i) % len(children)]
            marker = f"drill-restart-{n}-{i}"
            try:
                page = client.get(f"/children/{child}/")
                sent = client.post_form(f"/children/{child}/concerns/new/", {"summary": marker})
                results = [page, sent]
            except OSError as exc:
                with lock:
                    outcomes[f"connection error ({type(exc).__name__})"] += 1
                time.sleep(0.5)
                continue
            except RuntimeError:
                with lock:
                    outcomes["form unavailable (friendly page)"] += 1
                time.sleep(0.5)
                continue
            with lock:
                for r in results:
                    outcomes[str(r.status)] += 1
                    if r.status >= 500 and not any(f in r.body for f in FRIENDLY):
                        unfriendly.append(r.body[:300])
                if sent.status == 302:
                    saved_markers.append(marker)
            time.sleep(0.2)

    threads = [threading.Thread(target=practitioner, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    time.sleep(10)
    log("db-restart: stopping PostgreSQL under load")
    pg.stop()
    time.sleep(5)
    pg.start()
    restarted = time.monotonic()
    log("db-restart: PostgreSQL is back")
    recovered = service.wait_ready(60)
    # Recovered means real pages again: a signed-in page renders.
    probe = Client("127.0.0.1", service.port)
    probe.sign_in("teacher")
    first_page = time.monotonic() - restarted
    time.sleep(5)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    saved, missing_events = _integrity(pg, "drill-restart-")
    confirmed = sum(
        pg.query("SELECT count(*) FROM casework_contact WHERE summary = %s", (m,))[0][0] == 1
        for m in saved_markers
    )
    result = {
        "answers": dict(outcomes),
        "unfriendly_error_pages": len(unfriendly),
        "seconds_to_ready_after_restart": round(recovered, 1),
        "seconds_to_signed_in_page_after_restart": round(first_page, 1),
        "concerns_confirmed_to_the_user": len(saved_markers),
        "confirmed_concerns_found_once": confirmed,
        "concerns_in_database": saved,
        "concerns_without_their_chronology_event": missing_events,
    }
    assert not unfriendly, unfriendly[:3]
    assert confirmed == len(saved_markers)
    assert missing_events == 0
    assert any(k.startswith("5") or "friendly" in k or "connection" in k for k in outcomes), (
        "the restart was not felt: the drill proves nothing"
    )
    return result


def drill_web_kill(pg: PrivatePostgres, service: Service) -> dict[str, Any]:
    import psycopg

    client = Client("127.0.0.1", service.port, timeout=60)
    client.sign_in("teacher")
    child = client.my_children()[0]
    marker = "drill-kill-concern-1"
    holder = psycopg.connect(pg.url)
    holder.execute("LOCK TABLE chronology_chronologyevent IN EXCLUSIVE MODE")
    outcome: dict[str, str] = {}

    def send() -> None:
        try:
            r = client.post_form(f"/children/{child}/concerns/new/", {"summary": marker})
            outcome["first"] = str(r.status)
        except OSError as exc:
            outcome["first"] = f"connection lost ({type(exc).__name__})"

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        waiting = pg.query(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'INSERT INTO \"chronology_chronologyevent\"%%'"
        )[0][0]
        if waiting:
            break
        time.sleep(0.1)
    else:
        raise SystemExit("the concern request never reached the chronology insert")
    killed = service.workers()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    log(f"web-kill: SIGKILL to gunicorn workers {killed} mid-request")
    time.sleep(1)
    holder.rollback()
    holder.close()
    sender.join(timeout=60)
    time.sleep(2)  # the orphaned backend notices its client is gone and rolls back
    after_kill = _integrity(pg, marker)
    service.wait_ready(60)
    again = client.post_form(f"/children/{child}/concerns/new/", {"summary": marker})
    after_retry = _integrity(pg, marker)
    result = {
        "first_attempt": outcome.get("first"),
        "workers_killed": len(killed),
        "concerns_after_kill": after_kill[0],
        "second_attempt_status": again.status,
        "concerns_after_second_attempt": after_retry[0],
        "concerns_without_their_chronology_event": after_retry[1],
    }
    assert after_kill == (0, 0), after_kill
    assert again.status == 302
    assert after_retry == (1, 0), after_retry
    return result


def drill_disk_full(work: Path) -> dict[str, Any]:
    mount = work / "tiny-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
    try:
        env = base_env(
            CUMULUS_ENV="development", CUMULUS_VAR_DIR=str(mount), CUMULUS_LOG_LEVEL="WARNING"
        )
        cumulus("migrate", "-v0", env=env)
        used = sum(f.stat().st_size for f in mount.rglob("*") if f.is_file())
        size_kib = used // 1024 + 1024
        subprocess.run(["mount", "-o", f"remount,size={size_kib}k", str(mount)], check=True)
        command = ("synth", "--children", "3000", "--years", "1", "--seed", "7", "--into-db")
        failed = cumulus(*command, env=env, check=False)
        message = (failed.stderr.strip().splitlines() or [""])[-1]
        import sqlite3

        con = sqlite3.connect(mount / "cumulus.sqlite3")
        rows_left = con.execute("SELECT count(*) FROM people_child").fetchone()[0]
        events_left = con.execute("SELECT count(*) FROM chronology_chronologyevent").fetchone()[0]
        con.close()
        subprocess.run(["mount", "-o", "remount,size=512m", str(mount)], check=True)
        rerun = cumulus(*command, env=env, check=False)
        con = sqlite3.connect(mount / "cumulus.sqlite3")
        children = con.execute("SELECT count(*) FROM people_child").fetchone()[0]
        con.close()
        result = {
            "disk_kib": size_kib,
            "first_run_exit_code": failed.returncode,
            "first_run_message": message[:200],
            "children_left_by_failed_run": rows_left,
            "events_left_by_failed_run": events_left,
            "rerun_exit_code": rerun.returncode,
            "children_after_rerun": children,
        }
        assert failed.returncode != 0
        assert "full" in (failed.stdout + failed.stderr).lower()
        assert rows_left == 0
        assert events_left == 0
        assert rerun.returncode == 0
        assert children > 0
        return result
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", default="db-restart,web-kill,disk-full")
    parser.add_argument("--db-port", type=int, default=55412)
    parser.add_argument("--web-port", type=int, default=8713)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    drills = args.drills.split(",")
    work = Path(tempfile.mkdtemp(prefix="cumulus-drills-"))
    results: dict[str, Any] = {}
    pg = service = None
    try:
        if {"db-restart", "web-kill"} & set(drills):
            log("setting up a private PostgreSQL and the demo partnership")
            pg = PrivatePostgres(args.db_port)
            pg.init()
            dev = base_env(
                CUMULUS_ENV="development",
                CUMULUS_VAR_DIR=str(work / "var"),
                DATABASE_URL=pg.url,
                CUMULUS_LOG_LEVEL="WARNING",
            )
            cumulus("demo", "--no-serve", "--children", "60", env=dev)
            prod = base_env(
                CUMULUS_ENV="production",
                CUMULUS_SECRET_KEY=SECRET,
                CUMULUS_ALLOWED_HOSTS="127.0.0.1",
                CUMULUS_SSL_REDIRECT="0",
                CUMULUS_VAR_DIR=str(work / "var"),
                DATABASE_URL=pg.url,
                CUMULUS_DB_CONN_MAX_AGE="60",
            )
            service = Service(prod, args.web_port, work / "service.log")
            service.start()
        for drill in drills:
            log(f"drill {drill}")
            if drill == "db-restart":
                results[drill] = drill_db_restart(pg, service)
            elif drill == "web-kill":
                results[drill] = drill_web_kill(pg, service)
            elif drill == "disk-full":
                results[drill] = drill_disk_full(work)
            else:
                raise SystemExit(f"unknown drill {drill!r}")
            log(f"drill {drill} passed: {json.dumps(results[drill])}")
    finally:
        if service:
            service.stop()
        if pg:
            pg.remove()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
