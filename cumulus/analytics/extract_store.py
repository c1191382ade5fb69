"""Writing the analytical extract into DuckDB: full loads, keyed upserts, derived flags.

``write_tables`` replaces tables wholesale; ``upsert`` replaces the rows whose key is in the
batch (an incremental run sends only what changed); ``derive_flags`` then recomputes the
``is_neglect`` flags so that a changed referral re-flags the plans that belong to it.
"""

# ruff: noqa: S608 - table and column names come from schema.TABLES, never from input.

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pyarrow as pa

from cumulus.analytics.schema import TABLES, arrow_schema


class ExtractSchemaError(ValueError):
    """A batch for the extract does not have its table's columns and types."""


def conform(name: str, table: pa.Table) -> pa.Table:
    """``table`` cast to ``name``'s schema, columns in order; a missing column is an error."""
    schema = arrow_schema(name)
    missing = [f.name for f in schema if f.name not in table.column_names]
    if missing:
        raise ExtractSchemaError(f"{name}: missing column {missing[0]!r}")
    return pa.table([table.column(f.name).cast(f.type) for f in schema], schema=schema)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every extract table that does not exist yet (empty)."""
    for name in TABLES:
        empty = arrow_schema(name).empty_table()  # noqa: F841 - read by DuckDB below
        con.execute(f"create table if not exists {name} as select * from empty")


def write_tables(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> None:
    """Replace each named table with ``tables[name]``; create any others empty."""
    con.execute("begin")
    for name, table in tables.items():
        batch = conform(name, table)  # noqa: F841
        con.execute(f"create or replace table {name} as select * from batch")
    ensure_tables(con)
    con.execute("commit")


def upsert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, keys: Sequence[str]) -> int:
    """Replace the rows of ``name`` whose ``keys`` appear in ``table``; returns rows written."""
    batch = conform(name, table)  # noqa: F841
    match = " and ".join(f"t.{k} = b.{k}" for k in keys)
    con.execute(f"delete from {name} t where exists (select 1 from batch b where {match})")
    con.execute(f"insert into {name} select * from batch")
    return table.num_rows


def delete_where_in(
    con: duckdb.DuckDBPyConnection, name: str, column: str, values: pa.Array
) -> None:
    """Delete the rows of ``name`` whose ``column`` is one of ``values``."""
    doomed = pa.table({"v": values})  # noqa: F841
    con.execute(f"delete from {name} where {column} in (select v from doomed)")


# Parent-level assessment factors that make a household risk factor (CIN census codes).
FACTOR_OF_CODE = {
    "3B": "domestic_abuse",
    "4B": "parental_mental_health",
    "1B": "substance_misuse",
    "2B": "substance_misuse",
    "5B": "parental_learning_disability",
}


def derive_flags(
    con: duckdb.DuckDBPyConnection, *, household_factors_from_assessments: bool = False
) -> None:
    """Recompute the derived ``is_neglect`` flags (and, optionally, household risk factors).

    An early help assessment is about neglect when it records factor 16A or a neglect concern
    (contact or referral) came in the 90 days before it started. A plan is about neglect when
    it is a CP plan with category NEG, belongs to a neglect referral, or (an early help plan
    with no referral) follows a neglect early help assessment within 180 days.
    """
    con.execute("begin")
    con.execute(
        """
        update assessments a set is_neglect = true
        where not a.is_neglect and (
          exists (select 1 from assessment_factors f
                  where f.assessment_key = a.assessment_key and f.factor = '16A')
          or (a.assessment_type = 'early_help' and (
            exists (select 1 from contacts c where c.child_key = a.child_key and c.is_neglect
                    and c.received_on between a.started_on - interval 90 day and a.started_on)
            or exists (select 1 from referrals r where r.child_key = a.child_key and r.is_neglect
                    and r.referred_on between a.started_on - interval 90 day and a.started_on))))
        """
    )
    con.execute(
        """
        update plans p set is_neglect = (
          (p.plan_type = 'child_protection'
             and (p.initial_category = 'NEG' or p.latest_category = 'NEG'))
          or coalesce((select r.is_neglect from referrals r
                       where r.referral_key = p.referral_key), false)
          or (p.referral_key is null and exists (
                select 1 from assessments a where a.child_key = p.child_key and a.is_neglect
                and a.assessment_type = 'early_help'
                and a.started_on between p.started_on - interval 180 day and p.started_on)))
        """
    )
    if household_factors_from_assessments:
        cases = " ".join(f"when '{c}' then '{f}'" for c, f in FACTOR_OF_CODE.items())
        con.execute(
            f"""
            create or replace table household_factors as
            select distinct a.child_key, case f.factor {cases} end as factor
            from assessment_factors f join assessments a using (assessment_key)
            where f.factor in ({", ".join(f"'{c}'" for c in FACTOR_OF_CODE)})
            """
        )
    con.execute("commit")
