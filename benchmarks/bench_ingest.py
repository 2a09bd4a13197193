"""Ingest throughput: N synthetic TXT reports end to end into a fresh warehouse, and extraction alone.

Run by hand:  .venv/bin/python benchmarks/bench_ingest.py --reports 1000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import ingest  # noqa: E402
from yearwise import Warehouse  # noqa: E402
from yearwise.synthetic import generate_many  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000, help="synthetic reports to generate (default 1000)")
    ap.add_argument("--dir", default=None, help="work folder (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-bench-ingest-"))
    src = work / "reports"
    db = work / "bench-ingest.duckdb"
    for p in (db, work / "bench-ingest.duckdb.wal"):
        if p.exists():
            p.unlink()

    t = time.perf_counter()
    paths = generate_many(src, a.reports, seed=a.seed)
    mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"generated {len(paths):,} reports, {mb:.1f} MB, in {time.perf_counter() - t:.1f}s")

    # extraction alone, on one core: the text is read first, then only extract_document is timed
    docs = [ingest.read(p) for p in paths]
    t = time.perf_counter()
    n_facts = sum(len(ingest.extract_document(d).facts) for d in docs)
    dt = time.perf_counter() - t
    print(f"extract only: {len(docs) / dt:,.1f} reports/s, {mb / dt:.2f} MB/s, {n_facts / dt:,.0f} facts/s "
          f"({n_facts:,} facts, {dt:.1f}s, one core)")

    # end to end: read + extract + load, one transaction per file, through the public API
    wh = Warehouse(db)
    t = time.perf_counter()
    summary = wh.ingest(paths)
    dt = time.perf_counter() - t
    loaded = summary.facts
    print(f"end to end:   {len(paths) / dt:,.1f} reports/s, {mb / dt:.2f} MB/s, {loaded / dt:,.0f} facts/s loaded "
          f"({loaded:,} facts, {dt:.1f}s)")
    if summary.failed:
        f = summary.failed[0]
        print(f"  {len(summary.failed)} files failed; first: {f.file}: {f.error}")
        if len(summary.failed) == len(paths):
            direct(paths, work / "bench-ingest-direct.duckdb", mb)
    n = wh.sql("SELECT count(*) AS n FROM facts")["n"][0]
    print(f"facts view rows: {n:,}; warehouse file {db.stat().st_size / 1e6:.1f} MB ({work})")


def direct(paths, db: Path, mb: float) -> None:
    """End to end without the Warehouse API: ingest.read + extract_document + warehouse.load_report per file."""
    import warehouse

    if db.exists():
        db.unlink()
    con = warehouse.connect(db)
    t = time.perf_counter()
    loaded = sum(warehouse.load_report(con, ingest.extract_document(ingest.read(p))).facts for p in paths)
    dt = time.perf_counter() - t
    con.close()
    print(f"end to end (read + extract_document + load_report): {len(paths) / dt:,.1f} reports/s, "
          f"{mb / dt:.2f} MB/s, {loaded / dt:,.0f} facts/s loaded ({loaded:,} facts, {dt:.1f}s)")


if __name__ == "__main__":
    main()
