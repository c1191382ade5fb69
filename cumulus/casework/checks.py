"""A system check: the partnership's timescales file is read at start-up, so a bad file stops
``cumulus check`` and the server with its precise message rather than at the first decision."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from cumulus.casework.timescales import TimescalesError, current


@register()
def timescales_file_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        current()
    except (TimescalesError, OSError) as exc:
        return [Error(str(exc), hint="Fix CUMULUS_TIMESCALES_FILE", id="casework.E001")]
    return []
