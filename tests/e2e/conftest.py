"""Browser tests drive the real service, ``cumulus demo`` in a subprocess on its own database,
through Debian's Chromium at /usr/bin/chromium (Playwright never downloads a browser here).

The service runs in a separate process rather than Django's live server because the access
log's database triggers forbid the table flush that transactional tests need. The tests talk to
it over HTTP only: they make no ORM calls and need no ``db`` fixture.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
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
# ``cumulus demo --children`` accepts 50 to 100,000; a few hundred keeps every demo login's
# caseload full while the set-up (mostly migrations) stays around five seconds.
DEMO_CHILDREN = "300"
START_TIMEOUT_SECONDS = int(
    os.environ.get("CUMULUS_E2E_START_TIMEOUT", "60")
)  # busy machines: raise it


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests after every other test (and after pytest-randomly's shuffle).

    While Playwright's sync API is open, an asyncio loop counts as running in the main thread,
    and Django would refuse ORM calls made by unit tests that ran after the first browser test.
    """
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if e2e and len(e2e) < len(items):
        items[:] = [item for item in items if not item.get_closest_marker("e2e")] + e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _admin_connection(database_url: str) -> Any:
    import psycopg

    return psycopg.connect(database_url, autocommit=True)


@pytest.fixture(scope="session")
def service_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The service's environment: a fresh SQLite file, or a fresh database on DATABASE_URL's
    PostgreSQL server (dropped at the end)."""
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    env["CUMULUS_ENV"] = "development"
    env["CUMULUS_VAR_DIR"] = str(var_dir)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return

    scratch = f"cumulus_e2e_{secrets.token_hex(6)}"
    with _admin_connection(database_url) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    env["DATABASE_URL"] = urlunsplit(urlsplit(database_url)._replace(path=f"/{scratch}"))
    try:
        yield env
    finally:
        with _admin_connection(database_url) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (scratch,),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def _wait_until_serving(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sign-in/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(
                f"the service did not answer {base}/sign-in/ within {START_TIMEOUT_SECONDS} s "
                f"(exit code {server.poll()}):\n{log.read_text(errors='replace')[-4000:]}"
            )
        time.sleep(0.25)


@pytest.fixture(scope="session")
def service(service_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the demo service, prepared from scratch once for the whole session."""
    from cumulus.web.assets import ensure_frontend_assets

    ensure_frontend_assets()
    demo = [sys.executable, "-m", "cumulus.cli", "demo", "--children", DEMO_CHILDREN]
    prepared = subprocess.run(
        [*demo, "--no-serve"],
        cwd=ROOT,
        env=service_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert prepared.returncode == 0, (
        f"cumulus demo --no-serve failed ({prepared.returncode}):\n"
        f"{prepared.stdout[-4000:]}\n{prepared.stderr[-4000:]}"
    )

    port = _free_port()
    log = tmp_path_factory.mktemp("e2e-service") / "service.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*demo, "--port", str(port)],
            cwd=ROOT,
            env=service_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    # Playwright's sync API keeps an asyncio loop marked as running in the main thread; Django's
    # async-safety check would then refuse any ORM call made in this process. These tests make
    # none, and run last (see pytest_collection_modifyitems), so this is only a safety net.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class BrowserProblems:
    """Console errors and uncaught page errors; a test may allow the ones it causes on purpose."""

    seen: list[str] = field(default_factory=list)
    allowed: list[Callable[[str], bool]] = field(default_factory=list)

    def allow(self, predicate: Callable[[str], bool]) -> None:
        self.allowed.append(predicate)

    def unexpected(self) -> list[str]:
        return [p for p in self.seen if not any(allow(p) for allow in self.allowed)]


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(browser: Any, service: str, browser_problems: BrowserProblems) -> Iterator[Any]:
    """A fresh browser context for each test; fails the test on any console or page error."""
    context = browser.new_context(base_url=service)
    context.set_default_timeout(int(os.environ.get("CUMULUS_E2E_TIMEOUT_MS", "15000")))
    page = context.new_page()

    def on_console(message: Any) -> None:
        if message.type == "error":
            url = message.location.get("url", "")
            browser_problems.seen.append(f"console error at {url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_problems.seen.append(f"page error: {error}"))
    try:
        yield page
    finally:
        context.close()
    problems = browser_problems.unexpected()
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)
