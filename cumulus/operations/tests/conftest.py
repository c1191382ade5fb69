"""A scratch database of its own (SQLite file, or a new PostgreSQL database on DATABASE_URL's
server) for tests that need committed data seen by other processes: the worker-kill drill and
the backup round trip. pytest-django's test database cannot serve: its transactions are never
committed, and the access log's triggers forbid the flush that transactional tests need."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Scratch:
    env: dict[str, str]
    var_dir: Path
    vendor: str

    def cumulus(self, *args: str, timeout: int = 300, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "cumulus.cli", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        assert result.returncode == 0, (
            f"cumulus {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def popen(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "cumulus.cli", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the scratch database directly (no Django), as an operator's console would."""
        if self.vendor == "sqlite":
            import sqlite3

            lite = sqlite3.connect(self.var_dir / "cumulus.sqlite3", timeout=20)
            try:
                return list(lite.execute(sql.replace("%s", "?"), params))
            finally:
                lite.close()
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as con:
            return list(con.execute(sql, params))


def _new_database(base_url: str) -> tuple[str, str]:
    import psycopg

    name = f"cumulus_ops_{secrets.token_hex(5)}"
    with psycopg.connect(base_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))


def drop_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as con:
        con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')


def scratch_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(CUMULUS_ENV="development", CUMULUS_VAR_DIR=str(var_dir), CUMULUS_LOG_LEVEL="WARNING")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    """A migrated database holding a small synthetic partnership."""
    var_dir = tmp_path_factory.mktemp("ops-scratch")
    base = os.environ.get("DATABASE_URL", "")
    created = None
    url = None
    if base.startswith("postgres"):
        created, url = _new_database(base)
    scratch = Scratch(
        env=scratch_env(var_dir, url), var_dir=var_dir, vendor="postgresql" if url else "sqlite"
    )
    try:
        scratch.cumulus("migrate", "-v0")
        scratch.cumulus("synth", "--children", "60", "--years", "1", "--seed", "12", "--into-db")
        yield scratch
    finally:
        if created:
            drop_database(base, created)
