"""Flat memory over a long run: DuckDB keeps every table block it has read cached until its memory limit (by
default 80% of RAM), so a loader that looks up what it already holds grows with the warehouse. The loader drops
that cache whenever it passes CACHE_MIB; the blocks are read again, from the file, when next needed."""

from __future__ import annotations

import duckdb

# the cached table blocks a loading connection may hold before they are dropped (DuckDB's tag BASE_TABLE)
CACHE_MIB = 32


def cached_mib(con) -> tuple[float, float]:
    """(MiB of cached table blocks, MiB of everything else) the connection's DuckDB instance holds."""
    rows = con.execute("SELECT tag = 'BASE_TABLE', sum(memory_usage_bytes) / 2 ** 20 FROM duckdb_memory() "
                       "GROUP BY ALL").fetchall()
    held = {bool(table): float(mib or 0) for table, mib in rows}
    return held.get(True, 0.0), held.get(False, 0.0)


def trim_cache(con, keep_mib: float | None = None) -> bool:
    """Drop the instance's cached table blocks if they pass `keep_mib` (default CACHE_MIB); True when it did. Lowering the memory
    limit below what is held makes DuckDB evict what it can (cached blocks, not indexes or open transactions'
    data); the limit is then set back to what it was."""
    table, other = cached_mib(con)
    if table <= (CACHE_MIB if keep_mib is None else keep_mib):
        return False
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchall()[0]
    try:
        con.execute(f"SET memory_limit = '{int(other) + 1}MiB'")
    except duckdb.OutOfMemoryException:
        pass  # what is not evictable stays; the evictable blocks are gone all the same
    finally:
        con.execute("SET memory_limit = ?", [limit])
    return True
