"""PostgreSQL row-level security: a second line behind ``people.policies`` for case tables.

The application's checks are the first line and stay primary. On PostgreSQL the case tables
(children and everything keyed on a child) also carry row-level security policies, forced
even for the table owner, that show a row only when the child is visible under the same
need-to-know rule, read from per-transaction settings:

- ``cumulus.user_id``, ``cumulus.agency_id``, ``cumulus.agency_wide`` ('1' or '0'),
  ``cumulus.role``: the viewer;
- ``cumulus.scope`` = ``'system'``: trusted work with no viewer (migrations, imports, the
  synthetic loader, background jobs).

A record under a ``RecordRestriction`` is a second line too: the tables holding the case itself
(``RESTRICTED_CONTENT_TABLES``: contacts, referrals, assessments, plans, chronology, attendance)
show its rows only to a viewer whose role or name the restriction allows, and never through
break glass, as ``people.policies`` says. The child's own row and break-glass grants keep the
need-to-know policy, so a practitioner with an involvement can still be told that the record
is restricted and whom to ask (docs/adr/1002-record-restriction.md).

With no setting at all a query sees nothing: the policies fail closed. ``RowLevelSecurity
Middleware`` opens a transaction for each request and sets the viewer with ``SET LOCAL``
semantics (``set_config(..., true)``), so the scope ends with the transaction and never leaks
to the next request on a pooled connection. Superusers and roles with BYPASSRLS are not held
by policies: production must connect as an ordinary role (docs/security.md).
"""

# The SQL here is built from this module's constants only, never from input.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

from cumulus.audit.chain import DeferredAppends

# Tables holding a child's case data, and the column naming the child.
CASE_TABLES: dict[str, str] = {
    "people_child": "person_id",
    "people_breakglassaccess": "child_id",
    "casework_contact": "child_id",
    "casework_referral": "child_id",
    "casework_assessment": "child_id",
    "casework_plan": "child_id",
    "chronology_chronologyevent": "child_id",
    "chronology_attendanceweek": "child_id",
}

# True when the transaction's viewer may see the child: the need-to-know rule of
# people.policies (active involvement; agency-wide roles; unexpired break glass), in SQL.
# SECURITY DEFINER so it reads involvements whatever the caller's own rights.
# An active involvement through which the transaction's viewer has need to know of ``child``:
# their own, or their agency's for agency-wide roles. Shared by both functions below.
_INVOLVED = """
    SELECT 1 FROM people_involvement i
    WHERE i.child_id = child
      AND i.started_on <= current_date
      AND (i.ended_on IS NULL OR i.ended_on >= current_date)
      AND (
        i.practitioner_id = nullif(current_setting('cumulus.user_id', true), '')::bigint
        OR (coalesce(current_setting('cumulus.agency_wide', true), '') = '1'
            AND i.agency_id = nullif(current_setting('cumulus.agency_id', true), '')::bigint)
      )
"""

VISIBLE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cumulus_child_visible(child bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(current_setting('cumulus.scope', true), '') = 'system'
  OR EXISTS ({_INVOLVED}  )
  OR EXISTS (
    SELECT 1 FROM people_breakglassaccess b
    WHERE b.child_id = child
      AND b.user_id = nullif(current_setting('cumulus.user_id', true), '')::bigint
      AND b.started_at <= now() AND b.expires_at > now()
  )
$$;
"""

# The case itself: under a record restriction, only its allowed roles and people read these.
RESTRICTED_CONTENT_TABLES = frozenset(CASE_TABLES) - {"people_child", "people_breakglassaccess"}

# True when the viewer may read the child's case content: need to know through an involvement
# and not shut out by a restriction in force, or break glass on an unrestricted record.
READABLE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cumulus_child_readable(child bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(current_setting('cumulus.scope', true), '') = 'system'
  OR (
    NOT EXISTS (
      SELECT 1 FROM people_recordrestriction r
      WHERE r.child_id = child AND r.lifted_at IS NULL
    )
    AND cumulus_child_visible(child)
  )
  OR (
    EXISTS ({_INVOLVED}    )
    AND NOT EXISTS (
      SELECT 1 FROM people_recordrestriction r
      WHERE r.child_id = child AND r.lifted_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM people_restrictionallowedrole a
          WHERE a.restriction_id = r.id
            AND a.role = coalesce(current_setting('cumulus.role', true), '')
        )
        AND NOT EXISTS (
          SELECT 1 FROM people_restrictionalloweduser u
          WHERE u.restriction_id = r.id
            AND u.user_id = nullif(current_setting('cumulus.user_id', true), '')::bigint
        )
    )
  )
$$;
"""


def _policy(table: str, column: str, check: str | None = None) -> list[str]:
    """The table's policy, with ``check`` or the function its kind of table takes."""
    if check is None:
        readable = table in RESTRICTED_CONTENT_TABLES
        check = "cumulus_child_readable" if readable else "cumulus_child_visible"
    return [
        f"DROP POLICY IF EXISTS cumulus_need_to_know ON {table}",
        f"CREATE POLICY cumulus_need_to_know ON {table} "
        f"USING ({check}({column})) WITH CHECK ({check}({column}))",
    ]


def enable_statements() -> list[str]:
    # The readable function names tables a later migration makes (record restriction): its
    # body is checked when it is first called, not when it is created.
    statements = ["SET LOCAL check_function_bodies = off", VISIBLE_FUNCTION, READABLE_FUNCTION]
    for table, column in CASE_TABLES.items():
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            *_policy(table, column),
        ]
    return statements


