"""Conflicts over the real corpus: the share of catalog-coded (department, year, indicator, measure) groups
that current facts give two or more values, and facts in `facts` without a department.

    .venv/bin/python benchmarks/conflicts.py            # --show 20 lists the largest conflicts
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--show", type=int, default=0, help="print this many catalog-coded conflicts")
    args = ap.parse_args()
    from yearwise import Warehouse
    from yearwise.ingest.catalog import load_catalog

    codes = sorted(i.code for i in load_catalog())
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(Path(tmp) / "corpus.duckdb")
        summary = wh.ingest([args.corpus])
        key = "department, year, indicator, measure, period, scope, entity_level"
        groups = wh.sql(f"SELECT {key}, count(DISTINCT value) AS n FROM facts "
                        f"WHERE indicator IN (SELECT unnest($codes::VARCHAR[])) GROUP BY ALL",
                        params={"codes": codes})
        total, conflicting = groups.height, groups.filter(groups["n"] > 1).height
        all_groups = wh.sql(f"SELECT count(*) FROM (SELECT {key} FROM facts GROUP BY ALL)").item()
        all_conflicts = wh.sql("SELECT count(*) FROM conflicts").item()
        null_dept = wh.sql("SELECT count(*) FROM facts WHERE department IS NULL").item()
        unidentified = wh.sql("SELECT count(*) FROM unidentified_facts").item()
        print(f"files: {len(summary.rows)} ({len(summary.failed)} refused), facts: {summary.facts}")
        print(f"catalog-coded groups with >= 2 values: {conflicting}/{total} = {conflicting / max(total, 1):.3f}")
        print(f"all groups with >= 2 values (the conflicts view): {all_conflicts}/{all_groups} = "
              f"{all_conflicts / max(all_groups, 1):.3f}")
        print(f"facts in `facts` with a NULL department: {null_dept}; facts of unidentified reports: {unidentified}")
        if args.show:
            rows = wh.sql("SELECT department, year, indicator, measure, n_values, quotes FROM conflicts "
                          "WHERE indicator IN (SELECT unnest($codes::VARCHAR[])) ORDER BY n_values DESC, indicator "
                          f"LIMIT {int(args.show)}", params={"codes": codes})
            for r in rows.iter_rows(named=True):
                print(f"- {r['department']} {r['year']} {r['indicator']} {r['measure']}:")
                for q in r["quotes"]:
                    print("    " + " ".join(q.split())[:150])
    return 0


if __name__ == "__main__":
    sys.exit(main())
