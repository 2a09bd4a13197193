"""Exporting a query's rows to CSV, JSON or Parquet through polars."""

from __future__ import annotations

import os
from pathlib import Path

FORMATS = ("csv", "json", "parquet")


def query_frame(con, sql: str, params=None):
    """The rows of `sql` (with bound `params`) as a polars DataFrame."""
    from yearwise.warehouse.results import frame, settle

    settle(con)  # a result left open by the caller would make sql() refuse
    rel = con.sql(sql, params=params) if params else con.sql(sql)
    if rel is None:
        raise ValueError("the statement returns no rows to export")
    return frame(rel)


def export_query(con, sql: str, params, fmt: str, out) -> int:
    """Write the rows of `sql` to `out` (a path or binary/text file object) as csv | json | parquet; rows written.

    JSON is an array of objects. DECIMAL values stay exact: decimal text in csv, strings in json, decimal in parquet.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    df = query_frame(con, sql, params)
    if isinstance(out, (str, os.PathLike)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        df.write_csv(out)
    elif fmt == "json":
        df.write_json(out)
    else:
        df.write_parquet(out)
    return df.height
