"""Follow docs/deployment.md on this machine, from an empty PostgreSQL database to a serving,
loaded, monitored instance, asserting every step; then back it up and restore it elsewhere.

    python3 -m uv run python scripts/runbook_check.py \\
        --database-url postgres://postgres@127.0.0.1:5432/o12 \\
        --restore-url postgres://postgres@127.0.0.1:5432/o12_restore --children 300

Both databases are dropped and created again: pass databases that are yours to throw away.
"""

from __future__ import annotations

# An operator's script: it runs the cumulus command and PostgreSQL's tools.
# ruff: noqa: S603
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drill_client import Client

ROOT = Path(__file__).resolve().parents[1]
SECRET = "runbook-" + "Vb7nQ2xL9kP4mR8tW3yC6fH1jD5gS0aZ2eU7iO4pL9mK3nJ8hG6"
METRICS_TOKEN = "runbook-scrape-token-6b1f"  # noqa: S105 - a throwaway token for this check
STEPS: list[tuple[str, float, str]] = []


def step(name: str):
    def wrap(func):
        def run(*args, **kwargs):
            started = time.monotonic()
            value = func(*args, **kwargs)
            detail = value if isinstance(value, str) else ""
            STEPS.append((name, time.monotonic() - started, detail))
            print(f"ok  {name:<44} {time.monotonic() - started:6.1f} s  {detail}", flush=True)
            return value

        return run

    return wrap


