"""Loading alone: `load_batch` on extracted reports against a bare polars -> DuckDB insert of the same rows.

Run by hand:  .venv/bin/python benchmarks/bench_load.py --reports 1000 --runs 5
Both load into a fresh warehouse (same schema, same indexes) in the same batches (`yearwise.api.INGEST_BATCH`
reports, one transaction each); the bare insert is `INSERT INTO fact SELECT * FROM frame` of the very rows our
loader wrote (read back from its warehouse as polars frames, one per batch, built before the clock starts), with
the department, report and indicator rows inserted the same way. Runs are interleaved (ours, bare, ours, ...),
so a busy spell on the shared machine hits both; medians, the median of the per-run ratios, and the load average.
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
    ap.add_argument("--reports", type=int, default=1000, help="synthetic reports (default 1000)")
    ap.add_argument("--runs", type=int, default=5, help="interleaved runs of each (default 5)")
    ap.add_argument("--dir", default=None, help="work folder (default: a temp dir); reports reused if there")
    ap.add_argument("--profile", action="store_true", help="cProfile one run of our loader (top 25 by time)")
    a = ap.parse_args(argv)
    from yearwise import ingest, warehouse
    import yearwise.api as api
    from yearwise.synthetic import synthetic_reports
    from yearwise.warehouse.load import load_batch

    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-bench-load-"))
    src = work / f"reports-{a.reports}"
    paths = synthetic_reports(src, a.reports)
    reports = [ingest.extract_document(ingest.read(p)) for p in paths]
    batches = [reports[i:i + api.INGEST_BATCH] for i in range(0, len(reports), api.INGEST_BATCH)]
    n_facts = sum(len(r.facts) for r in reports)
    print(f"{len(reports):,} synthetic reports, {n_facts:,} facts, batches of {api.INGEST_BATCH}; "
          f"{os.cpu_count()} cores (shared)")

    def ours(db: Path) -> float:
        con = warehouse.connect(fresh(db))
        t, c = time.perf_counter(), time.process_time()
        for b in batches:
            for r in load_batch(con, b):
                if isinstance(r, BaseException):
                    raise r
        dt, cpu = time.perf_counter() - t, time.process_time() - c
        con.close()
        return dt, cpu

    # the rows our loader wrote, per batch, as frames of the tables' own columns (built before any timing)
    ours(work / "ours.duckdb")
    con = warehouse.connect(work / "ours.duckdb", read_only=True)
    tables = {t: con.sql(f"SELECT * FROM {t}").pl() for t in ("department", "department_alias", "indicator")}
    rids = [[r[0] for r in con.execute(
        f"SELECT report_id FROM report WHERE sha256 IN ({', '.join('?' * len(b))}) ORDER BY report_id",
        [r.document.sha256 for r in b]).fetchall()] for b in batches]
    # every per-report table the loader writes: the report rows, their facts, the table sums the reader evaluated
    # and the restatement marks (a bare insert of fewer rows would flatter it)
    per_report = ("report", "fact", "table_sum", "restatement")
    frames = [{t: con.sql(f"SELECT * FROM {t} WHERE report_id IN ({', '.join(map(str, ids))})"
                          + (" ORDER BY fact_id" if t == "fact" else "")).pl() for t in per_report}
              for ids in rids]
    con.close()
    assert sum(len(f["fact"]) for f in frames) == n_facts, "the bare frames hold other rows than our loader wrote"
    print("rows per table: " + ", ".join(f"{t} {sum(len(f[t]) for f in frames):,}" for t in per_report))

    def bare(db: Path) -> float:
        con = warehouse.connect(fresh(db))
        t, c = time.perf_counter(), time.process_time()
        for batch in (tables, *frames):  # the dimension rows first, then each batch's, a transaction each
            con.begin()
            for name, df in batch.items():
                con.register("_t", df)
                con.execute(f"INSERT INTO {name} SELECT * FROM _t")
                con.unregister("_t")
            con.commit()
        dt, cpu = time.perf_counter() - t, time.process_time() - c
        con.close()
        return dt, cpu

    if a.profile:
        import cProfile
        import pstats

        pr = cProfile.Profile()
        pr.runcall(ours, work / "profile.duckdb")
        pstats.Stats(pr).sort_stats("tottime").print_stats(25)

    times: dict[str, list[float]] = {"ours": [], "bare": []}
    cpus: dict[str, list[float]] = {"ours": [], "bare": []}
    ratios, cpu_ratios, loads = [], [], []
    for run in range(a.runs):
        loads.append(os.getloadavg()[0])
        o, oc = ours(work / "ours-run.duckdb")
        b, bc = bare(work / "bare-run.duckdb")
        times["ours"].append(o)
        times["bare"].append(b)
        cpus["ours"].append(oc)
        cpus["bare"].append(bc)
        ratios.append(o / b)
        cpu_ratios.append(oc / bc)
        print(f"run {run + 1}: ours {o:.3f}s ({oc:.3f}s CPU)  bare {b:.3f}s ({bc:.3f}s CPU)  ratio {o / b:.2f} "
              f"(CPU {oc / bc:.2f})  load {loads[-1]:.1f}", flush=True)
    for k, ts in times.items():
        m = statistics.median(ts)
        print(f"{k:<5} median {m:.3f}s = {n_facts / m:9,.0f} facts/s, {len(reports) / m:7,.0f} reports/s; "
              f"CPU {statistics.median(cpus[k]):.3f}s")
    print(f"ours / bare: median of per-run ratios {statistics.median(ratios):.2f}x wall, "
          f"{statistics.median(cpu_ratios):.2f}x CPU (target <= 2x); "
          f"1-minute load average median {statistics.median(loads):.1f} (min {min(loads):.1f}, max {max(loads):.1f})")

if __name__ == "__main__":
    main()
