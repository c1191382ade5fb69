"""Put a generated partnership (``cumulus.synth.engine``'s Arrow tables) into the database.

Every table goes in with bulk inserts, never one ORM save per row: PostgreSQL's ``COPY`` and
SQLite's ``executemany`` in chunks, through one generic :func:`bulk_insert`. The whole load is
one transaction, so a failure leaves nothing behind. The inputs are checked first (schemas,
code lists, references between tables, field lengths and choices, identifiers already in the
database) and a :class:`SynthLoadError` names the table, column and value before anything
is written::

    rows = load_into_db(generate(SynthConfig(children=5_000)))
    rows["people.Child"]  # how many children were written

Ids: people keep the generator's ``person_id`` shifted past the largest ``Person`` id already
in the database (so a second partnership can join a non-empty one); referrals, plans and the
other numbered records likewise. Ground-truth columns (poverty, latent neglect, the need
states, feed records) are never loaded: they are for testing Cumulus against the truth.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models

from cumulus.accounts.models import Agency, User
from cumulus.casework.models import Assessment, Contact, Plan, Referral, Review
from cumulus.chronology.models import AttendanceWeek, ChronologyEvent
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.participation.models import ActivityStatus, ParticipationRecord
from cumulus.people.models import (
    Child,
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    Relationship,
    Sex,
)
from cumulus.people.rls import system_scope
from cumulus.synth.parquet import schema_mismatch

Progress = Callable[[str, int, int], None]

CHUNK_ROWS = 10_000
SQLITE_LOAD_CACHE_KIB = 256 * 1024
REBUILD_INDEXES_FROM_ROWS = 10_000
SOURCE_SYSTEM = "synth"
TOWN = "Eastmoor"

# The generator's tables that become rows in the case record.
LOADED_TABLES = (
    "agencies",
    "neighbourhoods",
    "households",
    "adults",
    "children",
    "relationships",
    "involvements",
    "contacts",
    "referrals",
    "assessments",
    "plans",
    "reviews",
    "events",
    "attendance",
    "education_status",
    "practitioners",
)

# (table, column) -> code list scheme. List columns hold several codes per row.
CODE_COLUMNS: dict[tuple[str, str], str] = {
    ("children", "ethnicity"): Scheme.ETHNICITY,
    ("children", "disability"): Scheme.DISABILITY,
    ("referrals", "source"): Scheme.REFERRAL_SOURCE,
    ("referrals", "primary_need"): Scheme.PRIMARY_NEED,
    ("referrals", "closure_reason"): Scheme.CLOSURE_REASON,
    ("assessments", "factors"): Scheme.ASSESSMENT_FACTOR,
    ("plans", "initial_category"): Scheme.CATEGORY_OF_ABUSE,
    ("plans", "latest_category"): Scheme.CATEGORY_OF_ABUSE,
    ("events", "event_type"): Scheme.CHRONOLOGY_EVENT_TYPE,
    ("events", "neglect_type"): Scheme.NEGLECT_TYPE,
}
NO_DISABILITY = "NONE"

# A short, neutral sentence for each chronology event type; other types use their label.
EVENT_SUMMARIES: dict[str, str] = {
    "health.was_not_brought": "Was not brought to a health appointment.",
    "health.appointment_attended": "Attended a health appointment.",
    "health.immunisation_missed": "An immunisation due was missed.",
    "health.mandated_check": "Health visitor mandated check.",
    "health.ed_attendance": "Attended the emergency department.",
    "health.dental_extraction": "Admitted to hospital for dental extraction.",
    "health.faltering_growth": "Faltering growth noted at a health check.",
    "education.absence": "Absent from school.",
    "education.persistent_absence": "Attendance fell below 90%: persistent absence.",
    "education.exclusion": "Excluded from school.",
    "education.concern": "School raised a concern.",
    "education.dsl_concern": "Designated safeguarding lead logged a concern.",
    "early_years.concern": "Early years setting raised a concern.",
    "early_years.low_attendance": "Low attendance at the childcare setting.",
    "home.conditions_concern": "Concern about conditions in the home.",
    "police.domestic_abuse": "Police attended a domestic abuse incident at the home.",
    "police.missing_episode": "Reported missing to the police.",
    "police.concern": "Police child concern notification.",
    "police.child_unsupervised": "Police found the child unsupervised.",
    "housing.concern": "Housing raised a concern.",
    "housing.poor_conditions": "Housing found poor living conditions.",
    "housing.homelessness": "Family homeless or placed in temporary accommodation.",
    "adults.parental_concern": "Adult services shared a concern about a parent.",
    "casework.contact": "Contact received by children's social care.",
    "casework.referral": "Referred to children's social care.",
    "casework.assessment_start": "Assessment started.",
    "casework.assessment_complete": "Assessment completed.",
    "casework.early_help_assessment": "Early help assessment.",
    "casework.strategy_discussion": "Strategy discussion held.",
    "casework.section_47": "Section 47 enquiry started.",
    "casework.initial_conference": "Initial child protection conference held.",
    "casework.plan_start": "Plan started.",
    "casework.plan_end": "Plan ended.",
    "casework.review": "Plan reviewed.",
    "casework.step_down": "Stepped down to a lower level of support.",
    "casework.step_up": "Stepped up to a higher level of support.",
    "casework.case_closed": "Case closed.",
}

# Events are recorded up to two days after they happen (deterministic, from the event id).
RECORDING_DELAY_SECONDS = 2 * 24 * 3600


class SynthLoadError(Exception):
    """The tables cannot be loaded; the message names the table, column and value."""


# --------------------------------------------------------------------------- the generic insert


def bulk_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    total: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Insert ``rows`` (database-ready values in the order of ``columns``) into ``model``.

    ``columns`` are field names (``"child"`` or ``"child_id"``); every other concrete field
    gets its default, once for the whole insert. Values must already be what the database
    stores: ints, strings, bools, ``None``, ISO dates. Returns how many rows were written.
    """
    fields = [_concrete_field(model, name) for name in columns]
    defaults = _default_values(model, fields)
    db_columns = [_column(field) for field in fields] + [_column(field) for field, _ in defaults]
    extra = tuple(value for _, value in defaults)
    name = model._meta.label
    written = 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(column) for column in db_columns)
    if connection.vendor == "postgresql":
        # The raw psycopg cursor's errors become Django's (IntegrityError, DataError, ...).
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for chunk in itertools.batched(rows, CHUNK_ROWS):
                    for row in chunk:
                        copy.write_row((*row, *extra))
                    written += len(chunk)
                    if progress is not None:
                        progress(name, written, total if total is not None else written)
    else:
        placeholders = ", ".join(["%s"] * len(db_columns))
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
        with connection.cursor() as cursor:
            for chunk in itertools.batched(rows, CHUNK_ROWS):
                cursor.executemany(sql, [(*row, *extra) for row in chunk] if extra else chunk)
                written += len(chunk)
                if progress is not None:
                    progress(name, written, total if total is not None else written)
    if progress is not None and written == 0:
        progress(name, 0, 0)
    return written


