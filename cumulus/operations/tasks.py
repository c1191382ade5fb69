"""Background tasks shipped by operations itself (so the queue is exercised from day one).

``access_log_export`` writes one day of the access log to a CSV file under
``CUMULUS_VAR_DIR/exports/`` for the council's information governance team; it writes to a
temporary file and renames it, so a killed run never leaves a partial export. The path and
the usernames are chosen by whoever made the request, so every cell is neutralised against
spreadsheet formulas (``core.spreadsheet``).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.tasks import task

from cumulus.audit.models import AccessLogEntry
from cumulus.core.spreadsheet import neutralise_row
from cumulus.operations.registry import EntryPoint, register

EXPORT_COLUMNS = [
    "occurred_at",
    "actor_username",
    "actor_agency",
    "actor_role",
    "action",
    "child_id",
    "view_name",
    "path",
    "method",
    "request_id",
]


def export_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


@task()
def access_log_export(*, on: str) -> dict[str, object]:
    """Write the access log entries of the day ``on`` (YYYY-MM-DD, UTC) to a CSV file."""
    day = dt.date.fromisoformat(on)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    entries = AccessLogEntry.objects.filter(
        occurred_at__gte=start, occurred_at__lt=start + dt.timedelta(days=1)
    ).order_by("occurred_at", "id")
    target_dir = export_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"access-log-{day.isoformat()}.csv"
    rows = 0
    handle, temporary = tempfile.mkstemp(dir=target_dir, prefix=".access-log-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(EXPORT_COLUMNS)
            for values in entries.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000):
                writer.writerow(neutralise_row(values))
                rows += 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return {"file": str(target), "rows": rows}


register(access_log_export, kind=EntryPoint.HOUSEKEEPING, max_attempts=3)
