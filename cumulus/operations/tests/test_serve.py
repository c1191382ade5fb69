"""``cumulus serve --production`` refuses configurations that are not safe to serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_SECRET = "k" * 30 + "ABCDEFGHIJ0123456789xyz"


def _serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    base.update(CUMULUS_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "cumulus.cli", "serve", "--production"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CUMULUS_ENV": "development"}, "CUMULUS_ENV must be production"),
        (
            {"CUMULUS_ENV": "production", "CUMULUS_ALLOWED_HOSTS": "x.example"},
            "CUMULUS_SECRET_KEY must be set",
        ),
        (
            {
                "CUMULUS_ENV": "production",
                "CUMULUS_SECRET_KEY": "cumulus-development-only-not-secret",
                "CUMULUS_ALLOWED_HOSTS": "x.example",
            },
            "CUMULUS_SECRET_KEY must be set",
        ),
        (
            {
                "CUMULUS_ENV": "production",
                "CUMULUS_SECRET_KEY": GOOD_SECRET,
                "CUMULUS_ALLOWED_HOSTS": "x.example",
                "CUMULUS_DEBUG": "1",
            },
            "CUMULUS_DEBUG=1 is refused in production",
        ),
        (
            {
                "CUMULUS_ENV": "production",
                "CUMULUS_SECRET_KEY": GOOD_SECRET,
                "CUMULUS_ALLOWED_HOSTS": "x.example",
            },
            "production needs PostgreSQL",
        ),
    ],
    ids=["not-production", "no-secret", "default-secret", "debug", "sqlite"],
)
def test_serve_production_refuses_unsafe_settings(tmp_path, env, message):
    result = _serve(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Starting gunicorn" not in result.stdout
