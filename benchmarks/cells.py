"""Recall and precision of table cells against the gold cells read by eye (tests/gold/tables/*.jsonl).

Run by hand:  .venv/bin/python benchmarks/cells.py [--corpus ../shared/corpus] [--missed N]

A gold cell is found when a fact of its file has the same year, 科目编码 (row_code; none for a total row),
column key and value (within 0.005): the key the tool is scored on. `strict` also asks for the same page and
table. Precision: of the facts whose (file, year, table, row_code, row label for a row without code, column)
names a gold cell, the share with the gold value.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold" / "tables").glob("*.jsonl"))
TOL = Decimal("0.005")


def read_gold(paths=GOLD) -> list[dict]:
    return [json.loads(line) for p in paths for line in p.open(encoding="utf-8") if line.strip()]


def _label(s) -> str:
    import re

    return re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*|[\s(（][^)）]*[)）]|\s", "", s or "")


def score_file(gold: list[dict], facts, year: int | None) -> dict:
    """found / strict / precision figures of one file's gold cells against its facts."""
    cells = [f for f in facts if f.table]
    found, strict, missed = 0, 0, []
    for g in gold:
        want = Decimal(str(g["value"]))
        gy = g.get("year", year)
        same = [f for f in cells if f.year == gy and (f.row_code or None) == g["row_code"] and f.column == g["column"]
                and abs(f.value - want) <= TOL]
        if same:
            found += 1
            if any(f.page == g["page"] and f.table == g["table"] for f in same):
                strict += 1
        else:
            missed.append(g)
    rows = defaultdict(set)
    for g in gold:
        key = (g.get("year", year), g["table"], g["row_code"], "" if g["row_code"] else _label(g["row_label"]), g["column"])
        rows[key].add(Decimal(str(g["value"])))
    named = right = 0
    for f in cells:
        key = (f.year, f.table, f.row_code or None, "" if f.row_code else _label(f.row_label), f.column)
        if key in rows:
            named += 1
            right += any(abs(f.value - v) <= TOL for v in rows[key])
    return {"total": len(gold), "found": found, "strict": strict, "named": named, "right": right, "missed": missed}


def main() -> None:
    from yearwise.ingest import extract

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--missed", type=int, default=0)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    gold = read_gold()
    by_file = defaultdict(list)
    for g in gold:
        by_file[g["file"]].append(g)
    tot = defaultdict(int)
    for name, gs in sorted(by_file.items()):
        path = next(corpus.rglob(name), None)
        if path is None:
            print(f"{name}: not in {corpus}", file=sys.stderr)
            continue
        report = extract(path)
        s = score_file(gs, report.facts, report.year)
        for k in ("total", "found", "strict", "named", "right"):
            tot[k] += s[k]
        print(f"{name}: recall {s['found']}/{s['total']} = {s['found'] / s['total']:.3f} (strict {s['strict']}), "
              f"precision {s['right']}/{s['named']}")
        for g in s["missed"][: args.missed]:
            print(f"    missed p{g['page']} {g['table']} {g['row_code'] or g['row_label']!r} {g['column']} {g['value']}")
    print(f"overall: recall {tot['found']}/{tot['total']} = {tot['found'] / tot['total']:.3f} (strict {tot['strict']}), "
          f"precision {tot['right']}/{tot['named']} = {tot['right'] / max(tot['named'], 1):.3f}")


if __name__ == "__main__":
    main()