def _concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    raise ValueError(f"{model._meta.label} has no column {name!r}")


def _column(field: models.Field[Any, Any]) -> str:
    assert field.column is not None, field
    return field.column


def _default_values(
    model: type[models.Model], given: Sequence[models.Field[Any, Any]]
) -> list[tuple[models.Field[Any, Any], Any]]:
    defaults = []
    for field in model._meta.concrete_fields:
        if field in given or (field.primary_key and isinstance(field, models.AutoField)):
            continue
        if field.has_default() or field.null or field.empty_strings_allowed:
            value = field.get_default()
        else:
            raise ValueError(f"{model._meta.label}.{field.name} needs a value: it has no default")
        if isinstance(value, enum.Enum):
            value = value.value
        if value is None and not field.null:
            raise ValueError(f"{model._meta.label}.{field.name} needs a value: it has no default")
        defaults.append((field, field.get_db_prep_save(value, connection)))
    return defaults


def _arrow_rows(table: pa.Table) -> Iterator[tuple[Any, ...]]:
    """A table's rows as database-ready tuples, converted one chunk at a time."""
    for offset in range(0, table.num_rows, CHUNK_ROWS):
        part = table.slice(offset, CHUNK_ROWS)
        yield from zip(*(_python_values(column) for column in part.columns), strict=True)


def _python_values(column: pa.ChunkedArray) -> list[Any]:
    kind = column.type
    if pa.types.is_date(kind):
        return column.cast(pa.string()).to_pylist()
    if pa.types.is_timestamp(kind):
        text = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
        text = pc.replace_substring_regex(text, pattern=r"\.0+$", replacement="")
        if connection.vendor == "postgresql":
            text = pc.binary_join_element_wise(text, "+00:00", "")
        return text.to_pylist()
    return column.to_pylist()


def _insert_table(model: type[models.Model], table: pa.Table, progress: Progress | None) -> int:
    with _indexes_built_after(model, table.num_rows):
        return bulk_insert(
            model, table.column_names, _arrow_rows(table), total=table.num_rows, progress=progress
        )


