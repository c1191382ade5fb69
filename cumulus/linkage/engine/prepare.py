"""Normalise person records into the columns the linkage model compares.

Why SQL: a million agency records must be cleaned in a second or two, so every rule runs in
DuckDB over the whole table. The rules are the ones in :mod:`cumulus.core.identifiers` (NHS
number modulus 11, UPN check letter, postcode format), written again as SQL expressions; the
tests check both give the same answer on the same values, so the two cannot drift apart.

Input: any table with a ``unique_id`` column and any of :data:`FIELDS`. Output: a DuckDB table
with every prepared column (missing fields are null), ready for Splink.
"""

# ruff: noqa: S608 - SQL is built from our own table names and quoted column names; values are
# always parameters or registered tables.

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

from cumulus.core import identifiers

FIELDS: tuple[str, ...] = (
    "forename",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
    "other_ids",
)
"""The person fields linkage understands; every one is optional in the input. ``other_ids`` is
a list of strings (any other identifiers, each tagged with its kind, e.g. ``"police:123"``)."""

PREPARED_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "forename",
    "forename_variants",
    "surname",
    "date_of_birth",
    "dob_swapped",
    "birth_year",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "nhs_number_raw",
    "upn",
    "upn_raw",
    "other_ids",
    "other_id_first",
)

_UPN_ALPHABET = identifiers.UPN_ALPHABET
# The strict BS 7666 pattern, shared with core.identifiers so there is one definition.
_POSTCODE_PATTERN = identifiers._POSTCODE.pattern