def env_for(url: str, var_dir: Path, production: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    env.update(DATABASE_URL=url, CUMULUS_VAR_DIR=str(var_dir), CUMULUS_LOG_LEVEL="INFO")
    if production:
        env.update(
            CUMULUS_ENV="production",
            CUMULUS_SECRET_KEY=SECRET,
            CUMULUS_ALLOWED_HOSTS="127.0.0.1,localhost",
            CUMULUS_SSL_REDIRECT="0",  # TLS is terminated by the proxy (not present here)
            CUMULUS_METRICS_TOKEN=METRICS_TOKEN,
        )
    else:
        env["CUMULUS_ENV"] = "development"
    return env


def cumulus(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "cumulus.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    assert result.returncode == 0, f"cumulus {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')


def count(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as con:
        return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608


@step("1. empty PostgreSQL database")
def step_database(url: str) -> str:
    recreate(url)
    import psycopg

    with psycopg.connect(url) as con:
        version = con.execute("SHOW server_version").fetchone()[0]
    assert int(version.split(".")[0]) >= 15, version
    return f"PostgreSQL {version}"


@step("2. cumulus check --deploy (production env)")
def step_check(env: dict[str, str]) -> str:
    cumulus("check", "--deploy", "--fail-level", "WARNING", env=env)
    return "no issues"


@step("3. cumulus migrate")
def step_migrate(env: dict[str, str]) -> str:
    cumulus("migrate", "--no-input", "-v0", env=env)
    plan = cumulus("migrate", "--plan", env=env)
    assert "No planned migration operations" in plan, plan
    return "all migrations applied"


@step("4. load the synthetic demo partnership")
def step_load(env: dict[str, str], children: int, url: str) -> str:
    cumulus("demo", "--no-serve", "--children", str(children), env=env)
    loaded = count(url, "people_child")
    assert loaded > 0
    return f"{loaded} children"


@step("5. cumulus serve --production (gunicorn)")
def step_serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cumulus.cli", "serve", "--production"],
            cwd=ROOT,
            env={**env, "CUMULUS_BIND": f"127.0.0.1:{port}", "CUMULUS_WEB_WORKERS": "2"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            if Client("127.0.0.1", port, timeout=5).get("/healthz").status == 200:
                return process
        except OSError:
            pass
        assert process.poll() is None, log.read_text()[-3000:]
        time.sleep(0.5)
    raise AssertionError("gunicorn did not answer /healthz")


@step("6. /healthz and /readyz answer 200")
def step_probes(port: int) -> str:
    client = Client("127.0.0.1", port)
    health = client.get("/healthz")
    ready = client.get("/readyz")
    assert health.status == 200, health.body
    assert ready.status == 200, ready.body
    assert json.loads(ready.body)["checks"] == {"database": "ok", "task_queue": "ok"}
    return ready.body


@step("7. a practitioner signs in and opens a child")
def step_serving(port: int, url: str, log: Path) -> str:
    client = Client("127.0.0.1", port)
    client.sign_in("teacher")
    children = client.my_children()
    assert children, "the teacher has no children on their home page"
    page = client.get(f"/children/{children[0]}/")
    assert page.status == 200
    request_id = page.headers["x-request-id"]
    import psycopg

    with psycopg.connect(url) as con:
        logged = con.execute(
            "SELECT count(*) FROM audit_accesslogentry WHERE request_id = %s", (request_id,)
        ).fetchone()[0]
    assert logged == 1, "the access log has no row with the page's request id"
    time.sleep(0.5)
    lines = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and request_id in line
    ]
    assert any(line.get("event") == "request" for line in lines), "no JSON request log line"
    return f"request id {request_id} in header, access log and JSON log"


@step("8. /metrics needs the token, then shows the metrics")
def step_metrics(port: int) -> str:
    client = Client("127.0.0.1", port)
    assert client.get("/metrics").status == 404
    conn_headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics", headers={**conn_headers, "Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    text = response.read().decode()
    assert response.status == 200
    for name in (
        "cumulus_request_duration_seconds_bucket",
        "cumulus_task_queue_depth",
        "cumulus_import_outcomes",
    ):
        assert name in text, name
    series = len([line for line in text.splitlines() if line and not line.startswith("#")])
    return f"{series} series"


@step("9. a background task runs on cumulus worker")
def step_worker(env: dict[str, str], var_dir: Path) -> str:
    today = time.strftime("%Y-%m-%d", time.gmtime())
    task_id = cumulus(
        "enqueue",
        "cumulus.operations.tasks.access_log_export",
        "--kwargs",
        json.dumps({"on": today}),
        env=env,
    ).strip()
    cumulus("worker", "--until-idle", env=env)
    show = (
        "from cumulus.operations.models import TaskRecord as T\n"
        f"print(T.objects.get(pk='{task_id}').status)"
    )
    status = cumulus("shell", "-c", show, env=env).strip().splitlines()[-1]
    assert status == "SUCCESSFUL", status
    exports = list((var_dir / "exports").glob("access-log-*.csv"))
    assert exports
    rows = len(exports[0].read_text().splitlines()) - 1
    assert rows >= 1
    return f"access log export: {rows} rows"


@step("10. cumulus backup")
def step_backup(env: dict[str, str], file: Path) -> str:
    out = cumulus("backup", str(file), env=env)
    return re.sub(r"\s+", " ", out.strip())[:120]


@step("11. cumulus restore into another empty database")
def step_restore(env: dict[str, str], file: Path, restore_url: str) -> str:
    recreate(restore_url)
    out = cumulus("restore", str(file), env=env)
    assert "counts and checksums match" in out
    return out.strip()


@step("12. the restored database serves the same partnership")
def step_verify(url: str, restore_url: str) -> str:
    for table in ("people_child", "chronology_chronologyevent", "audit_accesslogentry"):
        assert count(url, table) == count(restore_url, table), table
    return f"{count(restore_url, 'people_child')} children, access log rows equal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--restore-url", required=True)
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--port", type=int, default=8714)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cumulus-runbook-"))
    prod = env_for(args.database_url, work / "var", production=True)
    dev = env_for(args.database_url, work / "var", production=False)
    log = work / "service.log"
    server = None
    try:
        step_database(args.database_url)
        step_check(prod)
        step_migrate(prod)
        step_load(dev, args.children, args.database_url)
        server = step_serve(prod, args.port, log)
        step_probes(args.port)
        step_serving(args.port, args.database_url, log)
        step_metrics(args.port)
        step_worker(prod, work / "var")
        backup = work / "backups" / "cumulus.dump"
        step_backup(prod, backup)
        step_restore(
            env_for(args.restore_url, work / "restore-var", True), backup, args.restore_url
        )
        step_verify(args.database_url, args.restore_url)
    finally:
        if server and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    print(f"\nRunbook followed: {len(STEPS)} steps passed in {sum(s[1] for s in STEPS):.0f} s")


if __name__ == "__main__":
    main()
