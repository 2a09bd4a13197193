"""Precision and recall of extraction against the hand-written gold files in tests/gold/, per file and per field.

    .venv/bin/python benchmarks/precision.py              # the table
    .venv/bin/python benchmarks/precision.py --wrong 20   # also list wrong and missed facts
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "tests" / "gold"


def score_all(gold_dir: Path = GOLD, corpus: Path = CORPUS):
    """A FileScore per gold file, in name order."""
    from yearwise.ingest import extract
    from gold import load_gold, score_report

    out = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        import json

        head = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        report = extract(corpus / head["file"])
        out.append(score_report(load_gold(path, report.document.text), report))
    return out


def totals(scores):
    from gold import FIELDS

    ext = sum(s.extracted for s in scores)
    return {"extracted": ext, "gold": sum(s.gold for s in scores),
            "precision": sum(s.all_right for s in scores) / ext if ext else 1.0,
            "recall": sum(s.found for s in scores) / max(1, sum(s.gold for s in scores)),
            **{f: sum(s.right[f] for s in scores) / ext if ext else 1.0 for f in FIELDS}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wrong", type=int, default=0, help="list up to N wrong and N missed facts per file")
    args = ap.parse_args()
    from gold import FIELDS

    scores = score_all()
    print(f"{'gold file':34} {'facts':>5} {'gold':>5} {'prec':>6} {'recall':>6} " + " ".join(f"{f[:5]:>6}" for f in FIELDS))
    for s in scores:
        print(f"{s.name:34} {s.extracted:5} {s.gold:5} {s.precision:6.3f} {s.recall:6.3f} "
              + " ".join(f"{s.field_precision(f):6.3f}" for f in FIELDS))
        for fact, g, wrong in s.wrong[: args.wrong]:
            want = f"{g.indicator[0]} {g.measure} {g.year} {g.value}" if g else "no fact here"
            print(f"    wrong {','.join(wrong)}: {fact.indicator} {fact.measure} {fact.year} {fact.value} "
                  f"« {' '.join(fact.quote.split())[-40:]} » want {want}")
        for g in s.missed[: args.wrong]:
            print(f"    missed: {g.indicator[0]} {g.measure} {g.year} {g.value} « {' '.join(g.quote.split())[-40:]} »")
    t = totals(scores)
    print(f"{'overall':34} {t['extracted']:5} {t['gold']:5} {t['precision']:6.3f} {t['recall']:6.3f} "
          + " ".join(f"{t[f]:6.3f}" for f in FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
