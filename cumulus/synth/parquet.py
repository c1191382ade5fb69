"""The synthetic partnership as Parquet files: one ``<table>.parquet`` per table of ``SCHEMAS``.

The same tables always give the same bytes, whatever the chunking of the Arrow arrays: every
writer option is pinned, each row group is written from one contiguous chunk, dictionary
columns are re-encoded in order of first appearance, and Parquet metadata holds no timestamp::

    paths = write_parquet(tables, Path("out"))
    tables = read_parquet(Path("out"))  # checked against schema.SCHEMAS
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cumulus.synth.engine.schema import SCHEMAS

ROW_GROUP_ROWS = 1_048_576
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3


class ParquetSchemaError(ValueError):
    """A Parquet file (or an Arrow table) does not have its table's schema."""


def schema_mismatch(name: str, schema: pa.Schema) -> str | None:
    """Why ``schema`` is not ``SCHEMAS[name]``, naming the table and column; ``None`` if it is."""
    expected = SCHEMAS.get(name)
    if expected is None:
        return f"{name}: not a table of the synthetic partnership"
    if schema.equals(expected):
        return None
    missing = [field.name for field in expected if field.name not in schema.names]
    if missing:
        return f"{name}: missing column {missing[0]!r}"
    extra = [column for column in schema.names if column not in expected.names]
    if extra:
        return f"{name}: unexpected column {extra[0]!r}"
    for field in expected:
        actual = schema.field(field.name)
        if not actual.type.equals(field.type):
            return f"{name}.{field.name}: expected type {field.type}, got {actual.type}"
    if schema.names != expected.names:
        return f"{name}: columns out of order: expected {expected.names}, got {schema.names}"
    return f"{name}: schema differs from schema.SCHEMAS[{name!r}]"


def write_parquet(tables: Mapping[str, pa.Table], out_dir: Path) -> list[Path]:
    """Write each table to ``out_dir/<name>.parquet`` (zstd); returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        problem = schema_mismatch(name, table.schema)
        if problem:
            raise ParquetSchemaError(problem)
        path = out_dir / f"{name}.parquet"
        _write_table(table.replace_schema_metadata(None), path)
        paths.append(path)
    return paths


def read_parquet(out_dir: Path, tables: Iterable[str] | None = None) -> dict[str, pa.Table]:
    """Read every table of ``SCHEMAS`` (or only ``tables``) from ``out_dir``, checking each."""
    result = {}
    for name in tables if tables is not None else SCHEMAS:
        if name not in SCHEMAS:
            raise ParquetSchemaError(f"{name}: not a table of the synthetic partnership")
        path = out_dir / f"{name}.parquet"
        if not path.is_file():
            raise ParquetSchemaError(f"{name}: no file {path}")
        table = pq.read_table(path)
        problem = schema_mismatch(name, table.schema)
        if problem:
            raise ParquetSchemaError(f"{problem} (in {path})")
        result[name] = table
    return result


def _write_table(table: pa.Table, path: Path) -> None:
    with pq.ParquetWriter(
        path,
        table.schema,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        version="2.6",
        data_page_version="1.0",
        use_dictionary=True,
        write_statistics=True,
        write_page_index=False,
        store_schema=True,
    ) as writer:
        if table.num_rows == 0:
            writer.write_table(table)
        for offset in range(0, table.num_rows, ROW_GROUP_ROWS):
            group = _canonical(table.slice(offset, ROW_GROUP_ROWS))
            writer.write_table(group, row_group_size=ROW_GROUP_ROWS)


def _canonical(table: pa.Table) -> pa.Table:
    """One contiguous chunk per column, dictionaries in order of first appearance."""
    table = table.combine_chunks()
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_dictionary(field.type) and column.num_chunks:
            values = column.chunk(0).dictionary_decode()
            column = pa.chunked_array([values.dictionary_encode().cast(field.type)])
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)