def restriction_statements() -> list[str]:
    """For a database whose policies predate record restriction (migration 0008)."""
    statements = [READABLE_FUNCTION]
    for table, column in CASE_TABLES.items():
        if table in RESTRICTED_CONTENT_TABLES:
            statements += _policy(table, column)
    return statements


def restriction_undo_statements() -> list[str]:
    statements = []
    for table, column in CASE_TABLES.items():
        if table in RESTRICTED_CONTENT_TABLES:
            statements += _policy(table, column, check="cumulus_child_visible")
    return [*statements, "DROP FUNCTION IF EXISTS cumulus_child_readable(bigint)"]


def disable_statements() -> list[str]:
    statements = []
    for table in CASE_TABLES:
        statements += [
            f"DROP POLICY IF EXISTS cumulus_need_to_know ON {table}",
            f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
        ]
    return [
        *statements,
        "DROP FUNCTION IF EXISTS cumulus_child_readable(bigint)",
        "DROP FUNCTION IF EXISTS cumulus_child_visible(bigint)",
    ]


def _set(settings: dict[str, str]) -> None:
    """Every setting in one statement: scoping a request costs one query."""
    calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
    params = [part for item in settings.items() for part in item]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", params)


def viewer_settings(user: Any) -> dict[str, str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return {
            "cumulus.user_id": "",
            "cumulus.agency_id": "",
            "cumulus.agency_wide": "0",
            "cumulus.role": "",
        }
    return {
        "cumulus.role": str(user.role),
        "cumulus.user_id": str(user.pk),
        "cumulus.agency_id": str(user.agency_id or ""),
        "cumulus.agency_wide": "1" if user.has_agency_wide_view else "0",
    }


def set_viewer(user: Any) -> None:
    """Scope the current transaction to ``user`` (PostgreSQL; nothing on SQLite)."""
    if connection.vendor == "postgresql":
        _set({"cumulus.scope": "", **viewer_settings(user)})


@contextmanager
def system_scope() -> Iterator[None]:
    """A transaction for trusted work with no viewer (imports, loaders, jobs)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _set({"cumulus.scope": "system"})
        yield


_NO_VIEWER_PATHS = ("/healthz", "/readyz", "/metrics", "/static/")


class RowLevelSecurityMiddleware:
    """On PostgreSQL, run each request in a transaction scoped to the signed-in user.

    A response of 500 or more rolls the transaction back, so a view that failed half-way
    leaves nothing behind (exceptions become responses inside this middleware).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql" or request.path.startswith(_NO_VIEWER_PATHS):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # No viewer: the policies already show nothing, and probes and the sign-in page
            # must not need a transaction (``/healthz`` touches no database at all).
            return self.get_response(request)
        with transaction.atomic():
            set_viewer(user)
            with DeferredAppends() as access_log:
                response = self.get_response(request)
            if response.status_code >= 500:
                access_log.discard()
                transaction.set_rollback(True)
            else:
                access_log.flush()
            return response
