"""Structured JSON logs (structlog) on standard error, one object per line.

Every record made while a request is being served carries that request's ``request_id`` (the
one in the ``X-Request-ID`` header and in the access log), so a line in the logs, an access log
row and a practitioner's "reference" on the error page can be matched. Django's and the
standard library's loggers go through the same renderer.

``CUMULUS_LOG_FORMAT=json`` (default in production) or ``console`` (readable, for development).
"""

from __future__ import annotations

from typing import Any

import structlog

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """A ``LOGGING`` dict for Django settings: every logger rendered by structlog."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _SHARED,
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            # django-axes logs every sign-in at INFO; failures still reach its own tables.
            "axes": {"level": "WARNING"},
            # PySpark's bridge logs its shutdown at INFO after the test runner closed stdout.
            "py4j": {"level": "WARNING"},
            # Our request log replaces Django's own line per request.
            "django.request": {"level": "ERROR"},
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
    }


def request_logger() -> Any:
    return structlog.get_logger("cumulus.request")


def bind_request(request_id: str) -> None:
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)


def unbind_request() -> None:
    structlog.contextvars.clear_contextvars()
