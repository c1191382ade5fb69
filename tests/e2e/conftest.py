"""Browser tests drive the real service: ``cumulus demo`` in a subprocess, on its own database,
through Debian's Chromium (never a downloaded browser).

The service runs in a separate process rather than Django's live server because the access
log's database triggers forbid the table flush that transactional tests need.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_CHILDREN = "300"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a freshly prepared demo service, on SQLite or on a new PostgreSQL database."""
    from cumulus.web.assets import ensure_frontend_assets

    ensure_frontend_assets()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    env["CUMULUS_ENV"] = "development"
    env["CUMULUS_VAR_DIR"] = str(tmp_path_factory.mktemp("e2e-var"))
    database_url = os.environ.get("DATABASE_URL", "")
    scratch_db = None
    if database_url.startswith("postgres"):
        import psycopg

        scratch_db = f"cumulus_e2e_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch_db}"')
        parts = urlsplit(database_url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{scratch_db}"))
    else:
        env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "cumulus.cli", "demo", "--children", DEMO_CHILDREN]
    prepared = subprocess.run(
        [*cli, "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sign-in/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.stdout else ""
                    pytest.fail(f"the service did not start:\n{output}")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if scratch_db:
            import psycopg

            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (scratch_db,),
                )
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch_db}"')


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def console_problems() -> list[str]:
    """Console errors and page errors seen by the test's page; must be empty at the end."""
    return []


@pytest.fixture
def page(browser, service, console_problems):  # type: ignore[no-untyped-def]
    """A fresh browser context per test; fails the test on any console error or page error."""
    context = browser.new_context(base_url=service)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            console_problems.append(f"{message.type}: {message.text} {message.location}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: console_problems.append(f"page error: {error}"))
    yield page
    context.close()
    assert not console_problems, console_problems
