"""Django settings for Cumulus, read from the environment (12-factor).

``CUMULUS_ENV`` chooses the profile:

* ``development`` (default): SQLite file under ``var/`` unless ``DATABASE_URL`` is set; Django's
  debug pages only with ``CUMULUS_DEBUG=1`` (they reveal internals, so the demo keeps them off).
* ``test``: as development but fast password hashing is *not* used: Argon2 stays, so tests
  exercise the real hasher.
* ``production``: DEBUG off; ``CUMULUS_SECRET_KEY`` and ``CUMULUS_ALLOWED_HOSTS`` are required,
  secure cookies, HSTS and TLS redirect on. The service refuses to start without them.

Every variable is documented in README.md ("Configuration").
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "cumulus"
VAR_DIR = Path(os.environ.get("CUMULUS_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("CUMULUS_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"CUMULUS_ENV must be development, test or production; got {ENV!r}")
PRODUCTION = ENV == "production"


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


_DEV_SECRET = "cumulus-development-only-not-secret"  # noqa: S105 - refused in production
SECRET_KEY = os.environ.get("CUMULUS_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = not PRODUCTION and os.environ.get("CUMULUS_DEBUG", "0") == "1"

if PRODUCTION:
    if (
        not SECRET_KEY
        or SECRET_KEY == _DEV_SECRET
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "CUMULUS_SECRET_KEY must be set to a random value of at least 50 characters "
            "in production (e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    if os.environ.get("CUMULUS_DEBUG") == "1":
        raise ImproperlyConfigured("CUMULUS_DEBUG=1 is refused in production")
    ALLOWED_HOSTS = _env_list("CUMULUS_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("CUMULUS_ALLOWED_HOSTS must list the host names in production")
else:
    ALLOWED_HOSTS = _env_list("CUMULUS_ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]

CSRF_TRUSTED_ORIGINS = _env_list("CUMULUS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "cumulus.core",
    "cumulus.codelists",
    "cumulus.accounts",
    "cumulus.audit",
    "cumulus.people",
    "cumulus.casework",
    "cumulus.chronology",
    "cumulus.inbox",
    "cumulus.indicators",
    "cumulus.synth",
    "cumulus.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cumulus.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cumulus.config.urls"
WSGI_APPLICATION = "cumulus.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL=postgres://... switches to PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'cumulus.sqlite3'}",
        conn_max_age=int(os.environ.get("CUMULUS_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:sign-in"

# Argon2 first: new and upgraded passwords are hashed with it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk")]
# Vega, Vega-Lite and vega-embed for the indicator charts, served locally (no CDN).
STATICFILES_DIRS += [
    (f"vega/{name}", BASE_DIR / "node_modules" / name / "build")
    for name in ("vega", "vega-lite", "vega-embed")
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Cookies and transport security: on everywhere they do not break local HTTP.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("CUMULUS_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("CUMULUS_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("CUMULUS_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # TLS is terminated by the council's proxy, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_SSL_REDIRECT:
        # The proxy redirects HTTP to HTTPS itself; tell Django's deploy check so.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CUMULUS_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Domain settings
CUMULUS_PARTNERSHIP_NAME = os.environ.get(
    "CUMULUS_PARTNERSHIP_NAME", "Demo Safeguarding Children Partnership"
)
CUMULUS_SEARCH_RESULT_LIMIT = 50
