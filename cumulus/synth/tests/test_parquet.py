"""Parquet files of the partnership: a faithful round trip, and the same bytes every time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.parquet import ParquetSchemaError, read_parquet, write_parquet
from cumulus.synth.tests.test_loader import small_partnership


def _digests(paths: list[Path]) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


def _rechunked(table: pa.Table, rows: int) -> pa.Table:
    return pa.Table.from_batches(table.to_batches(max_chunksize=rows), schema=table.schema)


def test_round_trip_gives_back_equal_tables(tmp_path):
    tables = small_partnership()

    paths = write_parquet(tables, tmp_path)
    again = read_parquet(tmp_path)

    assert sorted(path.name for path in paths) == sorted(f"{name}.parquet" for name in SCHEMAS)
    assert list(again) == list(SCHEMAS)
    for name, table in tables.items():
        assert again[name].equals(table), name
        assert again[name].schema.equals(SCHEMAS[name]), name


def test_the_same_tables_give_identical_bytes_however_they_are_chunked(tmp_path):
    tables = small_partnership()
    first = _digests(write_parquet(tables, tmp_path / "first"))
    second = _digests(write_parquet(tables, tmp_path / "second"))
    rechunked = {name: _rechunked(table, 1) for name, table in tables.items()}
    third = _digests(write_parquet(rechunked, tmp_path / "third"))

    assert first == second == third


def _encode(values: list[str], dictionary: list[str]) -> pa.DictionaryArray:
    indices = pa.array([dictionary.index(value) for value in values], pa.int16())
    return pa.DictionaryArray.from_arrays(indices, pa.array(dictionary))


def test_a_table_whose_chunks_have_different_dictionaries_gives_identical_bytes(tmp_path):
    rows = 50_000
    schema = SCHEMAS["attendance"]
    keys = [f"school_{i % 37:03d}" for i in range(rows)]
    names = sorted(set(keys))
    columns = {
        "person_id": pa.array(range(rows), pa.int64()),
        "week_start": pa.array([i % 300 + 19_000 for i in range(rows)], pa.date32()),
        "sessions_possible": pa.array([10] * rows, pa.int8()),
        "sessions_attended": pa.array([i % 11 for i in range(rows)], pa.int8()),
    }
    one_chunk = pa.table({**columns, "agency_key": _encode(keys, names)}).select(schema.names)
    # The same values, in two chunks whose dictionaries list the schools in opposite orders.
    two_chunks = pa.Table.from_batches(
        [
            pa.record_batch(
                {
                    **{name: column[start:stop] for name, column in columns.items()},
                    "agency_key": _encode(keys[start:stop], order),
                }
            ).select(schema.names)
            for start, stop, order in ((0, 1_000, names), (1_000, rows, names[::-1]))
        ]
    )
    assert one_chunk.to_pylist() == two_chunks.to_pylist()

    first = _digests(write_parquet({"attendance": one_chunk}, tmp_path / "a"))
    second = _digests(write_parquet({"attendance": two_chunks}, tmp_path / "b"))

    assert first == second
    again = read_parquet(tmp_path / "b", ["attendance"])["attendance"]
    assert again.to_pylist() == one_chunk.to_pylist()


def test_reading_a_file_with_the_wrong_schema_names_table_and_column(tmp_path):
    write_parquet(small_partnership(), tmp_path)
    wrong = pa.table({"review_id": pa.array([1], pa.int64()), "plan_id": pa.array([2], pa.int64())})
    wrong = wrong.append_column("held_on", pa.array(["2025-01-01"]))
    pq.write_table(wrong, tmp_path / "reviews.parquet")

    with pytest.raises(ParquetSchemaError, match=r"reviews\.held_on: expected type date32"):
        read_parquet(tmp_path)


def test_reading_a_directory_without_a_table_says_which(tmp_path):
    write_parquet(small_partnership(), tmp_path)
    (tmp_path / "plans.parquet").unlink()

    with pytest.raises(ParquetSchemaError, match="plans: no file"):
        read_parquet(tmp_path)


def test_writing_a_table_with_the_wrong_schema_is_refused(tmp_path):
    tables = small_partnership()
    bad = {"events": tables["events"].drop_columns(["significance"])}

    with pytest.raises(ParquetSchemaError, match="events: missing column 'significance'"):
        write_parquet(bad, tmp_path)
    assert not (tmp_path / "events.parquet").exists()
