"""Read person records from CSV files through a MAPPING.yaml, for ``cumulus link``.

MAPPING.yaml names the column that holds each field; every key is optional but ``id``::

    id: person_ref
    forename: first_name
    surname: last_name
    date_of_birth: dob
    date_format: "%Y%m%d"        # how date_of_birth is written (default ISO, YYYY-MM-DD)
    sex: gender
    postcode: post_code
    address: [address_1, address_2, town]   # one column, or a list joined with spaces
    nhs_number: nhs_no
    upn: upn
    other_ids: [police_ref, school_ref]    # compared as "an identifier in common"
"""

# ruff: noqa: S608 - SQL is built from our own table names and quoted column names; values are
# always parameters or registered tables.

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import yaml

ONE_COLUMN = ("id", "forename", "surname", "date_of_birth", "sex", "postcode", "nhs_number", "upn")
KEYS = (*ONE_COLUMN, "date_format", "address", "other_ids")


class MappingError(ValueError):
    """The mapping or a file does not fit; the message says exactly what to change."""


def load_mapping(path: Path) -> dict[str, Any]:
    """Parse and check MAPPING.yaml (not the files: see :func:`read_records`)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such mapping file") from None
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise MappingError(f"{path}: the mapping must be YAML keys and values, e.g. 'id: ref'")
    unknown = sorted(set(map(str, data)) - set(KEYS))
    if unknown:
        raise MappingError(
            f"{path}: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(KEYS)}"
        )
    if "id" not in data:
        raise MappingError(f"{path}: 'id' is required: name the column that identifies a record")
    for key in ONE_COLUMN:
        if key in data and not (isinstance(data[key], str) and data[key]):
            raise MappingError(f"{path}: '{key}' must be one column name")
    for key in ("address", "other_ids"):
        value = data.get(key)
        if value is None:
            continue
        columns = [value] if isinstance(value, str) and key == "address" else value
        if not (isinstance(columns, list) and columns and all(isinstance(c, str) for c in columns)):
            kind = "a column name or a list of column names" if key == "address" else "a list"
            raise MappingError(f"{path}: '{key}' must be {kind}")
        data[key] = columns
    if "date_format" in data:
        if "date_of_birth" not in data:
            raise MappingError(f"{path}: 'date_format' needs 'date_of_birth' too")
        if not isinstance(data["date_format"], str) or "%" not in data["date_format"]:
            raise MappingError(f"{path}: 'date_format' must be a strptime format such as %Y%m%d")
    return data


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_records(path: Path, mapping: dict[str, Any]) -> pa.Table:
    """The CSV at ``path`` as linkage input columns, after checking every mapped column exists."""
    con = duckdb.connect()
    try:
        relation = con.read_csv(str(path), all_varchar=True, header=True)
    except (duckdb.Error, FileNotFoundError) as exc:
        raise MappingError(f"{path}: cannot read it as CSV ({exc})") from None
    columns = set(relation.columns)
    wanted = [mapping[k] for k in ONE_COLUMN if k in mapping]
    wanted += mapping.get("address", []) + mapping.get("other_ids", [])
    missing = [c for c in dict.fromkeys(wanted) if c not in columns]
    if missing:
        raise MappingError(
            f"{path}: no column(s) {', '.join(missing)} (the file has {', '.join(sorted(columns))})"
        )
    select = [f"{_quote(mapping['id'])} AS unique_id"]
    for key in ("forename", "surname", "sex", "postcode", "nhs_number", "upn"):
        if key in mapping:
            select.append(f"{_quote(mapping[key])} AS {key}")
    if "date_of_birth" in mapping:
        column = _quote(mapping["date_of_birth"])
        fmt = mapping.get("date_format", "%Y-%m-%d").replace("'", "''")
        select.append(f"CAST(try_strptime({column}, '{fmt}') AS DATE) AS date_of_birth")
    if "address" in mapping:
        parts = ", ".join(_quote(c) for c in mapping["address"])
        select.append(f"concat_ws(' ', {parts}) AS address")
    if "other_ids" in mapping:
        tagged = ", ".join(
            f"CASE WHEN nullif(trim({_quote(c)}), '') IS NOT NULL "
            f"THEN '{i}:' || trim({_quote(c)}) END"
            for i, c in enumerate(mapping["other_ids"])
        )
        select.append(f"[{tagged}] AS other_ids")
    table = con.sql(f"SELECT {', '.join(select)} FROM relation").to_arrow_table()
    ids = table.column("unique_id")
    if ids.null_count:
        raise MappingError(f"{path}: {ids.null_count} row(s) have no value in '{mapping['id']}'")
    if len(set(ids.to_pylist())) != table.num_rows:
        raise MappingError(f"{path}: the id column '{mapping['id']}' repeats values")
    return table
