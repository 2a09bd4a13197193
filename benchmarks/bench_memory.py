"""Memory over a long ingest: the loading process's RSS after every 1,000 of N synthetic reports.

Run by hand:  .venv/bin/python benchmarks/bench_memory.py --reports 20000 --workers 2
Prints RSS (MiB), DuckDB's own memory use, and the load time per report of each 1,000, so growth shows where it
comes from. The target: RSS after 20,000 within 50 MiB of RSS after 5,000.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from fresh import fresh  # benchmarks/ is the script's folder, first on sys.path


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def duckdb_memory(db: Path) -> str:
    """What the warehouse's DuckDB instance in this process says it holds (MiB by tag, the largest), read through
    a second connection to the same instance (same file, same configuration)."""
    import duckdb

    from yearwise.warehouse.connection import duckdb_config

    con = duckdb.connect(str(db), config=duckdb_config())
    try:
        rows = con.sql("SELECT tag, memory_usage_bytes / 2 ** 20 FROM duckdb_memory() "
                       "WHERE memory_usage_bytes > 0 ORDER BY 2 DESC").fetchall()
    finally:
        con.close()
    return f"{sum(m for _, m in rows):.1f} MiB (" + ", ".join(f"{t} {m:.1f}" for t, m in rows[:3]) + ")"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=1, help="extraction processes (the loader is this one)")
    ap.add_argument("--dir", default=None, help="work folder (default: a temp dir); reports are reused if there")
    a = ap.parse_args(argv)
    from yearwise import Warehouse
    from yearwise.synthetic import synthetic_reports

    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-bench-memory-"))
    src = work / f"reports-{a.reports}"
    t = time.perf_counter()
    paths = synthetic_reports(src, a.reports)
    print(f"{len(paths):,} synthetic reports ready in {time.perf_counter() - t:.0f}s; load average {os.getloadavg()}")
    db = fresh(work / "memory.duckdb")
    wh = Warehouse(db)
    marks: dict[int, tuple[float, float]] = {}
    last = [time.perf_counter()]
    start = rss_mib()

    def progress(done, total, row):
        if done % 1000 == 0 or done == total:
            now = time.perf_counter()
            marks[done] = (rss_mib(), now - last[0])
            last[0] = now
            print(f"{done:>7,} reports  RSS {marks[done][0]:7.1f} MiB  {marks[done][1]:6.2f} ms/report "
                  f"(last 1,000)  load {os.getloadavg()[0]:.1f}  DuckDB {duckdb_memory(db)}", flush=True)

    t = time.perf_counter()
    summary = wh.ingest(paths, workers=a.workers, progress=progress)
    dt = time.perf_counter() - t
    print(f"ingested {len(summary.rows):,} reports ({summary.facts:,} facts, {len(summary.failed)} failed) in {dt:.0f}s "
          f"= {len(paths) / dt:.0f} reports/s with {a.workers} worker(s); RSS at start {start:.1f} MiB, after the "
          f"checks {rss_mib():.1f} MiB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    if 5000 in marks and a.reports in marks:
        grow = marks[a.reports][0] - marks[5000][0]
        print(f"RSS after {a.reports:,} minus RSS after 5,000: {grow:+.1f} MiB (target: within 50)")
        # one mark moves by tens of MiB with what the last batch left allocated: the medians of five marks
        first = statistics.median(marks[k][0] for k in sorted(marks)[:5])
        last = statistics.median(marks[k][0] for k in sorted(marks)[-5:])
        print(f"median RSS of the last five marks minus the first five: {last - first:+.1f} MiB")


if __name__ == "__main__":
    main()