@cache
def nicknames() -> dict[str, tuple[str, ...]]:
    """Name -> canonical forms, from ``data/nicknames.csv`` (our own table)."""
    text = resources.files("cumulus.linkage.engine").joinpath("data/nicknames.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    table: dict[str, list[str]] = {}
    for row in rows:
        table.setdefault(row["name"].strip().upper(), []).append(row["canonical"].strip().upper())
    return {name: tuple(sorted(set(forms))) for name, forms in table.items()}


def _clean_name(column: str) -> str:
    """Uppercase, letters, spaces, hyphens and apostrophes only, single spaces; '' as null."""
    cleaned = (
        f"trim(regexp_replace(regexp_replace(upper(CAST({column} AS VARCHAR)), "
        f"'[^A-Z'' -]', '', 'g'), '\\s+', ' ', 'g'))"
    )
    return f"nullif({cleaned}, '')"


def nhs_number_valid_sql(column: str) -> str:
    """SQL that is true when ``column`` (10 digits) passes the modulus 11 check."""
    total = " + ".join(
        f"TRY_CAST(substr({column}, {i}, 1) AS INTEGER) * {11 - i}" for i in range(1, 10)
    )
    check = f"(11 - (({total}) % 11))"
    return (
        f"(regexp_full_match({column}, '[0-9]{{10}}') AND "
        f"CASE WHEN {check} = 11 THEN 0 ELSE {check} END "
        f"= TRY_CAST(substr({column}, 10, 1) AS INTEGER))"
    )


def upn_valid_sql(column: str) -> str:
    """SQL that is true when ``column`` is a 13-character UPN with the right check letter."""
    letters = f"[{_UPN_ALPHABET}]"

    def value(position: int) -> str:
        ch = f"substr({column}, {position}, 1)"
        return (
            f"CASE WHEN {ch} BETWEEN '0' AND '9' THEN TRY_CAST({ch} AS INTEGER) "
            f"ELSE instr('{_UPN_ALPHABET}', {ch}) - 1 END"
        )

    total = " + ".join(f"{p} * ({value(p)})" for p in range(2, 14))
    return (
        f"(regexp_full_match({column}, '{letters}[0-9]{{11}}[0-9{_UPN_ALPHABET}]') AND "
        f"substr('{_UPN_ALPHABET}', (({total}) % 23) + 1, 1) = substr({column}, 1, 1))"
    )


def _postcode_sql(column: str) -> str:
    compact = f"regexp_replace(upper(CAST({column} AS VARCHAR)), '\\s', '', 'g')"
    spaced = (
        f"CASE WHEN length({compact}) > 3 THEN "
        f"substr({compact}, 1, length({compact}) - 3) || ' ' || right({compact}, 3) END"
    )
    return (
        f"CASE WHEN regexp_full_match({spaced}, '{_POSTCODE_PATTERN.strip('^$')}') "
        f"THEN {spaced} END"
    )


def _dob_sql(column: str, column_type: pa.DataType | None) -> str:
    if column_type is None:
        return "CAST(NULL AS DATE)"
    if pa.types.is_date(column_type) or pa.types.is_timestamp(column_type):
        return f"CAST({column} AS DATE)"
    return f"TRY_CAST(nullif(trim(CAST({column} AS VARCHAR)), '') AS DATE)"


def prepare(
    con: duckdb.DuckDBPyConnection, records: pa.Table, *, name: str
) -> duckdb.DuckDBPyRelation:
    """Create table ``name`` in ``con`` holding ``records`` normalised; return it.

    ``records`` needs a ``unique_id`` column (cast to text); :data:`FIELDS` it lacks are null.
    Invalid NHS numbers and UPNs are kept in ``*_raw`` (so a mistyped digit still counts as
    near-agreement) but never in ``nhs_number`` / ``upn``, which the deterministic rules trust.
    """
    if "unique_id" not in records.column_names:
        raise ValueError("records need a unique_id column")
    present = set(records.column_names)
    source = f"__source_{name}"
    con.register(source, records)
    try:

        def col(field: str) -> str:
            return f'src."{field}"' if field in present else "NULL"

        dob_type = (
            records.schema.field("date_of_birth").type if "date_of_birth" in present else None
        )
        nhs_raw = (
            f"nullif(regexp_replace(CAST({col('nhs_number')} AS VARCHAR), '[\\s-]', '', 'g'), '')"
        )
        upn_raw = f"nullif(upper(trim(CAST({col('upn')} AS VARCHAR))), '')"
        address = (
            f"nullif(trim(regexp_replace(upper(CAST({col('address')} AS VARCHAR)), "
            f"'[^A-Z0-9]+', ' ', 'g')), '')"
        )
        table = nicknames()
        con.register(
            "__nicknames",
            pa.table(
                {
                    "name": pa.array(list(table), pa.string()),
                    "forms": pa.array([list(forms) for forms in table.values()]),
                }
            ),
        )
        other_ids = (
            "CAST(NULL AS VARCHAR[])"
            if "other_ids" not in present
            else "nullif(list_filter(CAST(src.other_ids AS VARCHAR[]), lambda x: x IS NOT NULL "
            "AND x <> ''), [])"
        )
        con.execute(f"""
            CREATE OR REPLACE TABLE "{name}" AS
            WITH base AS (
                SELECT
                    CAST(src.unique_id AS VARCHAR) AS unique_id,
                    {_clean_name(col("forename"))} AS forename,
                    {_clean_name(col("surname"))} AS surname,
                    {_dob_sql(col("date_of_birth"), dob_type)} AS date_of_birth,
                    CASE upper(trim(CAST({col("sex")} AS VARCHAR)))
                        WHEN 'M' THEN 'M' WHEN 'MALE' THEN 'M' WHEN '1' THEN 'M'
                        WHEN 'F' THEN 'F' WHEN 'FEMALE' THEN 'F' WHEN '2' THEN 'F'
                    END AS sex,
                    {_postcode_sql(col("postcode"))} AS postcode,
                    {address} AS address,
                    {nhs_raw} AS nhs_number_raw,
                    {upn_raw} AS upn_raw,
                    {other_ids} AS other_ids
                FROM {source} AS src
            )
            SELECT
                base.unique_id,
                base.forename,
                CASE WHEN base.forename IS NOT NULL THEN
                    list_distinct(list_concat([split_part(base.forename, ' ', 1)],
                                              coalesce(nk.forms, [])))
                END AS forename_variants,
                base.surname,
                base.date_of_birth,
                CASE WHEN day(base.date_of_birth) <= 12 THEN
                    make_date(year(base.date_of_birth), day(base.date_of_birth),
                              month(base.date_of_birth))
                END AS dob_swapped,
                year(base.date_of_birth) AS birth_year,
                base.sex,
                base.postcode,
                base.address,
                CASE WHEN {nhs_number_valid_sql("base.nhs_number_raw")}
                    THEN base.nhs_number_raw END AS nhs_number,
                base.nhs_number_raw,
                CASE WHEN {upn_valid_sql("base.upn_raw")} THEN base.upn_raw END AS upn,
                base.upn_raw,
                base.other_ids,
                base.other_ids[1] AS other_id_first
            FROM base
            LEFT JOIN __nicknames AS nk ON nk.name = split_part(base.forename, ' ', 1)
        """)
    finally:
        con.unregister(source)
        con.unregister("__nicknames")
    duplicates = con.execute(
        f'SELECT unique_id FROM "{name}" GROUP BY unique_id HAVING count(*) > 1 LIMIT 3'
    ).fetchall()
    if duplicates:
        shown = ", ".join(str(row[0]) for row in duplicates)
        raise ValueError(f"unique_id must be unique; repeated: {shown}")
    return con.table(name)


def present_fields(con: duckdb.DuckDBPyConnection, *names: str) -> set[str]:
    """The fields with at least one value in every one of the prepared tables ``names``."""
    found: set[str] | None = None
    for name in names:
        checks = ", ".join(f"count({field})" for field in FIELDS)
        row: Any = con.execute(f'SELECT {checks} FROM "{name}"').fetchall()[0]
        here = {field for field, count in zip(FIELDS, row, strict=True) if count}
        found = here if found is None else found & here
    return found or set()
