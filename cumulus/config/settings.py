"""Django settings for Cumulus, read from the environment (12-factor).

``CUMULUS_ENV`` chooses the profile:

* ``development`` (default): SQLite file under ``var/`` unless ``DATABASE_URL`` is set; Django's
  debug pages only with ``CUMULUS_DEBUG=1`` (they reveal internals, so the demo keeps them off).
* ``test``: as development, but Argon2 runs at its smallest cost
  (``cumulus.accounts.hashers``): the same algorithm and format, without 0.3 CPU-seconds a hash.
* ``production``: DEBUG off; ``CUMULUS_SECRET_KEY`` and ``CUMULUS_ALLOWED_HOSTS`` are required,
  secure cookies, HSTS and TLS redirect on. The service refuses to start without them.

Every variable is documented in README.md ("Configuration").
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

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
    "cumulus.rights",
    "cumulus.sharing",
    "cumulus.instruments",
    "cumulus.thresholds",
    "cumulus.escalation",
    "cumulus.interventions",
    "cumulus.supervision",
    "cumulus.voice",
    "cumulus.participation",
    "cumulus.operations",
    "cumulus.family",
    "cumulus.interchange",
    "cumulus.early_warnings",
    "cumulus.linkage",
    "cumulus.indicators",
    "cumulus.training",
    "cumulus.audits",
    "cumulus.strategy",
    "cumulus.actionplan",
    "cumulus.learning",
    "cumulus.governance",
    "cumulus.synth",
    "cumulus.web",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cumulus.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # PostgreSQL only: each request in a transaction scoped to its user for row-level security.
    "cumulus.people.rls.RowLevelSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cumulus.accounts.middleware.SessionTimeoutMiddleware",
    # Cache-Control: no-store on every page the views draw (they may all hold personal data).
    "cumulus.accounts.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cumulus.accounts.two_factor.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "cumulus.web.navigation.navigation",
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
if ENV == "test":
    PASSWORD_HASHERS[0] = "cumulus.accounts.hashers.TestArgon2PasswordHasher"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        # Django's own list of 20,000 breached passwords, or a council's larger offline list.
        "OPTIONS": (
            {"password_list_path": os.environ["CUMULUS_PASSWORD_LIST_FILE"]}
            if os.environ.get("CUMULUS_PASSWORD_LIST_FILE")
            else {}
        ),
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cumulus.accounts.passwords.ContextWordsValidator"},
]

# Sign-in lockout (django-axes): five failures for one username from one address lock that
# pair for 30 minutes. Keyed on the pair, so an attacker behind a council's shared address
# cannot lock out a whole agency, and a username that does not exist locks the same way as one
# that does, so the lockout page reveals nothing about which accounts exist.
AUTHENTICATION_BACKENDS = [
    "cumulus.accounts.backends.SignInLockoutBackend",
    "cumulus.accounts.backends.CumulusBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CUMULUS_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CUMULUS_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/sign_in_locked.html"
AXES_VERBOSE = False
# The proxies in front of the service (comma-separated networks, e.g. 10.20.0.0/16). Only a
# request from one of them has its X-Forwarded-For read for the client's address, used by the
# lockout, the access log and the list of sessions (cumulus.core.network). Empty: REMOTE_ADDR.
CUMULUS_TRUSTED_PROXIES = _env_list("CUMULUS_TRUSTED_PROXIES")
for _proxy in CUMULUS_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"CUMULUS_TRUSTED_PROXIES: {_proxy!r} is not an address or network (e.g. 10.0.0.0/8)"
        ) from None
AXES_CLIENT_IP_CALLABLE = "cumulus.core.network.client_address"
# Two-factor sign-in (TOTP) for every staff role: on by default in production. The local demo
# and the test suite leave it off unless asked (CUMULUS_REQUIRE_2FA=1), so a newcomer can
# sign in with the printed demo logins; tests switch it on to check it.
CUMULUS_REQUIRE_2FA = os.environ.get("CUMULUS_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = "Cumulus"
CUMULUS_DORMANT_DAYS = int(os.environ.get("CUMULUS_DORMANT_DAYS", "90"))

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
if not PRODUCTION:
    # axe-core for the browser tests' accessibility scans, served from this origin so the
    # Content-Security-Policy (no inline script) holds during the scan too.
    STATICFILES_DIRS += [("axe", BASE_DIR / "node_modules" / "axe-core")]
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
# Sessions live in accounts.UserSession under a hash of their key, with their owner, address
# and browser, so each person can list and end their own (ADR 1003).
SESSION_ENGINE = "cumulus.accounts.sessions"
CUMULUS_SESSION_IDLE_SECONDS = int(os.environ.get("CUMULUS_SESSION_IDLE_SECONDS", str(30 * 60)))
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own middleware): scripts, styles, fonts and images only from
# this origin, never inline script; no framing, no plugins, forms post only here. Style
# attributes are allowed (server-drawn SVG charts use them; they cannot run script), <style>
# elements are not.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
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
    "loggers": {"django.server": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Domain settings
CUMULUS_PARTNERSHIP_NAME = os.environ.get(
    "CUMULUS_PARTNERSHIP_NAME", "Demo Safeguarding Children Partnership"
)
CUMULUS_SEARCH_RESULT_LIMIT = 50
# How long emergency ("break glass") access to one child's record lasts.
CUMULUS_BREAK_GLASS_MINUTES = int(os.environ.get("CUMULUS_BREAK_GLASS_MINUTES", "60"))
# Instruments and thresholds (docs/instruments.md, docs/thresholds.md): licensed instrument
# packs and the partnership's Continuum of Need live outside the repository.
CUMULUS_INSTRUMENT_PACKS_DIR = os.environ.get("CUMULUS_INSTRUMENT_PACKS_DIR", "")
CUMULUS_CONTINUUM_FILE = os.environ.get("CUMULUS_CONTINUUM_FILE", "")
# The journey's timescales (docs/journey.md): a partnership's TOML file over the shipped defaults.
CUMULUS_TIMESCALES_FILE = os.environ.get("CUMULUS_TIMESCALES_FILE", "")
CUMULUS_PHOTO_MAX_BYTES = int(os.environ.get("CUMULUS_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))

# --- Operations (issue 12): request logs, JSON logging, task queue, metrics, probes ---------
# Kept in one block so other apps' settings can be appended around it. See docs/deployment.md.
MIDDLEWARE.insert(
    MIDDLEWARE.index("cumulus.core.middleware.RequestIdMiddleware") + 1,
    "cumulus.operations.middleware.RequestLogMiddleware",
)
from cumulus.operations.logs import logging_config  # noqa: E402 - settings-time helper

LOGGING = logging_config(
    level=os.environ.get("CUMULUS_LOG_LEVEL", "INFO"),
    fmt=os.environ.get("CUMULUS_LOG_FORMAT", "json" if PRODUCTION else "console"),
)
# Background tasks: Django's tasks framework, stored in this database (cumulus.operations).
TASKS = {
    "default": {
        "BACKEND": "cumulus.operations.backend.DatabaseBackend",
        "OPTIONS": {"MAX_ATTEMPTS": int(os.environ.get("CUMULUS_TASK_MAX_ATTEMPTS", "3"))},
    }
}
CUMULUS_TASK_LEASE_SECONDS = int(os.environ.get("CUMULUS_TASK_LEASE_SECONDS", "60"))
# /metrics: a bearer token if set, otherwise only these addresses (default: loopback).
CUMULUS_METRICS_TOKEN = os.environ.get("CUMULUS_METRICS_TOKEN", "")
CUMULUS_METRICS_ALLOWED_IPS = _env_list("CUMULUS_METRICS_ALLOWED_IPS") or [
    "127.0.0.1/32",
    "::1/128",
]
# Probes and scrapers talk plain HTTP inside the network; everything else is redirected to TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Stale pooled connections are tested before use, so the app recovers by itself after a
# database restart (dj_database_url sets this too; stated here because the drill relies on it).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# --- end of operations block ---------------------------------------------------------------

# Early warnings: the rule set this partnership runs (cumulus/early_warnings/rules/rulesets/).
CUMULUS_EARLY_WARNING_RULESET = os.environ.get("CUMULUS_EARLY_WARNING_RULESET", "default")

# --- Single sign-on through OpenID Connect (issue 10; docs/security.md, ADR 1001) ----------
# Off unless CUMULUS_OIDC_ENABLED=1. Endpoints, client and issuer come from the environment.
CUMULUS_OIDC_ENABLED = os.environ.get("CUMULUS_OIDC_ENABLED", "0") == "1"
CUMULUS_OIDC_ISSUER = os.environ.get("CUMULUS_OIDC_ISSUER", "")
CUMULUS_OIDC_MATCH_CLAIM = os.environ.get("CUMULUS_OIDC_MATCH_CLAIM", "email")
CUMULUS_OIDC_TRUST_PROVIDER_MFA = os.environ.get("CUMULUS_OIDC_TRUST_PROVIDER_MFA", "0") == "1"
# An account with no Cumulus password re-authenticates at the provider before break glass: the
# provider's sign-in must be at most this old, and the confirmation lasts as long.
CUMULUS_OIDC_REAUTH_SECONDS = int(os.environ.get("CUMULUS_OIDC_REAUTH_SECONDS", "300"))
OIDC_RP_CLIENT_ID = os.environ.get("CUMULUS_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("CUMULUS_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("CUMULUS_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("CUMULUS_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("CUMULUS_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("CUMULUS_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "account:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?sso=failed"
if CUMULUS_OIDC_ENABLED:
    missing = [
        name
        for name, value in {
            "CUMULUS_OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
            "CUMULUS_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "CUMULUS_OIDC_ISSUER": CUMULUS_OIDC_ISSUER,
            "CUMULUS_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "CUMULUS_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "CUMULUS_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "CUMULUS_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items()
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"CUMULUS_OIDC_ENABLED=1 needs {', '.join(missing)}")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "cumulus.accounts.oidc.CumulusOIDCBackend"]
# --- end of single sign-on block -----------------------------------------------------------
# The strategy `cumulus demo` loads (a shipped name or a .toml path; docs/strategy.md).
CUMULUS_DEMO_STRATEGY = os.environ.get("CUMULUS_DEMO_STRATEGY", "cumbria")
