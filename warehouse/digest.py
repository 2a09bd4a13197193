"""A fingerprint of the facts view, to tell whether two warehouses hold the same facts (however they were loaded)."""

from __future__ import annotations


def facts_digest(con, view: str = "facts") -> str:
    """`rows:hash` over every row of `view` minus the surrogate report_id; independent of row order.

    Two warehouses built from the same files (serially, in worker processes, on a cluster, or through a Parquet
    export and load) give the same digest. DuckDB's hash() is stable within one DuckDB version, which is what a
    side-by-side comparison needs; it is no checksum to store.
    """
    from yearwise.warehouse.schema import settle

    settle(con)
    n, h = con.execute(
        f"SELECT count(*), coalesce(sum(hash(f)::HUGEINT), 0) FROM (SELECT * EXCLUDE (report_id) FROM {view}) f"
    ).fetchall()[0]
    return f"{n}:{h:x}"


def file_digest(path, view: str = "facts") -> str:
    """facts_digest of the warehouse file at `path`, opened read-only for it and closed again."""
    from yearwise.warehouse import connect

    con = connect(path, read_only=True)
    try:
        return facts_digest(con, view)
    finally:
        con.close()
