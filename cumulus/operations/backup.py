"""Whole-database backup and restore, with a manifest that proves the round trip.

* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --single-transaction`` (the client
  tools must be the server's major version or newer).
* SQLite: the SQLite online backup API, page by page, safe while the service runs.

Beside ``FILE`` the backup writes ``FILE.manifest.json``: for every table its row count and an
order-independent checksum of its rows. ``restore`` recomputes both on the restored database
and fails on any difference, then runs the checks registered with
:func:`register_restore_check` (for example the access log's hash chain verification).

The access log's append-only triggers only refuse UPDATE, DELETE and TRUNCATE, so loading rows
into an empty database passes through them; restore therefore insists on an empty target
(``--replace`` drops what is there first, by dropping tables, which the triggers allow).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection, connections

MANIFEST_SUFFIX = ".manifest.json"
FORMAT_VERSION = 1

RestoreCheck = Callable[[], None]
_RESTORE_CHECKS: dict[str, RestoreCheck] = {}


class BackupError(Exception):
    """A backup or restore could not be made or does not match its manifest."""


def register_restore_check(name: str, check: RestoreCheck) -> None:
    """Run ``check()`` after every restore; it raises to fail the restore (e.g. the access
    log's hash chain does not verify)."""
    _RESTORE_CHECKS[name] = check


@dataclass
class TableSummary:
    rows: int
    checksum: str


@dataclass
class Manifest:
    vendor: str
    created_at: str
    tables: dict[str, TableSummary] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT_VERSION,
                "vendor": self.vendor,
                "created_at": self.created_at,
                "tables": {
                    name: {"rows": t.rows, "checksum": t.checksum}
                    for name, t in sorted(self.tables.items())
                },
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            raise BackupError(f"unknown manifest format {data.get('format')!r}")
        return cls(
            vendor=data["vendor"],
            created_at=data["created_at"],
            tables={name: TableSummary(**t) for name, t in data["tables"].items()},
        )


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_summaries() -> dict[str, TableSummary]:
    """Row count and checksum of every table in the default database."""
    if connection.vendor == "sqlite":
        # Read the file with plain sqlite3: Django's connection converts dates and booleans,
        # which would make a live database and its backup file hash differently.
        return _sqlite_summaries(Path(connection.settings_dict["NAME"]))
    summaries = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # Sum of 60-bit prefixes of each row's md5: independent of physical order.
            cursor.execute(
                f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))"  # noqa: S608
                f"::bit(60)::bigint), 0) FROM {_quote(table)} AS t"
            )
            rows, total = cursor.fetchone()
            summaries[table] = TableSummary(rows=int(rows), checksum=f"{int(total):x}")
    return summaries


def manifest_path(file: Path) -> Path:
    return file.with_name(file.name + MANIFEST_SUFFIX)


def _pg_url() -> str:
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    password = quote(s.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = s.get("HOST") or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(s['NAME'], safe='')}"


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_create(*, file: Path) -> Manifest:
    """Write the whole database to ``file`` and its manifest beside it."""
    file = file.resolve()
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    manifest = Manifest(vendor=connection.vendor, created_at=dt.datetime.now(dt.UTC).isoformat())
    if connection.vendor == "postgresql":
        # One snapshot for the dump and the manifest: a serializable, read-only transaction
        # whose snapshot pg_dump shares.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={partial}",
                        f"--dbname={_pg_url()}",
                    ]
                )
                manifest.tables = table_summaries()
            finally:
                cursor.execute("ROLLBACK")
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            partial.unlink(missing_ok=True)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        manifest.tables = _sqlite_summaries(partial)
    else:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    os.replace(partial, file)
    manifest_path(file).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _sqlite_summaries(path: Path) -> dict[str, TableSummary]:
    """Summaries of a SQLite file, read directly (the backup copy, not the live database)."""
    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        summaries = {}
        for name in names:
            rows, total = 0, 0
            for row in con.execute(f'SELECT * FROM "{name}"'):  # noqa: S608
                digest = hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest()
                total += int(digest[:15], 16)
                rows += 1
            summaries[name] = TableSummary(rows=rows, checksum=f"{total:x}")
        return summaries
    finally:
        con.close()


def _existing_tables() -> list[str]:
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def restore_apply(*, file: Path, replace: bool = False) -> Manifest:
    """Load ``file`` into the (empty) default database and prove it matches the manifest."""
    file = file.resolve()
    if not file.is_file():
        raise BackupError(f"no backup at {file}")
    mpath = manifest_path(file)
    if not mpath.is_file():
        raise BackupError(f"no manifest at {mpath}: cannot verify the restore")
    manifest = Manifest.from_json(mpath.read_text(encoding="utf-8"))
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest.vendor} database; this one is {connection.vendor}"
        )
    existing = _existing_tables()
    if existing and not replace:
        raise BackupError(
            f"the target database is not empty ({len(existing)} tables); restore into an empty "
            "database, or pass --replace to drop its tables first"
        )
    if connection.vendor == "postgresql":
        if existing:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_pg_url()}",
                str(file),
            ]
        )
    else:
        target_name = connection.settings_dict["NAME"]
        connections.close_all()
        source = sqlite3.connect(file)
        try:
            target = sqlite3.connect(target_name)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    restored = table_summaries()
    differences = manifest_differences(manifest.tables, restored)
    if differences:
        raise BackupError("restored database does not match the backup: " + "; ".join(differences))
    for name, check in _RESTORE_CHECKS.items():
        try:
            check()
        except Exception as exc:
            raise BackupError(f"restore check {name!r} failed: {exc}") from exc
    return manifest


def manifest_differences(
    expected: dict[str, TableSummary], actual: dict[str, TableSummary]
) -> list[str]:
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            problems.append(f"{name}: not in the backup")
        elif got is None:
            problems.append(f"{name}: missing after restore")
        elif want.rows != got.rows:
            problems.append(f"{name}: {got.rows} rows, expected {want.rows}")
        elif want.checksum != got.checksum:
            problems.append(f"{name}: checksum differs")
    return problems


def summaries_as_dict(summaries: dict[str, TableSummary]) -> dict[str, Any]:
    return {name: {"rows": t.rows, "checksum": t.checksum} for name, t in summaries.items()}
