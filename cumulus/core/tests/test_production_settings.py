"""Production settings come from the environment, refuse unsafe values and pass Django's
deployment checks at WARNING level."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG_SECRET = "test-only-Qm9aW4rT2sLp8vXc1nB6yHj3kD5fG7eR0uIoPzAsMxNbVc"


def _cumulus(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CUMULUS_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "cumulus.cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    result = _cumulus(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CUMULUS_ENV="production",
        CUMULUS_SECRET_KEY=STRONG_SECRET,
        CUMULUS_ALLOWED_HOSTS="cumulus.example.gov.uk",
        CUMULUS_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CUMULUS_ALLOWED_HOSTS": "cumulus.example.gov.uk"}, "CUMULUS_SECRET_KEY must be set"),
        (
            {"CUMULUS_SECRET_KEY": "ab" * 40, "CUMULUS_ALLOWED_HOSTS": "a.example"},
            "CUMULUS_SECRET_KEY must be set",
        ),
        (
            {
                "CUMULUS_SECRET_KEY": "cumulus-development-only-not-secret",
                "CUMULUS_ALLOWED_HOSTS": "cumulus.example.gov.uk",
            },
            "CUMULUS_SECRET_KEY must be set",
        ),
        ({"CUMULUS_SECRET_KEY": STRONG_SECRET}, "CUMULUS_ALLOWED_HOSTS must list"),
        (
            {
                "CUMULUS_SECRET_KEY": STRONG_SECRET,
                "CUMULUS_ALLOWED_HOSTS": "a.example",
                "CUMULUS_DEBUG": "1",
            },
            "CUMULUS_DEBUG=1 is refused",
        ),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(tmp_path, env, message):
    result = _cumulus("check", CUMULUS_ENV="production", CUMULUS_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_unknown_environment_name_is_refused(tmp_path):
    result = _cumulus("check", CUMULUS_ENV="staging", CUMULUS_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "CUMULUS_ENV must be development, test or production" in result.stderr


def test_production_cookies_transport_and_two_factor_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0,"
        " s.PASSWORD_HASHERS[0] == 'django.contrib.auth.hashers.Argon2PasswordHasher',"
        " s.CUMULUS_REQUIRE_2FA)"
    )
    result = _cumulus(
        "shell",
        "-c",
        code,
        CUMULUS_ENV="production",
        CUMULUS_SECRET_KEY=STRONG_SECRET,
        CUMULUS_ALLOWED_HOSTS="cumulus.example.gov.uk",
        CUMULUS_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False"] + ["True"] * 6
