"""Reading results off a DuckDB connection: drained rows, and polars frames without importing pyarrow.

Kept apart from schema.py so that opening and querying a warehouse never imports SQLAlchemy (~150 ms).
"""

from __future__ import annotations


# DuckDB 2 keeps a result open after fetchone() (or an execute() never fetched) and then refuses
# register()/sql() on that connection until it is drained; these helpers always drain.

def first_row(con, sql: str, params=None):
    """The first row of `sql` (or None), with the result fully consumed."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def settle(con) -> None:
    """Drain a result a caller left open on `con`, so register()/sql() work again."""
    con.execute("SELECT 1").fetchall()


def frame(rel):
    """A DuckDB relation's rows as a polars DataFrame, through the Arrow C stream interface: the same frame
    as `rel.pl()`, which imports pyarrow (~0.3 s of a cold start) to make it."""
    import polars as pl

    return pl.DataFrame(rel)