@contextmanager
def _indexes_built_after(model: type[models.Model], rows: int) -> Iterator[None]:
    """For a large insert into a table that holds fewer rows, drop the table's secondary
    indexes (and, on PostgreSQL, its foreign key and unique constraints) and build them again
    afterwards: one sort per index, and one join per foreign key, instead of millions of
    single-row updates and deferred checks. The drop is part of the load's transaction, so a
    failure puts everything back; other writers to the table wait until the load commits."""
    table = model._meta.db_table
    if rows < REBUILD_INDEXES_FROM_ROWS or connection.vendor not in {"sqlite", "postgresql"}:
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        (existing,) = cursor.fetchone()
        if existing > rows:
            restore = []
        elif connection.vendor == "postgresql":
            restore = _drop_postgresql_indexes(cursor, table)
        else:
            restore = _drop_sqlite_indexes(cursor, table)
    yield
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {quote(table)}")


def _drop_sqlite_indexes(cursor: Any, table: str) -> list[str]:
    # Indexes SQLite made for UNIQUE in the table definition have no SQL and cannot be dropped.
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL ORDER BY name",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _, sql in indexes]


def _drop_postgresql_indexes(cursor: Any, table: str) -> list[str]:
    quote = connection.ops.quote_name
    # Foreign keys, and unique constraints no foreign key relies on; not the primary key.
    cursor.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND (c.contype = 'f' OR (c.contype = 'u' AND NOT "
        "EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = "
        "c.conindid))) ORDER BY c.contype, c.conname",
        [table],
    )
    constraints = cursor.fetchall()
    # Plain indexes: not the primary key's, not a constraint's.
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT x.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    # Run the deferred checks of the rows written so far: PostgreSQL will not alter a table
    # (nor the tables its foreign keys point at) while checks on it are pending.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for name, _, _ in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    restore = [definition for _, definition in indexes]
    # Unique constraints before foreign keys ("u" sorts after "f").
    for name, definition, _ in sorted(constraints, key=lambda c: c[2] != "u"):
        restore.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    return restore


# ------------------------------------------------------------------------------ the load


@dataclass(frozen=True)
class _Insert:
    model: type[models.Model]
    table: pa.Table  # columns named after the model's fields, values ready to insert


def load_into_db(
    tables: Mapping[str, pa.Table],
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
    period_start: dt.date | None = None,
) -> dict[str, int]:
    """Load a generated partnership in one transaction; returns rows written per model label.

    ``progress(model_label, done, total)`` is called as each chunk is written. A child whose
    date of birth is after ``today`` (default: the clock's today) is loaded as unborn.
    ``period_start`` (default: the first month of the need states) is when household
    memberships start for people already living there.
    """
    check_tables(tables)
    codes = _code_ids()
    _check_codes(tables, codes)
    _check_references(tables)
    today = today or clock.today()
    period_start = period_start or _period_start(tables, today)
    try:
        with system_scope(), _bulk_load_settings():
            _lock_tables()
            inserts = _Builder(tables, codes, today=today, period_start=period_start).build()
            for insert in inserts:
                _check_insert(insert)
            written: dict[str, int] = {}
            for insert in inserts:
                label = insert.model._meta.label
                written[label] = written.get(label, 0) + _insert_table(
                    insert.model, insert.table, progress
                )
            _reset_sequences()
    except DatabaseError as exc:
        raise SynthLoadError(f"the database refused the load: {exc}") from exc
    return written


@contextmanager
def _bulk_load_settings() -> Iterator[None]:
    """On SQLite, a larger page cache while loading: big indexes fill much faster when their
    pages stay in memory (the default cache is 2 MB). Restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def check_tables(tables: Mapping[str, pa.Table]) -> None:
    """Every table the load needs is there, with exactly its ``schema.SCHEMAS`` schema."""
    for name in LOADED_TABLES:
        if name not in tables:
            raise SynthLoadError(f"{name}: table missing")
    for name, table in tables.items():
        problem = schema_mismatch(name, table.schema)
        if problem:
            raise SynthLoadError(problem)


def _code_ids() -> dict[str, dict[str, int]]:
    codes: dict[str, dict[str, int]] = {}
    for scheme, value, pk in Code.objects.values_list("scheme", "code", "pk"):
        codes.setdefault(scheme, {})[value] = pk
    return codes


def _check_codes(tables: Mapping[str, pa.Table], codes: Mapping[str, Mapping[str, int]]) -> None:
    for (name, column), scheme in CODE_COLUMNS.items():
        values = tables[name][column]
        if pa.types.is_list(values.type):
            values = pc.list_flatten(values)
        known = pa.array(list(codes.get(scheme, {})), type=pa.string())
        unknown = pc.filter(values, pc.invert(pc.is_in(values, value_set=known)))
        unknown = pc.drop_null(unknown)
        if len(unknown):
            raise SynthLoadError(
                f"{name}.{column}: {unknown[0].as_py()!r} is not a {scheme} code in the code lists"
            )


def _check_references(tables: Mapping[str, pa.Table]) -> None:
    """Ids that point at another table point at a row that is there."""
    children = tables["children"]["person_id"]
    people = pa.chunked_array(
        [*children.chunks, *tables["adults"]["person_id"].chunks], type=pa.int64()
    )
    agencies = tables["agencies"]["agency_key"]
    checks: list[tuple[str, str, pa.ChunkedArray, str]] = [
        ("households", "lsoa_id", tables["neighbourhoods"]["lsoa_id"], "neighbourhoods"),
        ("adults", "household_id", tables["households"]["household_id"], "households"),
        ("children", "household_id", tables["households"]["household_id"], "households"),
        ("relationships", "person_id", people, "adults or children"),
        ("relationships", "relative_id", people, "adults or children"),
        ("involvements", "person_id", children, "children"),
        ("contacts", "person_id", children, "children"),
        ("referrals", "person_id", children, "children"),
        ("referrals", "contact_id", tables["contacts"]["contact_id"], "contacts"),
        ("assessments", "person_id", children, "children"),
        ("assessments", "referral_id", tables["referrals"]["referral_id"], "referrals"),
        ("plans", "person_id", children, "children"),
        ("plans", "referral_id", tables["referrals"]["referral_id"], "referrals"),
        ("reviews", "plan_id", tables["plans"]["plan_id"], "plans"),
        ("events", "person_id", children, "children"),
        ("attendance", "person_id", children, "children"),
        ("education_status", "person_id", children, "children"),
    ]
    checks += [
        (name, "agency_key", agencies, "agencies")
        for name in ("involvements", "contacts", "events", "attendance", "practitioners")
    ]
    for name, column, targets, target_name in checks:
        values = tables[name][column]
        if pa.types.is_dictionary(values.type):
            values = pa.chunked_array(
                [chunk.dictionary for chunk in values.chunks], type=values.type.value_type
            )
        missing = pc.drop_null(pc.filter(values, pc.invert(pc.is_in(values, value_set=targets))))
        if len(missing):
            raise SynthLoadError(f"{name}.{column}: {missing[0].as_py()!r} is not in {target_name}")
    for name, column in (
        ("children", "person_id"),
        ("agencies", "agency_key"),
        ("households", "household_id"),
        ("neighbourhoods", "lsoa_id"),
        ("contacts", "contact_id"),
        ("referrals", "referral_id"),
        ("assessments", "assessment_id"),
        ("plans", "plan_id"),
        ("reviews", "review_id"),
        ("practitioners", "practitioner_id"),
    ):
        _check_unique(name, column, tables[name][column])
    _check_unique("adults or children", "person_id", people)


def _check_unique(name: str, column: str, values: pa.ChunkedArray | pa.Array) -> None:
    values = pc.drop_null(values)
    if pc.count_distinct(values).as_py() == len(values):
        return
    counts = pc.value_counts(values)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    raise SynthLoadError(f"{name}.{column}: {repeated[0].as_py()!r} appears more than once")


def _period_start(tables: Mapping[str, pa.Table], today: dt.date) -> dt.date:
    for name, column in (("need_states", "month"), ("involvements", "started_on")):
        if name in tables and tables[name].num_rows:
            first = pc.min(tables[name][column]).as_py()
            if first is not None:
                return first
    return today


def _lock_tables() -> None:
    """On PostgreSQL, stop other writers while ids are read and used (SQLite's transaction
    is already IMMEDIATE, so the whole database is locked for writing)."""
    if connection.vendor != "postgresql":
        return
    names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _NUMBERED_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(_NUMBERED_MODELS))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# Models whose ids the loader chooses (shifted past the largest id already there).
_NUMBERED_MODELS: tuple[type[models.Model], ...] = (
    Agency,
    Household,
    Person,
    Contact,
    Referral,
    Assessment,
    Plan,
    Review,
    User,
)


def _check_insert(insert: _Insert) -> None:
    """Nulls, choices, lengths and unique identifiers, checked before anything is written."""
    model, table = insert.model, insert.table
    label = model._meta.label
    for name in table.column_names:
        field = _concrete_field(model, name)
        values = table[name]
        where = f"{label}.{field.name}"
        if not field.null and values.null_count:
            raise SynthLoadError(f"{where}: a row has no value and the field is required")
        if not pa.types.is_string(values.type):
            continue
        if field.choices:
            allowed = pa.array([str(choice) for choice, _ in field.flatchoices], pa.string())
            bad = pc.drop_null(pc.filter(values, pc.invert(pc.is_in(values, value_set=allowed))))
            if len(bad):
                raise SynthLoadError(f"{where}: {bad[0].as_py()!r} is not one of its choices")
        max_length = getattr(field, "max_length", None)
        if max_length and isinstance(field, models.CharField):
            too_long = pc.filter(values, pc.greater(pc.utf8_length(values), max_length))
            if len(too_long):
                raise SynthLoadError(
                    f"{where}: {too_long[0].as_py()!r} is longer than {max_length} characters"
                )
        if field.unique and not field.primary_key:
            _check_unique(label, field.name, values)
            _check_not_in_database(model, field, values)


def _check_not_in_database(
    model: type[models.Model], field: models.Field[Any, Any], values: pa.ChunkedArray
) -> None:
    manager = model._default_manager
    if not manager.exists():
        return
    present = pc.drop_null(values).to_pylist()
    for start in range(0, len(present), 2_000):
        chunk = present[start : start + 2_000]
        clash = manager.filter(**{f"{field.name}__in": chunk}).values_list(field.name, flat=True)
        first = clash.first()
        if first is not None:
            raise SynthLoadError(
                f"{model._meta.label}.{field.name}: {first!r} is already in the database"
            )


# ------------------------------------------------------------------------ tables to models


def _max_id(model: type[models.Model]) -> int:
    return model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0


def _shift(values: pa.ChunkedArray | pa.Array, shift: int) -> pa.ChunkedArray | pa.Array:
    return pc.add(values.cast(pa.int64()), pa.scalar(shift, pa.int64()))


def _ids_from(model: type[models.Model], *columns: pa.ChunkedArray) -> int:
    """The shift that puts the smallest generator id just past ``model``'s largest id."""
    smallest = [pc.min(column).as_py() for column in columns if len(column)]
    smallest = [value for value in smallest if value is not None]
    return _max_id(model) + 1 - (min(smallest) if smallest else 0)


def _lookup(
    values: pa.ChunkedArray | pa.Array, mapping: Mapping[Any, int], value_type: pa.DataType
) -> pa.Array:
    """Map values (codes, keys) to database ids; nulls stay null."""
    keys = pa.array(list(mapping), type=value_type)
    ids = pa.array(list(mapping.values()), type=pa.int64())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        dictionary_ids = pc.take(ids, pc.index_in(values.dictionary, value_set=keys))
        return pc.take(dictionary_ids, values.indices)
    return pc.take(ids, pc.index_in(values, value_set=keys))


def _dates_max(*columns: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Element-wise latest date, ignoring nulls."""
    return pc.max_element_wise(*columns, skip_nulls=True)


class _Builder:
    """Turns the generator's tables into ready-to-insert tables, one per model."""

    def __init__(
        self,
        tables: Mapping[str, pa.Table],
        codes: Mapping[str, Mapping[str, int]],
        *,
        today: dt.date,
        period_start: dt.date,
    ) -> None:
        self.t = tables
        self.codes = codes
        self.today = today
        self.period_start = period_start
        self.inserts: list[_Insert] = []

    def add(self, model: type[models.Model], *parts: Mapping[str, Any]) -> None:
        """One insert for ``model`` from one or more parts (column name -> values); a text
        field that may be blank but not null gets "" where a part has no value or no column."""
        tables = []
        for part in parts:
            arrays = {
                name: value.combine_chunks() if isinstance(value, pa.ChunkedArray) else value
                for name, value in part.items()
            }
            tables.append(pa.table(arrays))
        names = list(dict.fromkeys(name for table in tables for name in table.column_names))
        blank_text = {
            name
            for name in names
            if isinstance(
                field := _concrete_field(model, name), models.CharField | models.TextField
            )
            and not field.null
        }
        filled = []
        for table in tables:
            length = table.num_rows
            columns = []
            for name in names:
                if name in table.column_names:
                    column = table[name].combine_chunks()
                    if name in blank_text and column.null_count and not _is_dictionary(column):
                        column = pc.fill_null(column, "")
                elif name in blank_text:
                    column = _constant("", length)
                else:
                    raise ValueError(f"{model._meta.label}: a part has no column {name!r}")
                columns.append(column)
            filled.append(pa.table(columns, names=names))
        table = filled[0] if len(filled) == 1 else _concat(filled)
        self.inserts.append(_Insert(model, table))

    def code(self, table: str, column: str, values: pa.ChunkedArray | pa.Array) -> pa.Array:
        return _lookup(values, self.codes.get(CODE_COLUMNS[(table, column)], {}), pa.string())

    def build(self) -> list[_Insert]:
        self.agencies()
        self.households()
        self.people()
        self.relationships()
        self.casework()
        self.events()
        self.attendance()
        self.participation()
        self.practitioners()
        return self.inserts

    def agencies(self) -> None:
        table = self.t["agencies"]
        existing = dict(Agency.objects.values_list("name", "pk"))
        names = table["name"].to_pylist()
        new = pc.invert(pc.is_in(table["name"], value_set=pa.array(list(existing), pa.string())))
        shift = _max_id(Agency) + 1
        new_ids = {name: shift + i for i, name in enumerate(n for n in names if n not in existing)}
        self.agency_id = {
            key: existing.get(name) or new_ids[name]
            for key, name in zip(table["agency_key"].to_pylist(), names, strict=True)
        }
        self.agency_name = dict(zip(table["agency_key"].to_pylist(), names, strict=True))
        added = table.filter(new)
        self.add(
            Agency,
            {
                "id": pa.array([new_ids[n] for n in added["name"].to_pylist()], pa.int64()),
                "name": added["name"],
                "agency_type": added["agency_type"],
            },
        )

    def agency(self, values: pa.ChunkedArray | pa.Array) -> pa.Array:
        return _lookup(values, self.agency_id, pa.string())

    def households(self) -> None:
        households, areas = self.t["households"], self.t["neighbourhoods"]
        area = pc.index_in(households["lsoa_id"], value_set=areas["lsoa_id"])
        locality = pc.take(areas["locality"], area)
        town = pc.replace_substring_regex(locality, pattern=r"\s+\d+$", replacement="")
        self.household_shift = _ids_from(Household, households["household_id"])
        self.add(
            Household,
            {
                "id": _shift(households["household_id"], self.household_shift),
                "address_line_1": households["address_line_1"],
                "town": pc.if_else(pc.is_null(town), TOWN, town),
                "postcode": households["postcode"],
                "lsoa_code": pc.take(areas["lsoa_code"], area),
                "imd_decile": pc.take(areas["imd_decile"], area).cast(pa.int16()),
            },
        )

    def person(self, values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
        return _shift(values, self.person_shift)

    def people(self) -> None:
        children, adults = self.t["children"], self.t["adults"]
        self.person_shift = _ids_from(Person, children["person_id"], adults["person_id"])
        unborn = pc.greater(children["date_of_birth"], pa.scalar(self.today, pa.date32()))
        no_date = pa.scalar(None, pa.date32())
        former = children["former_family_name"]
        self.add(
            Person,
            {
                "id": self.person(children["person_id"]),
                "given_name": children["given_name"],
                "family_name": children["family_name"],
                # A former name is another name the child is known by.
                "other_names": pc.binary_join_element_wise(children["given_name"], former, " "),
                "date_of_birth": pc.if_else(unborn, no_date, children["date_of_birth"]),
                "sex": pc.if_else(unborn, Sex.UNKNOWN.value, children["sex"]),
            },
            {
                "id": self.person(adults["person_id"]),
                "given_name": adults["given_name"],
                "family_name": adults["family_name"],
                "date_of_birth": adults["date_of_birth"],
                "sex": adults["sex"],
            },
        )
        self.add(
            Child,
            {
                "person": self.person(children["person_id"]),
                "la_child_id": children["la_child_id"],
                "nhs_number": children["nhs_number"],
                "upn": children["upn"],
                "expected_birth_on": pc.if_else(unborn, children["date_of_birth"], no_date),
                "ethnicity": self.code("children", "ethnicity", children["ethnicity"]),
                "has_send": children["has_send"],
            },
        )
        disabled = children.filter(pc.not_equal(children["disability"], NO_DISABILITY))
        disabilities = _many_to_many(Child, "disabilities")
        self.add(
            _through(disabilities),
            {
                disabilities.m2m_field_name(): self.person(disabled["person_id"]),
                disabilities.m2m_reverse_field_name(): self.code(
                    "children", "disability", disabled["disability"]
                ),
            },
        )
        self.memberships(unborn)

    def memberships(self, unborn: pa.ChunkedArray) -> None:
        """One membership each, of the current household: from the start of the period, the
        family's move there, or birth, whichever is latest; an unborn child's from today."""
        households = self.t["households"]
        start = pa.scalar(self.period_start, pa.date32())
        parts = []
        for name in ("children", "adults"):
            people = self.t[name]
            row = pc.index_in(people["household_id"], value_set=households["household_id"])
            started = _dates_max(start, pc.take(households["moved_on"], row))
            if name == "children":
                started = _dates_max(started, people["date_of_birth"])
                started = pc.if_else(unborn, pa.scalar(self.today, pa.date32()), started)
            parts.append(
                {
                    "household": _shift(people["household_id"], self.household_shift),
                    "person": self.person(people["person_id"]),
                    "started_on": started,
                }
            )
        self.add(HouseholdMembership, *parts)

    def relationships(self) -> None:
        table = self.t["relationships"]
        self.add(
            Relationship,
            {
                "person": self.person(table["person_id"]),
                "relative": self.person(table["relative_id"]),
                "relationship_type": table["relationship_type"],
                "has_parental_responsibility": table["has_parental_responsibility"],
            },
        )

    def casework(self) -> None:
        t = self.t
        involvements = t["involvements"]
        self.add(
            Involvement,
            {
                "child": self.person(involvements["person_id"]),
                "agency": self.agency(involvements["agency_key"]),
                "role": involvements["role"],
                "started_on": involvements["started_on"],
                "ended_on": involvements["ended_on"],
            },
        )
        contacts = t["contacts"]
        contact_shift = _ids_from(Contact, contacts["contact_id"])
        agency_name = _lookup_text(contacts["agency_key"], self.agency_name).dictionary_decode()
        self.add(
            Contact,
            {
                "id": _shift(contacts["contact_id"], contact_shift),
                "child": self.person(contacts["person_id"]),
                "received_on": contacts["received_on"],
                "agency": self.agency(contacts["agency_key"]),
                "summary": pc.if_else(
                    contacts["is_neglect_concern"],
                    pc.binary_join_element_wise(
                        "Concern about possible neglect received from ", agency_name, ".", ""
                    ),
                    pc.binary_join_element_wise("Concern received from ", agency_name, ".", ""),
                ),
                "is_neglect_concern": contacts["is_neglect_concern"],
            },
        )
        referrals = t["referrals"]
        referral_shift = _ids_from(Referral, referrals["referral_id"])
        self.add(
            Referral,
            {
                "id": _shift(referrals["referral_id"], referral_shift),
                "child": self.person(referrals["person_id"]),
                "contact": _shift(referrals["contact_id"], contact_shift),
                "referred_on": referrals["referred_on"],
                "source": self.code("referrals", "source", referrals["source"]),
                "primary_need": self.code("referrals", "primary_need", referrals["primary_need"]),
                "is_neglect_concern": referrals["is_neglect_concern"],
                "no_further_action": referrals["no_further_action"],
                "closed_on": referrals["closed_on"],
                "closure_reason": self.code(
                    "referrals", "closure_reason", referrals["closure_reason"]
                ),
            },
        )
        assessments = t["assessments"]
        assessment_shift = _ids_from(Assessment, assessments["assessment_id"])
        assessment_ids = _shift(assessments["assessment_id"], assessment_shift)
        self.add(
            Assessment,
            {
                "id": assessment_ids,
                "child": self.person(assessments["person_id"]),
                "referral": _shift(assessments["referral_id"], referral_shift),
                "assessment_type": assessments["assessment_type"],
                "started_on": assessments["started_on"],
                "authorised_on": assessments["authorised_on"],
                "initial_conference_on": assessments["initial_conference_on"],
            },
        )
        self.factors(assessment_ids)
        plans = t["plans"]
        plan_shift = _ids_from(Plan, plans["plan_id"])
        self.add(
            Plan,
            {
                "id": _shift(plans["plan_id"], plan_shift),
                "child": self.person(plans["person_id"]),
                "referral": _shift(plans["referral_id"], referral_shift),
                "plan_type": plans["plan_type"],
                "started_on": plans["started_on"],
                "ended_on": plans["ended_on"],
                "initial_category": self.code(
                    "plans", "initial_category", plans["initial_category"]
                ),
                "latest_category": self.code("plans", "latest_category", plans["latest_category"]),
                "number_of_previous_cp_plans": plans["number_of_previous_cp_plans"],
                "end_reason": pc.fill_null(plans["end_reason"], ""),
            },
        )
        reviews = t["reviews"]
        self.add(
            Review,
            {
                "id": _shift(reviews["review_id"], _ids_from(Review, reviews["review_id"])),
                "plan": _shift(reviews["plan_id"], plan_shift),
                "held_on": reviews["held_on"],
            },
        )

    def factors(self, assessment_ids: pa.ChunkedArray | pa.Array) -> None:
        factors = self.t["assessments"]["factors"].combine_chunks()
        codes = self.codes.get(Scheme.ASSESSMENT_FACTOR, {})
        owners = pc.take(assessment_ids, pc.list_parent_indices(factors)).to_pylist()
        flat = (codes[code] for code in pc.list_flatten(factors).to_pylist())
        pairs = list(dict.fromkeys(zip(owners, flat, strict=True)))  # a factor once each
        field = _many_to_many(Assessment, "factors")
        self.add(
            _through(field),
            {
                field.m2m_field_name(): pa.array([owner for owner, _ in pairs], pa.int64()),
                field.m2m_reverse_field_name(): pa.array([code for _, code in pairs], pa.int64()),
            },
        )

    def events(self) -> None:
        events = self.t["events"]
        # Each child's events together, in time order: the indexes fill in order.
        events = events.take(
            pc.sort_indices(events, [("person_id", "ascending"), ("occurred_at", "ascending")])
        )
        event_types = self.codes.get(Scheme.CHRONOLOGY_EVENT_TYPE, {})
        labels = dict(
            Code.objects.filter(scheme=Scheme.CHRONOLOGY_EVENT_TYPE).values_list("code", "label")
        )
        summaries = {
            code: EVENT_SUMMARIES.get(code) or f"{labels.get(code, code)}." for code in event_types
        }
        # A multiplicative hash of the event id spreads the delays over 0 to 2 days.
        event_ids = events["event_id"].to_numpy().astype(np.uint64)
        delay = (event_ids * np.uint64(2_654_435_761)) % np.uint64(RECORDING_DELAY_SECONDS + 1)
        occurred = events["occurred_at"].cast(pa.int64())
        recorded = pc.add(occurred, pa.array(delay.astype(np.int64) * 1_000_000)).cast(
            events.schema.field("occurred_at").type
        )
        self.add(
            ChronologyEvent,
            {
                "child": self.person(events["person_id"]),
                "agency": self.agency(events["agency_key"]),
                "occurred_at": events["occurred_at"],
                "recorded_at": recorded,
                "event_type": self.code("events", "event_type", events["event_type"]),
                "neglect_type": self.code("events", "neglect_type", events["neglect_type"]),
                "significance": events["significance"],
                "summary": _lookup_text(events["event_type"], summaries),
                "source_system": _constant(SOURCE_SYSTEM, events.num_rows),
                "source_reference": pc.binary_join_element_wise(
                    "synth:", events["event_id"].cast(pa.string()), ""
                ),
            },
        )

    def attendance(self) -> None:
        weeks = self.t["attendance"]
        weeks = weeks.take(
            pc.sort_indices(
                weeks.select(["person_id", "week_start"]),
                [("person_id", "ascending"), ("week_start", "ascending")],
            )
        )
        self.add(
            AttendanceWeek,
            {
                "child": self.person(weeks["person_id"]),
                "agency": self.agency(weeks["agency_key"]),
                "week_start": weeks["week_start"],
                "sessions_possible": weeks["sessions_possible"],
                "sessions_attended": weeks["sessions_attended"],
            },
        )

    def participation(self) -> None:
        """The council's monthly tracking of 16-17 year olds, recorded on the first of each
        month. The generator knows only NEET or not, so not NEET is loaded as in education
        (what most 16-17 year olds are doing); months after ``today`` are left out."""
        status = self.t["education_status"]
        status = status.filter(
            pc.less_equal(status["month"], pa.scalar(self.today.replace(day=1), pa.date32()))
        )
        status = status.take(
            pc.sort_indices(
                status.select(["person_id", "month"]),
                [("person_id", "ascending"), ("month", "ascending")],
            )
        )
        self.add(
            ParticipationRecord,
            {
                "child": self.person(status["person_id"]),
                "month": status["month"],
                "status": pc.if_else(
                    status["is_neet"],
                    ActivityStatus.NEET.value,
                    ActivityStatus.EDUCATION.value,
                ),
                "recorded_at": status["month"].cast(pa.timestamp("us", tz="UTC")),
                "source_system": _constant(SOURCE_SYSTEM, status.num_rows),
            },
        )

    def practitioners(self) -> None:
        table = self.t["practitioners"]
        shift = _ids_from(User, table["practitioner_id"])
        self.add(
            User,
            {
                "id": _shift(table["practitioner_id"], shift),
                "username": table["username"],
                "first_name": table["given_name"],
                "last_name": table["family_name"],
                "agency": self.agency(table["agency_key"]),
                "role": table["role"],
                "password": pa.array([make_password(None) for _ in range(table.num_rows)]),
                "is_active": pa.array(np.ones(table.num_rows, dtype=bool)),
            },
        )


def _lookup_text(values: pa.ChunkedArray | pa.Array, mapping: Mapping[str, str]) -> pa.Array:
    """Map keys to text as a dictionary array (one copy of each text, however many rows)."""
    keys = pa.array(list(mapping), pa.string())
    indices = pc.index_in(values, value_set=keys)
    if isinstance(indices, pa.ChunkedArray):
        indices = indices.combine_chunks()
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(mapping.values()), pa.string()))


def _constant(value: str, length: int) -> pa.Array:
    """``value`` repeated ``length`` times, stored once."""
    return pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(length, dtype=np.int32)), pa.array([value], pa.string())
    )


def _is_dictionary(column: pa.Array) -> bool:
    return pa.types.is_dictionary(column.type)


def _concat(tables: Sequence[pa.Table]) -> pa.Table:
    """Concatenate parts whose columns agree in name (dictionary text columns are decoded)."""
    decoded = []
    for table in tables:
        columns = [
            column.combine_chunks().dictionary_decode()
            if pa.types.is_dictionary(column.type)
            else column
            for column in table.columns
        ]
        decoded.append(pa.table(columns, names=table.column_names))
    return pa.concat_tables(decoded, promote_options="permissive")


def _many_to_many(model: type[models.Model], name: str) -> models.ManyToManyField[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.ManyToManyField)
    return field


def _through(field: models.ManyToManyField[Any, Any]) -> type[models.Model]:
    through = field.remote_field.through
    assert isinstance(through, type), field
    return through
