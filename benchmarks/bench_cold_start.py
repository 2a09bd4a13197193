"""Cold start: `yearwise --help` and `yearwise sql "select 1"` against `python -c "import duckdb, polars"`.

Run by hand:  .venv/bin/python benchmarks/bench_cold_start.py --runs 15
Each command runs in a fresh process, the three interleaved run after run (so a busy spell hits all alike);
medians, and what each imports of SQLAlchemy and pyarrow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def timed(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def imports(code: str) -> str:
    """Which of sqlalchemy / pyarrow a command's process imported."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    return out or "neither"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="yearwise-cold-"))
    db = work / "w.duckdb"
    subprocess.run([str(BIN / "yearwise"), "--db", str(db), "ingest", str(REPO / "data" / "sample")],
                   check=True, capture_output=True)
    cases = {
        "python -c 'import duckdb, polars'": [sys.executable, "-c", "import duckdb, polars"],
        "yearwise --help": [str(BIN / "yearwise"), "--help"],
        "yearwise sql 'select 1'": [str(BIN / "yearwise"), "--db", str(db), "sql", "select 1"],
    }
    for argv_ in cases.values():  # warm the page cache
        timed(argv_)
    times: dict[str, list[float]] = {k: [] for k in cases}
    loads = []
    for _ in range(a.runs):
        loads.append(os.getloadavg()[0])
        for k, argv_ in cases.items():
            times[k].append(timed(argv_))
    base = statistics.median(times[next(iter(cases))])
    print(f"{a.runs} runs each, interleaved; 1-minute load average during the runs: median "
          f"{statistics.median(loads):.1f} (min {min(loads):.1f}, max {max(loads):.1f}) on {os.cpu_count()} cores")
    for k, ts in times.items():
        m = statistics.median(ts)
        print(f"{k:<36} median {m * 1000:6.0f} ms  min {min(ts) * 1000:6.0f} ms  {m / base:4.2f}x the imports")
    probe = ("import sys; sys.argv = {argv!r}\n"
             "try:\n    from yearwise.cli import app; app()\nexcept SystemExit: pass\n"
             "print(' '.join(m for m in ('sqlalchemy', 'pyarrow') if m in sys.modules), file=sys.__stderr__)")
    for k, argv_ in list(cases.items())[1:]:
        code = probe.format(argv=["yearwise", *argv_[1:]])
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        print(f"{k:<36} imports: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'neither sqlalchemy nor pyarrow'}")


if __name__ == "__main__":
    main()
