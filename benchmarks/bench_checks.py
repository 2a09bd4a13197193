"""Checks: the time `run_checks` takes over a warehouse, against the same function of an earlier commit, measured in
the same run on the same warehouse (interleaved), and the checks each gives (they must agree).

Run by hand:  .venv/bin/python benchmarks/bench_checks.py [CORPUS] [--against REV] [--runs 3] [--synthetic N]
Ingests CORPUS (default ../shared/corpus) and N SYNTHETIC 示例 reports (yearwise/synthetic.py) into a fresh warehouse,
then times, for every department at once and for one department (what an ingest that touched it pays):
  ours      warehouse/checks.py of this checkout
  against   warehouse/checks.py as it was at REV (`git show REV:warehouse/checks.py`), loaded beside it
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from yearwise import Warehouse
from yearwise.warehouse import checks as ours

ROOT = Path(__file__).resolve().parents[1]


def module_at(rev: str, folder: Path):
    """warehouse/checks.py as it was at git revision `rev`, imported under another name."""
    source = subprocess.run(["git", "show", f"{rev}:warehouse/checks.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = folder / "checks_then.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("checks_then", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["checks_then"] = module
    spec.loader.exec_module(module)
    return module


def timed(module, con, ids) -> tuple[float, Counter]:
    t0 = time.perf_counter()
    results = module.run_checks(con, ids)
    return time.perf_counter() - t0, Counter(r.status for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--against", default="main", help="git revision whose run_checks to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=0, help="add this many SYNTHETIC reports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        then = module_at(args.against, Path(tmp))
        paths = [args.corpus]
        if args.synthetic:
            from yearwise.synthetic import generate_many

            generate_many(Path(tmp) / "syn", args.synthetic)
            paths.append(Path(tmp) / "syn")
        wh = Warehouse(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        summary = wh.ingest(paths)
        print(f"ingest of {len(summary.rows)} files: {time.perf_counter() - t0:.1f} s (checks included)")
        with wh.connect() as con:
            everyone = [i for (i,) in con.execute("SELECT department_id FROM department ORDER BY 1").fetchall()]
            biggest = con.execute("SELECT department_id, count(*) FROM fact GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
                                  ).fetchall()[0][0]
            facts = con.execute("SELECT count(*) FROM fact").fetchall()[0][0]
            print(f"{len(everyone)} departments, {facts} facts")
            for label, ids in (("all departments", None), ("the department with most facts", [biggest])):
                times = {"against": [], "ours": []}
                counts = {}
                for _ in range(args.runs):  # interleaved, so load on the machine falls on both alike
                    for name, module in (("against", then), ("ours", ours)):
                        t, c = timed(module, con, ids)
                        times[name].append(t)
                        counts[name] = c
                print(f"run_checks, {label}: {args.against} {statistics.median(times['against']):.3f} s "
                      f"(runs {', '.join(f'{t:.2f}' for t in times['against'])}) vs this checkout "
                      f"{statistics.median(times['ours']):.3f} s (runs {', '.join(f'{t:.2f}' for t in times['ours'])})"
                      f" = {statistics.median(times['against']) / statistics.median(times['ours']):.2f}x")
                print(f"  checks by status: {args.against} {dict(counts['against'])}; this checkout {dict(counts['ours'])}")


if __name__ == "__main__":
    main()
