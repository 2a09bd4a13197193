"""A self-audit of precision: draw facts at random (fixed seed) from corpus reports that no gold file covers, judge
each against its source by reading it, and score the judgements per field.

    .venv/bin/python benchmarks/audit.py draw --seed 8 --n 100 --out tests/gold/audit/draw-8.jsonl
    (read each fact's context in the file, fill `verdict` {field: true/false} and `why`)
    .venv/bin/python benchmarks/audit.py score tests/gold/audit/draw-8.jsonl
    .venv/bin/python benchmarks/audit.py changed tests/gold/audit/draw-8.jsonl   # judged facts today's rules name
                                                                              # otherwise or no longer emit
`score` scores the stored verdicts only: a fact the rules now name otherwise needs judging again (`changed`); its
row then carries the name it has now and the new verdict, its first judgement kept in `drawn` (`score --drawn`
scores those: the draw's held-out figure), and a fact no longer emitted says so (`now`) and is no longer scored.
Facts are named as an ingest of the whole corpus names them (`as_loaded`: extraction, then the 款/项 codes a
narrative takes from its companion files' tables at load).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = ("department", "year", "indicator", "measure", "value", "unit")


def unseen_reports(corpus: Path = CORPUS) -> list[Path]:
    """Corpus reports no gold file covers (the audit's population), in name order."""
    gold = {json.loads(p.read_text(encoding="utf-8").splitlines()[0])["file"] for p in (ROOT / "tests" / "gold").glob("*.jsonl")}
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix.lower() in (".pdf", ".txt", ".html", ".docx")]
    return [p for p in files if str(p.relative_to(corpus)) not in gold and "templates" not in p.parts]


_AS_LOADED: dict[str, object] = {}


def as_loaded(path: Path):
    """The report of a corpus file with its facts named as an ingest of the whole corpus names them: extraction,
    then the 款/项 codes its companion files' tables print (warehouse.companions does this at load)."""
    from yearwise.ingest import IngestError, extract
    from yearwise.ingest.subject_paths import name_by_companion_tables
    from yearwise.warehouse.companions import printed_names
    from yearwise.warehouse.departments import canonical_department

    if not _AS_LOADED:
        for p in [p for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.suffix.lower() in (".pdf", ".txt", ".html", ".docx")]:
            try:
                _AS_LOADED[str(p)] = extract(p)
            except IngestError:
                _AS_LOADED[str(p)] = None
        printed = printed_names(r for r in _AS_LOADED.values() if r is not None)
        for key, report in list(_AS_LOADED.items()):
            if report is not None and report.department and report.year:
                names = printed.get((canonical_department(report.department), report.year), {})
                _AS_LOADED[key] = replace(report, facts=name_by_companion_tables(report.facts, names))
    report = _AS_LOADED.get(str(path))
    if report is None:
        raise IngestError(str(path), "not extracted")
    return report


def draw(seed: int, n: int, out: Path) -> None:
    from yearwise.ingest import IngestError

    population = []
    for path in unseen_reports():
        try:
            report = as_loaded(path)
        except IngestError:
            continue
        text = report.document.text
        for f in report.facts:
            population.append({
                "file": str(path.relative_to(CORPUS)), "department": report.department, "year": f.year,
                "indicator": f.indicator, "measure": f.measure, "value": str(f.value), "unit": f.unit,
                "quote": f.quote, "start": f.start, "rule": f.rule, "table": f.table, "row_label": f.row_label,
                "column": f.column,
                "context": text[max(0, f.start - 120) : f.end + 40],
            })
    sample = random.Random(seed).sample(population, min(n, len(population)))
    with out.open("w", encoding="utf-8") as fh:
        for row in sample:
            fh.write(json.dumps({**row, "verdict": {}, "why": ""}, ensure_ascii=False) + "\n")
    print(f"{len(sample)} of {len(population)} facts from {len(unseen_reports())} reports -> {out}")


def score(path: Path, drawn: bool = False) -> dict:
    """Per-field shares of the stored verdicts. A fact judged again after a rule change keeps its first judgement in
    `drawn` ({indicator, verdict, why}); `drawn=True` scores those first judgements (the draw's held-out figure)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if drawn:
        rows = [{**r, **r["drawn"]} if r.get("drawn") else r for r in rows]
    judged = [r for r in rows if r.get("verdict")]
    out = {f: sum(bool(r["verdict"].get(f, True)) for r in judged) / max(1, len(judged)) for f in FIELDS}
    out["all"] = sum(all(r["verdict"].get(f, True) for f in FIELDS) for r in judged) / max(1, len(judged))
    out["judged"] = len(judged)
    return out


def changed(path: Path) -> list[dict]:
    """The judged facts that today's rules name, measure or value otherwise (at the same quote), or no longer emit."""
    from yearwise.ingest import IngestError

    reports: dict[str, list] = {}
    out = []
    for row in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()):
        if row["file"] not in reports:
            try:
                reports[row["file"]] = as_loaded(CORPUS / row["file"]).facts
            except IngestError:
                reports[row["file"]] = []
        now = [f for f in reports[row["file"]] if f.start <= row["start"] < f.end or row["start"] <= f.start < row["start"] + len(row["quote"])]
        now = [f for f in now if str(f.value) == row["value"] or f.raw_value in row["quote"]]
        if row.get("now") == "not emitted" and not now:
            continue  # judged again already: no longer emitted
        if not any((f.indicator, f.measure, str(f.value)) == (row["indicator"], row["measure"], row["value"]) for f in now):
            out.append({"judged": all(row["verdict"].get(f, True) for f in FIELDS), "was": row["indicator"],
                        "measure": row["measure"], "value": row["value"],
                        "now": [f"{f.indicator} {f.measure} {f.value}" for f in now] or "not emitted"})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--seed", type=int, default=8)
    d.add_argument("--n", type=int, default=100)
    d.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score")
    s.add_argument("path", type=Path)
    s.add_argument("--drawn", action="store_true", help="score the first judgements (before any re-judging)")
    c = sub.add_parser("changed")
    c.add_argument("path", type=Path)
    args = ap.parse_args()
    if args.cmd == "draw":
        draw(args.seed, args.n, args.out)
    elif args.cmd == "changed":
        for row in changed(args.path):
            print(json.dumps(row, ensure_ascii=False))
    else:
        print(json.dumps(score(args.path, args.drawn), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
