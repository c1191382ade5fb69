"""Run indicator definitions over a backend: periods, breakdowns, population denominators.

Each indicator's ``build`` returns one row per (period, counted thing) with the columns
``period_end``, ``child_key``, ``agency``, ``ref_on`` (the date ages are taken on), ``num`` and
``den`` (integers summed over a group) and ``value`` (for medians). This module joins the
child's characteristics, groups by every supported breakdown in one ``union`` per indicator,
and divides in Python so that DuckDB and Spark cannot differ in rounding::

    results = compute(ibis.duckdb.connect("extract.duckdb"), month_ends(dt.date(2026, 10, 31), 36))
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from cumulus.analytics.schema import TABLES, unbound
from cumulus.core.working_days import working_days_between_arrays

Period = Literal["month", "rolling_12_months", "snapshot"]
Unit = Literal["count", "per_10000", "percentage", "median_days", "median_working_days", "ratio"]
Good = Literal["up", "down", "context"]

BREAKDOWNS: dict[str, str] = {
    "agency": "Agency",
    "age_band": "Age band",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
    "locality": "Locality",
    "deprivation_decile": "Deprivation decile (IMD, 1 most deprived)",
}
CHILD_BREAKDOWNS = tuple(b for b in BREAKDOWNS if b != "agency")
ALL = "all"


PERIODS_TABLE = "cumulus_periods"
CALENDAR_TABLE = "cumulus_calendar"
PERIODS_SCHEMA = ibis.schema({"period_end": "date", "month_start": "date", "year_start": "date"})
CALENDAR_SCHEMA = ibis.schema({"day": "date", "working_day": "int64"})


SUMMARY_PREFIX = "cumulus_s_"
# Shared summaries, in dependency order: name -> Ibis build over ``Tables``. Registered with
# ``@summary`` (here and in the catalogue); see ``Tables``.
SUMMARIES: dict[str, Callable[[Tables], ir.Table]] = {}


def summary(name: str) -> Callable[[Callable[[Tables], ir.Table]], Callable[[Tables], ir.Table]]:
    """Register a summary many indicators read (``t.<name>``), built once per run.

    It is an Ibis expression like any indicator's, so it runs unchanged on every backend: on
    DuckDB it is materialised as a temporary table before the indicators run; elsewhere it is
    inlined into each expression that reads it.
    """

    def register(build: Callable[[Tables], ir.Table]) -> Callable[[Tables], ir.Table]:
        if name in SUMMARIES:
            raise ValueError(f"summary {name!r} defined twice")
        SUMMARIES[name] = build
        return build

    return register


class Tables:
    """The unbound extract tables by attribute (``t.plans``), ``periods``, ``calendar`` and
    every shared summary (``t.child_dims``).

    With ``periods=None`` the periods, calendar and summaries are unbound tables too
    (``cumulus_periods``, ``cumulus_calendar``, ``cumulus_s_<name>``), registered or
    materialised on the connection when run: the compiled SQL then does not depend on the
    period ends and can be cached. Otherwise each summary is its expression, inlined.
    """

    def __init__(self, periods: ir.Table | None) -> None:
        if periods is None:
            self.periods = ibis.table(PERIODS_SCHEMA, name=PERIODS_TABLE)
            self.calendar = ibis.table(CALENDAR_SCHEMA, name=CALENDAR_TABLE)
        else:
            self.periods = periods
            self.calendar = calendar()
        for name in TABLES:
            setattr(self, name, unbound(name))
        for name, build in SUMMARIES.items():
            expr = build(self)  # sees the summaries registered before it
            if periods is None:
                expr = ibis.table(expr.schema(), name=SUMMARY_PREFIX + name)
            setattr(self, name, expr)

    def __getattr__(self, name: str) -> ir.Table:  # for mypy: tables are set in __init__
        raise AttributeError(name)


def month_ends(last: dt.date, months: int) -> list[dt.date]:
    """The last day of each of ``months`` months ending with ``last``'s month, oldest first."""
    ends = []
    year, month = last.year, last.month
    for _ in range(months):
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(following - dt.timedelta(days=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def periods_arrow(ends: Sequence[dt.date]) -> pa.Table:
    """Each period end with its month's first day and the first day of its 12-month window."""
    # The 12-month window ending on a month end starts on the 1st of the following month a
    # year before: 1 April for a year ending 31 March.
    rows = {
        "period_end": list(ends),
        "month_start": [e.replace(day=1) for e in ends],
        "year_start": [dt.date(e.year - (e.month != 12), e.month % 12 + 1, 1) for e in ends],
    }
    return pa.table(rows, schema=PERIODS_SCHEMA.to_pyarrow())


def periods_table(ends: Sequence[dt.date]) -> ir.Table:
    """``periods_arrow`` as an Ibis memtable."""
    return ibis.memtable(periods_arrow(ends), schema=PERIODS_SCHEMA)


@lru_cache(maxsize=1)
def _calendar_arrow() -> pa.Table:
    days = np.arange(
        np.datetime64("2000-01-01"), np.datetime64("2040-01-01"), dtype="datetime64[D]"
    )
    base = np.full(days.shape, np.datetime64("1999-12-31"), dtype="datetime64[D]")
    return pa.table(
        {"day": pa.array(days, pa.date32()), "working_day": working_days_between_arrays(base, days)}
    )


def calendar() -> ir.Table:
    """Every day 2000-2039 with its working-day number (England and Wales bank holidays)."""
    return ibis.memtable(_calendar_arrow())


def md(d: ir.DateValue) -> ir.IntegerValue:
    """A date as ``(year * 12 + month) * 100 + day``: adding n months is adding ``100 * n``.

    Integer arithmetic compiles identically on every backend, unlike date intervals.
    """
    return (d.year() * 12 + d.month()) * 100 + d.day()


def ymd(d: ir.DateValue) -> ir.IntegerValue:
    """A date as ``yyyymmdd``: whole years between two are ``(b - a) // 10000``."""
    return d.year() * 10000 + d.month() * 100 + d.day()


def age_on(birth: ir.DateValue, on: ir.DateValue) -> ir.IntegerValue:
    """Whole years of age on ``on``."""
    return ((ymd(on) - ymd(birth)) / 10000).floor().cast("int64")


def _age_band(age: ir.IntegerValue, unborn: ir.BooleanValue) -> ir.StringValue:
    return ibis.cases(
        (unborn, "unborn"),
        (age < 1, "under 1"),
        (age < 5, "1-4"),
        (age < 10, "5-9"),
        (age < 16, "10-15"),
        (age < 18, "16-17"),
        else_="18 and over",
    )


def _ethnic_group(code: ir.StringValue) -> ir.StringValue:
    first = code.substr(0, 1)
    return ibis.cases(
        (code.isnull() | code.isin(["REFU", "NOBT"]), "not known"),
        (code == "CHNE", "Asian"),
        (first == "W", "White"),
        (first == "M", "Mixed"),
        (first == "A", "Asian"),
        (first == "B", "Black"),
        else_="Other",
    )


@dataclass(frozen=True)
class Indicator:
    """One indicator, defined once: what it means, how it is counted, who asks for it."""

    id: str
    title: str
    definition: str
    numerator: str
    denominator: str
    period: Period
    unit: Unit
    good: Good
    build: Any  # Callable[[Tables], ir.Table]
    seeds: tuple[str, ...]
    breakdowns: tuple[str, ...] = tuple(BREAKDOWNS)
    count: Literal["records", "children"] = "records"
    caveat: str = ""
    sources: tuple[str, ...] = ()
    national: str = ""  # the national figure, where DfE publishes one
    extra: str = ""  # an indicator-specific breakdown read from the build's ``extra`` column


@summary("child_dims")
def child_dims(t: Tables) -> ir.Table:
    """Each child's fixed breakdown groups, worked out once rather than per counted row."""
    c = t.children
    return c.select(
        "child_key",
        "birth_on",
        "resident_from",
        "resident_to",
        sex=c.sex.fill_null("not known"),
        ethnicity=_ethnic_group(c.ethnicity),
        disability=ibis.cases(
            (c.disability.isnull(), "not known"),
            (c.disability == "NONE", "no disability"),
            else_="disabled",
        ),
        locality=c.locality.fill_null("not known"),
        deprivation_decile=c.imd_decile.cast("string").fill_null("not known"),
    )


def _with_dims(base: ir.Table, dims: ir.Table, period: Period) -> ir.Table:
    """``base`` with its child's groups (``child_dims``) and age band on ``ref_on``."""
    c = dims
    j = base.left_join(c, base.child_key == c.child_key)
    born = j.birth_on.notnull() & (j.birth_on <= j.ref_on)
    # Two steps, so the age expression is computed once and referred to by name.
    j = j.mutate(_age=ibis.ifelse(born, age_on(j.birth_on, j.ref_on), -1), _born=born)
    j = j.mutate(
        age_band=ibis.ifelse(
            j.child_key.isnull(), "not known", _age_band(j._age, ~j._born & j.child_key.notnull())
        ),
        # A row whose child is not in the extract has no groups: "not known", as for a child
        # whose group is not recorded.
        sex=j.sex.fill_null("not known"),
        ethnicity=j.ethnicity.fill_null("not known"),
        disability=j.disability.fill_null("not known"),
        locality=j.locality.fill_null("not known"),
        deprivation_decile=j.deprivation_decile.fill_null("not known"),
        agency=j.agency.fill_null("not recorded"),
    )
    if period == "snapshot":
        # At a date: children under 18 (or unborn) who live in the area that day.
        resident = (j.resident_from.isnull() | (j.resident_from <= j.period_end)) & (
            j.resident_to.isnull() | (j.resident_to >= j.period_end)
        )
        j = j.filter(j.child_key.isnull() | ((j._age < 18) & resident))
    return j


def indicator_base(ind: Indicator, t: Tables) -> ir.Table:
    """The rows ``ind`` counts, each with its child's breakdown groups (before grouping)."""
    columns = ["period_end", "child_key", "agency", "ref_on", "num", "den", "value"]
    built = ind.build(t)
    base = built.select(*columns, extra=built.extra if ind.extra else ibis.null("string"))
    return _with_dims(base, t.child_dims, ind.period)


def indicator_aggregate(
    ind: Indicator, j: ir.Table, breakdowns: Iterable[str] | None = None
) -> ir.Table:
    """Group ``indicator_base`` rows ``j`` by period and every breakdown, in one union."""
    wanted = [
        b for b in (breakdowns if breakdowns is not None else ind.breakdowns) if b in ind.breakdowns
    ]
    parts = []
    if ind.extra:
        wanted.append("extra")
    for b in [ALL, *wanted]:
        group = ibis.literal("all") if b == ALL else j[b].fill_null("not recorded")
        name = ind.extra if b == "extra" else b
        g = j.mutate(breakdown=ibis.literal(name), group=group.cast("string"))
        if ind.count == "children":
            # Distinct children in two steps (one row per child and group, then a sum): the
            # same counts as ``nunique(where=...)``, without a distinct aggregate per group.
            known = g.child_key.notnull()
            each = g.group_by(["period_end", "breakdown", "group", "child_key"]).aggregate(
                n=(known & (g.num > 0)).any(), d=(known & (g.den > 0)).any()
            )
            agg = each.group_by(["period_end", "breakdown", "group"]).aggregate(
                numerator=each.n.cast("int64").sum().cast("int64"),
                denominator=each.d.cast("int64").sum().cast("int64"),
                median=ibis.null("float64"),
            )
        else:
            # A median (a holistic aggregate, costly) only where the unit is one.
            agg = g.group_by(["period_end", "breakdown", "group"]).aggregate(
                numerator=g.num.sum().cast("int64"),
                denominator=g.den.sum().cast("int64"),
                median=g.value.median().cast("float64")
                if ind.unit.startswith("median")
                else ibis.null("float64"),
            )
        parts.append(agg)
    return ibis.union(*parts, distinct=False).mutate(indicator=ibis.literal(ind.id))


def indicator_expr(ind: Indicator, t: Tables, breakdowns: Iterable[str] | None = None) -> ir.Table:
    """One expression giving every (period, breakdown, group) row of ``ind``."""
    return indicator_aggregate(ind, indicator_base(ind, t), breakdowns)


def population_expr(t: Tables, breakdowns: Iterable[str]) -> ir.Table:
    """Children aged 0-17 living in the area at each period end, by breakdown group.

    Each breakdown is counted from the children grouped first by birth date, residence and
    that breakdown's group: age on a date depends only on the birth date, so the join to the
    periods covers some thousands of groups per breakdown rather than every child.
    """
    p, c = t.periods, t.child_dims
    parts = []
    for b in [ALL, *[b for b in breakdowns if b != "agency"]]:
        by_group = b not in (ALL, "age_band")
        keys = {
            "birth_on": c.birth_on,
            "resident_from": c.resident_from,
            "resident_to": c.resident_to,
        }
        if by_group:
            keys["group"] = c[b].cast("string")
        g = c.group_by(**keys).aggregate(n=c.count())
        j = p.cross_join(g)
        j = j.filter(
            j.birth_on.notnull()
            & (j.birth_on <= j.period_end)
            & (j.resident_from.isnull() | (j.resident_from <= j.period_end))
            & (j.resident_to.isnull() | (j.resident_to >= j.period_end))
        )
        j = j.mutate(_age=age_on(j.birth_on, j.period_end))
        j = j.filter(j._age < 18)
        if b == "age_band":
            j = j.mutate(group=_age_band(j._age, ibis.literal(False)))
        elif b == ALL:
            j = j.mutate(group=ibis.literal("all"))
        parts.append(
            j.group_by(["period_end", "group"])
            .aggregate(population=j.n.sum().cast("int64"))
            .select("period_end", breakdown=ibis.literal(b), group="group", population="population")
        )
    return ibis.union(*parts, distinct=False)


RESULT_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("period_end", pa.date32()),
        ("breakdown", pa.string()),
        ("group", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
    ]
)


def _value(
    unit: Unit, numerator: int, denominator: int | None, median: float | None
) -> float | None:
    if unit == "count":
        return float(numerator)
    if unit in ("median_days", "median_working_days"):
        return (
            None
            if median is None or (isinstance(median, float) and np.isnan(median))
            else float(median)
        )
    if not denominator:
        return None
    scale = {"per_10000": 10000.0, "percentage": 100.0, "ratio": 1.0}[unit]
    return round(scale * numerator / denominator, 6)


class CompiledSQL:
    """Each indicator's compiled SQL, kept in memory and (optionally) in a directory.

    Compiling the catalogue's expressions (Ibis's graph rewriting) costs far more than running
    them on DuckDB; the expressions change only when the code does, so the key is a hash of the
    catalogue and engine sources, the Ibis version, the dialect, the indicator and the
    breakdowns. Cached SQL refers to the period ends only through ``cumulus_periods``.
    """

    memory: dict[str, str] = {}  # shared by every cache in the process: keys say everything

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.compiled = 0  # how many expressions this cache had to compile

    def get(self, key: tuple[str, ...], build: Callable[[], ir.Expr], con: Any) -> str:
        digest = hashlib.sha256("\x1f".join((_code_version(), *key)).encode()).hexdigest()
        if digest in self.memory:
            return self.memory[digest]
        path = self.directory / f"{digest}.sql" if self.directory is not None else None
        if path is not None and path.exists():
            sql = path.read_text()
        else:
            sql = str(con.compile(build()))
            self.compiled += 1
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                tmp.write_text(sql)
                tmp.replace(path)  # atomic: a reader never sees half a file
        self.memory[digest] = sql
        return sql


SQL_CACHE = CompiledSQL()


@lru_cache(maxsize=1)
def _code_version() -> str:
    here = Path(__file__).parent
    sources = b"".join((here / name).read_bytes() for name in ("catalogue.py", "engine.py"))
    return hashlib.sha256(sources + ibis.__version__.encode()).hexdigest()


_RAW_TYPES = {
    "numerator": pa.int64(),
    "denominator": pa.int64(),
    "median": pa.float64(),
    "population": pa.int64(),
}


def _run_duckdb(con: Any, sql: str) -> list[dict[str, Any]]:
    """Run cached SQL; cast as Ibis would (DuckDB sums integers to HUGEINT/DECIMAL)."""
    table = con.con.sql(sql).to_arrow_table()
    for i, name in enumerate(table.column_names):
        if name in _RAW_TYPES:
            table = table.set_column(i, name, table.column(i).cast(_RAW_TYPES[name]))
    result: list[dict[str, Any]] = table.to_pylist()
    return result


BASE_TABLE = "cumulus_base"


def _aggregate_with(ind: Indicator, wanted: list[str], base: ir.Table) -> ir.Table:
    return indicator_aggregate(ind, base, wanted)


def _run_staged(
    con: Any,
    cache: CompiledSQL,
    key: tuple[str, ...],
    base: Callable[[], ir.Table],
    aggregate: Callable[[ir.Table], ir.Table],
) -> list[dict[str, Any]]:
    """Materialise the base rows once, then group them by every breakdown.

    Without this DuckDB recomputes the base (joins over attendance or the population) once
    per breakdown in the union. The aggregation is compiled against an unbound table with the
    base's schema, so both statements are cached.
    """

    def aggregated() -> ir.Expr:
        return aggregate(ibis.table(base().schema(), name=BASE_TABLE))

    base_sql = cache.get((*key, "base"), base, con)
    con.con.execute(f"create or replace temp table {BASE_TABLE} as {base_sql}")
    try:
        return _run_duckdb(con, cache.get((*key, "aggregate"), aggregated, con))
    finally:
        con.con.execute(f"drop table if exists {BASE_TABLE}")


def _materialise_summaries(con: Any, cache: CompiledSQL, u: Tables) -> None:
    """Each shared summary into a temporary table, in order (later ones read earlier ones)."""
    for name, build in SUMMARIES.items():
        sql = cache.get(("summary", name, "duckdb"), functools.partial(build, u), con)
        con.con.execute(f"create or replace temp table {SUMMARY_PREFIX}{name} as {sql}")


def compute(
    con: Any,
    ends: Sequence[dt.date],
    indicators: Iterable[Indicator] | None = None,
    breakdowns: Iterable[str] | None = None,
    *,
    single_query: bool = False,
    cache: CompiledSQL | None = None,
) -> pa.Table:
    """Every indicator for every period end and breakdown group, as one Arrow table.

    ``con`` is any Ibis backend holding the extract's tables by name (DuckDB, PySpark). On
    DuckDB the compiled SQL of each indicator is cached (``cache``, default in memory for the
    process) and run with the period ends registered as ``cumulus_periods``; on other
    backends the expressions are compiled and run by Ibis each time.
    """
    from cumulus.analytics.catalogue import CATALOGUE

    inds = list(indicators) if indicators is not None else list(CATALOGUE.values())
    wanted = list(breakdowns) if breakdowns is not None else list(BREAKDOWNS)
    needs_population = any(i.unit == "per_10000" for i in inds)
    population: dict[tuple[Any, str, str], int] = {}
    pop: list[dict[str, Any]] = []
    out: list[dict[str, Any]]
    if getattr(con, "name", "") == "duckdb":
        sql = cache or SQL_CACHE
        con.con.register(PERIODS_TABLE, periods_arrow(ends))
        con.con.register(CALENDAR_TABLE, _calendar_arrow())
        u = Tables(None)
        dims = ("duckdb", ",".join(wanted))
        out = []
        try:
            _materialise_summaries(con, sql, u)
            if needs_population:
                pop = _run_duckdb(
                    con,
                    sql.get(("population", *dims), lambda: population_expr(u, wanted), con),
                )
            for ind in inds:
                out.extend(
                    _run_staged(
                        con,
                        sql,
                        (ind.id, *dims),
                        functools.partial(indicator_base, ind, u),
                        functools.partial(_aggregate_with, ind, wanted),
                    )
                )
        finally:
            for name in SUMMARIES:
                con.con.execute(f"drop table if exists {SUMMARY_PREFIX}{name}")
    else:
        t = Tables(periods_table(ends))
        if needs_population:
            pop = con.to_pyarrow(population_expr(t, wanted)).to_pylist()
        exprs = [indicator_expr(ind, t, wanted) for ind in inds]
        if single_query:
            # One job for the whole catalogue: on Spark, per-query overhead dominates small data.
            out = con.to_pyarrow(ibis.union(*exprs, distinct=False)).to_pylist()
        else:
            out = [r for e in exprs for r in con.to_pyarrow(e).to_pylist()]
    population = {(r["period_end"], r["breakdown"], r["group"]): r["population"] for r in pop}
    by_id = {ind.id: ind for ind in inds}
    rows: list[dict[str, Any]] = []
    for r in out:
        ind = by_id[r["indicator"]]
        den = r["denominator"]
        if ind.unit == "per_10000":
            key_group = (
                ("all", "all") if r["breakdown"] == "agency" else (r["breakdown"], r["group"])
            )
            den = population.get((r["period_end"], *key_group), 0)
        if ind.unit == "count" or ind.unit.startswith("median"):
            den = None
        rows.append(
            {
                "indicator": ind.id,
                "period_end": r["period_end"],
                "breakdown": r["breakdown"],
                "group": r["group"],
                "numerator": int(r["numerator"] or 0),
                "denominator": den,
                "value": _value(ind.unit, int(r["numerator"] or 0), den, r["median"]),
            }
        )
    rows.sort(key=lambda r: (r["indicator"], r["period_end"], r["breakdown"], r["group"]))
    return pa.Table.from_pylist(rows, schema=RESULT_SCHEMA)


# ---- helpers the catalogue's definitions are written with ------------------------------------


def flow(t: Tables, table: ir.Table, on: str, period: Period) -> ir.Table:
    """Rows of ``table`` whose date ``on`` falls in each period (month or 12 months)."""
    p = t.periods
    start = p.month_start if period == "month" else p.year_start
    j = table.inner_join(p, (table[on] >= start) & (table[on] <= p.period_end))
    return j.mutate(ref_on=j[on])


def open_at(t: Tables, table: ir.Table, start: str, end: str) -> ir.Table:
    """Rows of ``table`` open at each period end: started by then, not ended by then."""
    p = t.periods
    j = table.inner_join(
        p, (table[start] <= p.period_end) & (table[end].isnull() | (table[end] > p.period_end))
    )
    return j.mutate(ref_on=j.period_end)


def working_days(t: Tables, table: ir.Table, start: str, end: str, name: str) -> ir.Table:
    """``table`` with column ``name``: working days after ``start`` up to ``end`` (DfE count)."""
    a = t.calendar.select(_s_day="day", _s_wd="working_day")
    b = t.calendar.select(_e_day="day", _e_wd="working_day")
    j = table.left_join(a, table[start] == a._s_day).left_join(b, table[end] == b._e_day)
    return j.mutate(**{name: (j._e_wd - j._s_wd)}).drop("_s_day", "_s_wd", "_e_day", "_e_wd")


def shape(
    j: ir.Table,
    *,
    num: Any,
    den: Any = 1,
    agency: Any = None,
    child_key: Any = None,
    value: Any = None,
    extra: Any = None,
) -> ir.Table:
    """Select the engine's columns from a joined table (``num``/``den`` as 0/1 or counts)."""

    def as_int(x: Any) -> Any:
        if isinstance(x, (int, bool)):
            return ibis.literal(int(x), "int64")
        return x.cast("int64")

    return j.select(
        period_end=j.period_end,
        child_key=j.child_key if child_key is None else child_key,
        agency=ibis.null("string") if agency is None else agency,
        ref_on=j.ref_on,
        num=as_int(num),
        den=as_int(den),
        value=ibis.null("float64") if value is None else value.cast("float64"),
        extra=ibis.null("string") if extra is None else extra,
    )
