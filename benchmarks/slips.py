"""How many hand-checked slips (tests/gold/slips/slips.jsonl) `yearwise check` finds over the corpus, and how many
checks it evaluates, fail and doubt.

Run by hand:  .venv/bin/python benchmarks/slips.py [CORPUS] [--db FILE]
Ingests the corpus into a fresh warehouse (or reads --db), evaluates the checks, prints the counts by status,
the slips found and missed, and the failed or doubtful checks that no gold slip explains.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from yearwise import Warehouse
from scoring import SLIP_TOLERANCE, found_slips

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    gold_file = REPO / "tests" / "gold" / "slips" / "slips.jsonl"
    gold = [json.loads(line) for line in gold_file.read_text("utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        wh = Warehouse(args.db or Path(tmp) / "slips.duckdb")
        if args.db is None:
            wh.ingest([args.corpus])
        checks = wh.check().to_dicts()
    by_status = {s: sum(1 for c in checks if c["status"] == s) for s in ("pass", "fail", "doubtful", "cannot")}
    reports = len({(c["department"], c["year"], c["doc_kind"]) for c in checks})
    print(f"checks evaluated: {len(checks)} over {reports} department-year-kinds; " +
          ", ".join(f"{k} {v}" for k, v in by_status.items()))
    found, missed = found_slips(gold, checks)
    print(f"gold slips found: {len(found)}/{len(gold)} = {len(found) / max(len(gold), 1):.2f}")
    for s in missed:
        print(f"  missed {s['department']} {s['year']} stated {s['stated']} expected {s['expected']}: {s['kind']}")
    explained = {(s["department"], s["year"], v) for s in gold for v in (s["stated"], s["expected"])}
    unexplained = [c for c in checks if c["status"] in ("fail", "doubtful") and not any(
        (c["department"], c["year"]) == (d, y) and any(v is not None and abs(float(v) - w) <= float(SLIP_TOLERANCE)
                                                      for v in (c["stated"], c["expected"]))
        for d, y, w in explained)]
    print(f"failed or doubtful checks no gold slip explains: {len(unexplained)}")
    for c in unexplained:
        print(f"  {c['status']:8} {c['check']:32} {c['department']} {c['year']} {c['indicator']} "
              f"stated {c['stated']} expected {c['expected']}")


if __name__ == "__main__":
    main()
