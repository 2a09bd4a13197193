"""Ingest throughput: N synthetic TXT reports end to end into a fresh warehouse, and extraction and loading alone.

Run by hand:  .venv/bin/python benchmarks/bench_ingest.py --reports 1000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fresh import fresh  # benchmarks/ is the script's folder, first on sys.path

REPO = Path(__file__).resolve().parents[1]

from yearwise import ingest  # noqa: E402
import yearwise.api as api  # noqa: E402
from yearwise import Warehouse  # noqa: E402
from yearwise.synthetic import generate_many  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000, help="synthetic reports to generate (default 1000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each step; the median is shown (default 3)")
    ap.add_argument("--dir", default=None, help="work folder (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-bench-ingest-"))
    src = work / "reports"
    db = work / "bench-ingest.duckdb"

    t = time.perf_counter()
    paths = generate_many(src, a.reports, seed=a.seed)
    mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"generated {len(paths):,} reports, {mb:.1f} MB, in {time.perf_counter() - t:.1f}s")

    def line(label: str, seconds: list[float], facts: int, note: str = "") -> None:
        dt = statistics.median(seconds)
        print(f"{label:<14}{len(paths) / dt:8,.1f} reports/s, {mb / dt:5.2f} MB/s, {facts / dt:8,.0f} facts/s "
              f"({facts:,} facts, {dt:.2f}s, median of {len(seconds)}{note})")

    # extraction alone, on one core: the text is read first, then only extract_document is timed
    docs = [ingest.read(p) for p in paths]
    times = []
    for _ in range(a.runs):
        t = time.perf_counter()
        reports = [ingest.extract_document(d) for d in docs]
        times.append(time.perf_counter() - t)
    n_facts = sum(len(r.facts) for r in reports)
    line("extract only", times, n_facts, "; one core")

    # loading alone: the reports already extracted, in batches as Warehouse.ingest loads them
    from yearwise import warehouse
    from yearwise.warehouse.load import load_batch

    times = []
    for _ in range(a.runs):
        con = warehouse.connect(fresh(work / "bench-ingest-load.duckdb"))
        t = time.perf_counter()
        results = [r for i in range(0, len(reports), api.INGEST_BATCH)
                   for r in load_batch(con, reports[i:i + api.INGEST_BATCH])]
        times.append(time.perf_counter() - t)
        con.close()
    bad = [r for r in results if isinstance(r, BaseException)]
    line("load only", times, sum(r.facts for r in results if not isinstance(r, BaseException)),
         f"; batches of {api.INGEST_BATCH}" + (f"; {len(bad)} failed: {bad[0]}" if bad else ""))

    # end to end: read + extract + load through the public API, into a fresh warehouse each run
    times = []
    for _ in range(a.runs):
        wh = Warehouse(fresh(db))
        t = time.perf_counter()
        summary = wh.ingest(paths)
        times.append(time.perf_counter() - t)
    line("end to end", times, summary.facts, f"; Warehouse.ingest, batches of {api.INGEST_BATCH}")
    if summary.failed:
        f = summary.failed[0]
        print(f"  {len(summary.failed)} files failed; first: {f.file}: {f.error}")
        if len(summary.failed) == len(paths):
            direct(paths, work / "bench-ingest-direct.duckdb", mb)
    n = wh.sql("SELECT count(*) AS n FROM facts")["n"][0]
    print(f"facts view rows: {n:,}; warehouse file {db.stat().st_size / 1e6:.1f} MB ({work})")


def direct(paths, db: Path, mb: float) -> None:
    """End to end without the Warehouse API: ingest.read + extract_document + warehouse.load_report per file."""
    from yearwise import warehouse

    con = warehouse.connect(fresh(db))
    t = time.perf_counter()
    loaded = sum(warehouse.load_report(con, ingest.extract_document(ingest.read(p))).facts for p in paths)
    dt = time.perf_counter() - t
    con.close()
    print(f"end to end (read + extract_document + load_report): {len(paths) / dt:,.1f} reports/s, "
          f"{mb / dt:.2f} MB/s, {loaded / dt:,.0f} facts/s loaded ({loaded:,} facts, {dt:.1f}s)")


if __name__ == "__main__":
    main()
