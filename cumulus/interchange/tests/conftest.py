"""Fixtures for tests that need a fresh database in another process (kill -9, round trips)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)  # a fresh SQLite file of its own
    env["CUMULUS_VAR_DIR"] = str(var_dir)
    env["CUMULUS_ENV"] = "development"
    return env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database file, made once and copied by each test."""
    var_dir = tmp_path_factory.mktemp("interchange-template")
    subprocess.run(
        [sys.executable, "-m", "cumulus.cli", "migrate", "-v0"],
        env=_env(var_dir),
        check=True,
        timeout=300,
    )
    return var_dir / "cumulus.sqlite3"


@pytest.fixture
def fresh_cumulus(
    migrated_sqlite: Path, tmp_path: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``cumulus ...`` in a subprocess on a fresh database of this test's own."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    shutil.copy(migrated_sqlite, var_dir / "cumulus.sqlite3")
    env = _env(var_dir)

    def cumulus(*args: str, extra_env: dict[str, str] | None = None, **kwargs):
        return subprocess.run(
            [sys.executable, "-m", "cumulus.cli", *args],
            env={**env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            **kwargs,
        )

    cumulus.env = env  # type: ignore[attr-defined]
    return cumulus
