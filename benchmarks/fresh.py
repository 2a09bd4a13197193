"""A warehouse file for one timed run: the benchmarks start each run from nothing."""

from __future__ import annotations

from pathlib import Path


def fresh(db: Path) -> Path:
    """`db` with the file and its write-ahead log removed, so connecting creates an empty warehouse."""
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    return db
