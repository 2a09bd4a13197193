"""Checks on worker processes: the checks of every department of a warehouse evaluated in this process (50
departments at a time, as after an ingest with one worker) and on N worker processes (warehouse.check_pool, as
after an ingest with several), interleaved on copies of the same warehouse, with the rows each writes compared.

Run by hand:  .venv/bin/python benchmarks/bench_check_pool.py --db WAREHOUSE [--workers 2] [--runs 3] [--departments N]
WAREHOUSE is copied, never written (bench_parallel.py leaves one of 2,000 synthetic reports in its --dir;
bench_queries.py one of 10 million facts). --departments checks only the first N departments (by id).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--departments", type=int, default=None, help="only the first N departments (default all)")
    ap.add_argument("--dir", default=None, help="where the copies go (default a temporary folder)")
    a = ap.parse_args(argv)
    from yearwise.api import CHECK_DEPARTMENTS
    from yearwise.warehouse import connect
    from yearwise.warehouse.check_pool import run_checks_on_workers
    from yearwise.warehouse.checks import run_checks
    from yearwise.warehouse.memory import trim_cache

    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-bench-check-pool-"))
    times: dict[str, list[float]] = {"here": [], "workers": []}
    rows = {}
    for run in range(a.runs):
        for how in times:
            copy = work / f"{how}.duckdb"
            Path(f"{copy}.wal").unlink(missing_ok=True)  # left by a run that was stopped
            shutil.copy(a.db, copy)
            con = connect(str(copy))
            try:
                ids = [i for (i,) in con.execute("SELECT department_id FROM department ORDER BY 1").fetchall()]
                ids = ids[:a.departments] if a.departments else ids
                t = time.perf_counter()
                if how == "here":
                    for n in range(0, len(ids), CHECK_DEPARTMENTS):
                        run_checks(con, ids[n:n + CHECK_DEPARTMENTS])
                        trim_cache(con)
                else:
                    run_checks_on_workers(con, ids, a.workers, most=CHECK_DEPARTMENTS, trim=trim_cache)
                times[how].append(time.perf_counter() - t)
                rows[how] = con.execute(
                    "SELECT count(*), count(DISTINCT check_id), sum(hash(c)::HUGEINT) "
                    "FROM (SELECT * EXCLUDE (evaluated_at) FROM checks) c").fetchall()[0], con.execute(
                    "SELECT count(*), sum(hash(cf)::HUGEINT) FROM check_fact cf").fetchall()[0]
            finally:
                con.close()
                copy.unlink()
        print(f"run {run + 1}: {len(ids):,} departments, in this process {times['here'][-1]:.2f}s, on {a.workers} "
              f"workers {times['workers'][-1]:.2f}s, load average {os.getloadavg()[0]:.1f}", flush=True)
    here, there = statistics.median(times["here"]), statistics.median(times["workers"])
    print(f"medians: in this process {here:.2f}s, on {a.workers} workers {there:.2f}s = {here / there:.2f}x; "
          f"{rows['here'][0][0]:,} checks, {rows['here'][1][0]:,} links; "
          f"rows and ids {'the same' if rows['here'] == rows['workers'] else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
