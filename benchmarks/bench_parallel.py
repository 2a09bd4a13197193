"""Parallel ingest: N synthetic reports with 1 and 2 worker processes, and on a local Dask cluster.

Run by hand:  .venv/bin/python benchmarks/bench_parallel.py --reports 2000 --runs 5
Each run ingests the same files into fresh warehouses with 1 worker, then 2 (interleaved, so a busy spell on a
shared machine hits both), and prints each time, the load average, the medians and the median of the per-run
ratios. Then it starts a Dask scheduler and two single-threaded worker processes on this machine, ingests through
it (`--cluster`), and checks that the facts view is the same as the serial ingest's (facts_digest). Last, the
per-file costs (extraction alone, loading alone) and from them a paper estimate for 1,000,000 reports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from fresh import fresh  # benchmarks/ is the script's folder, first on sys.path


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--no-cluster", action="store_true")
    a = ap.parse_args(argv)
    from yearwise import Warehouse, ingest
    from yearwise.synthetic import synthetic_reports
    from yearwise.warehouse.digest import file_digest

    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-bench-parallel-"))
    src = work / f"reports-{a.reports}"
    paths = synthetic_reports(src, a.reports)
    print(f"{len(paths):,} synthetic reports in {src}; {os.cpu_count()} cores (shared with other work)")

    times: dict[int, list[float]] = {1: [], 2: []}
    ratios, loads = [], []
    digests = {}
    for run in range(a.runs):
        row = []
        for w in (1, 2):
            loads.append(os.getloadavg()[0])
            db = fresh(work / f"w{w}.duckdb")
            t = time.perf_counter()
            s = Warehouse(db).ingest(paths, workers=w)
            dt = time.perf_counter() - t
            assert s.ok, s.failed[:1]
            times[w].append(dt)
            digests[w] = file_digest(db)
            row.append(dt)
        ratios.append(row[0] / row[1])
        print(f"run {run + 1}: 1 worker {row[0]:6.2f}s ({len(paths) / row[0]:5.0f}/s)  2 workers {row[1]:6.2f}s "
              f"({len(paths) / row[1]:5.0f}/s)  speed-up {ratios[-1]:.2f}x  load average {os.getloadavg()[0]:.1f}",
              flush=True)
    m1, m2 = statistics.median(times[1]), statistics.median(times[2])
    print(f"medians: 1 worker {m1:.2f}s = {len(paths) / m1:.0f} reports/s; 2 workers {m2:.2f}s = {len(paths) / m2:.0f} "
          f"reports/s; speed-up of medians {m1 / m2:.2f}x, median of per-run speed-ups {statistics.median(ratios):.2f}x; "
          f"1-minute load average during the runs: median {statistics.median(loads):.1f} "
          f"(min {min(loads):.1f}, max {max(loads):.1f})")
    print(f"facts digest 1 worker {digests[1]}, 2 workers {digests[2]}: {'same' if digests[1] == digests[2] else 'DIFFERENT'}")

    if not a.no_cluster:
        cluster_run(paths, work, digests[1])

    # per-file costs, for the paper estimate: extraction alone (one core) and loading alone (the one writer)
    from yearwise.api import INGEST_BATCH
    from yearwise.warehouse import connect
    from yearwise.warehouse.load import load_batch

    t = time.perf_counter()
    reports = [ingest.extract(p) for p in paths]
    t_extract = (time.perf_counter() - t) / len(paths)
    con = connect(fresh(work / "load.duckdb"))
    t = time.perf_counter()
    for i in range(0, len(reports), INGEST_BATCH):
        load_batch(con, reports[i:i + INGEST_BATCH])
    t_load = (time.perf_counter() - t) / len(paths)
    con.close()
    print(f"per file: read + extract {t_extract * 1000:.2f} ms (one core), load {t_load * 1000:.2f} ms (one writer); "
          f"load average {os.getloadavg()[0]:.1f}")


def cluster_run(paths, work: Path, serial_digest: str) -> None:
    try:
        from distributed import LocalCluster
    except ImportError:
        print("cluster: skipped (pip install 'yearwise[cluster]')")
        return
    from yearwise import Warehouse
    from yearwise.warehouse.digest import file_digest

    t = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        up = time.perf_counter() - t
        db = fresh(work / "cluster.duckdb")
        t = time.perf_counter()
        s = Warehouse(db).ingest(paths, cluster=cluster.scheduler_address)
        dt = time.perf_counter() - t
    d = file_digest(db)
    print(f"local Dask cluster (scheduler + 2 single-threaded worker processes, started in {up:.1f}s): "
          f"{dt:.2f}s = {len(paths) / dt:.0f} reports/s, {len(s.failed)} failed; facts digest {d}: "
          f"{'same as' if d == serial_digest else 'DIFFERENT from'} the serial ingest")


if __name__ == "__main__":
    main()
