"""Indicators from one definition, embedded (DuckDB) or distributed (Spark). No Django here.

extract (pseudonymised analytical tables, ``schema.TABLES``) -> indicators written with Ibis
over unbound tables (``catalogue``) -> results (numerator, denominator, value per period and
breakdown group) -> small-number suppression (``suppression``) before anything is published::

    con = ibis.duckdb.connect("var/analytics.duckdb")
    results = compute(con, periods=month_ends(dt.date(2026, 10, 31), 36))
"""
