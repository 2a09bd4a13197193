"""The price of keeping coverage's indicator rows in answer order: a small write into the 10M-fact warehouse.

Reuses the warehouse `bench_queries.py` keeps (run that first with the same --dir). On a copy of it, ingests one
SYNTHETIC report of a new department sorting last, then first, by name, and times each ingest (its refresh of the
derived tables included); times the refresh of one existing department, last, middle or first by name, with its
counts unchanged (what `yearwise check --department` does) and changed; checks the stored order of the two ordered
tables; and times the two queries that read them (indicator-prefix coverage, budget_trend).

    .venv/bin/python benchmarks/bench_refresh.py --dir /work/bench/q
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="the folder bench_queries.py keeps bench.duckdb in")
    ap.add_argument("--runs", type=int, default=7, help="runs of the prefix coverage; the median is shown")
    a = ap.parse_args(argv)

    import duckdb
    import polars as pl

    from yearwise import Warehouse, warehouse
    from yearwise.queries import run_query
    from yearwise.synthetic import generate_many
    from yearwise.warehouse import figures

    source = Path(a.dir) / "bench.duckdb"
    copy = Path(a.dir) / "refresh-copy.duckdb"
    con = duckdb.connect(str(source), read_only=True)
    names = [n for (n,) in con.sql("SELECT name FROM department ORDER BY name").fetchall()]
    con.close()

    with tempfile.TemporaryDirectory() as tmp:
        report = sorted(p for p in generate_many(Path(tmp) / "one", 1, seed=7) if p.suffix == ".txt")[0]
        text = report.read_text(encoding="utf-8")
        own = Warehouse(str(Path(tmp) / "probe.duckdb")).ingest([report]).rows[0].department
        # the same SYNTHETIC report under its own department (new, sorting after every 示例<n>区 name), then under
        # the first name of the warehouse (which the title reader shortens to a new name sorting before all)
        for i, name in enumerate((own, names[0])):
            path = Path(tmp) / str(i) / report.name
            path.parent.mkdir(exist_ok=True)
            path.write_text(text.replace(own, name), encoding="utf-8")
            shutil.copy(source, copy)
            t = time.perf_counter()
            row = Warehouse(str(copy)).ingest([path]).rows[0]
            took = time.perf_counter() - t
            after = sum(n > row.department for n in names)  # stored departments whose rows are written again
            print(f"ingest 1 report of a new department, {after:5,} of {len(names):,} sorting after it  "
                  f"{took:6.2f} s  ({row.facts} facts)")

        # one existing department made again, its counts unchanged (a check run) or changed (one fact fewer)
        con = warehouse.connect(str(copy))
        try:
            for where, name in (("last", names[-1]), ("middle", names[len(names) // 2]), ("first", names[0])):
                (department,) = con.execute("SELECT department_id FROM department WHERE name = ?", [name]).fetchall()[0]
                t = time.perf_counter()
                figures.refresh(con, [department])
                same = time.perf_counter() - t
                con.execute("DELETE FROM fact WHERE fact_id = (SELECT min(fact_id) FROM fact WHERE department_id = ?)",
                            [department])
                t = time.perf_counter()
                figures.refresh(con, [department])
                print(f"refresh 1 department, {where:6} by name: counts unchanged {same:5.2f} s, "
                      f"changed {time.perf_counter() - t:5.2f} s")
            for table, keys in (("indicator_year", ["department", "year", "indicator_code"]),
                                ("budget_figure", ["department", "indicator_code", "year"])):
                stored = pl.DataFrame(con.sql(f"SELECT {', '.join(keys)} FROM {table}"))
                assert stored.equals(stored.sort(keys, nulls_last=True)), f"{table} is not in answer order"
        finally:
            con.close()

    con = warehouse.connect(str(copy), read_only=True)
    try:
        for name, params in (("coverage", {"indicator": "spending."}), ("budget_trend", {})):
            times, rows = [], 0
            for _ in range(a.runs):
                t = time.perf_counter()
                rows = run_query(con, name, **params).height
                times.append((time.perf_counter() - t) * 1000)
            print(f"{name} {params or ''} ({rows:,} rows, after these writes): median {statistics.median(times):.1f} "
                  f"ms (min {min(times):.1f}, max {max(times):.1f})")
    finally:
        con.close()
        copy.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
