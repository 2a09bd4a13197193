"""Tables: extraction of every fact, table cells included, against bare pypdfium2 text extraction of the same files,
measured in the same run; pages per second over the whole corpus; the table arithmetic over the corpus.

Run by hand:  .venv/bin/python benchmarks/bench_tables.py [--runs 3] [--corpus ../shared/corpus]
The six PDFs of 江苏省委办公厅 (2017-2019 budgets, 文件 and 表格) are the issue's yardstick (camelot: 28.5 s, 475x).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pypdfium2 as pdfium

from yearwise.ingest import extract

ROOT = Path(__file__).resolve().parents[1]


def bare(paths) -> int:
    """pypdfium2's own text extraction of every page; returns the pages read."""
    pages = 0
    for p in paths:
        pdf = pdfium.PdfDocument(str(p))
        for i in range(len(pdf)):
            pdf[i].get_textpage().get_text_range()
        pages += len(pdf)
        pdf.close()
    return pages


def ours(paths) -> int:
    """yearwise's extraction of every fact (prose and table cells); returns the facts found."""
    return sum(len(extract(p).facts) for p in paths)


def best(fn, paths, runs: int) -> tuple[float, int]:
    times, out = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        out = fn(paths)
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    six = sorted((corpus / "jiangsu-budgets" / "江苏省委办公厅").glob("*.pdf"))
    t_bare, pages = best(bare, six, args.runs)
    t_ours, facts = best(ours, six, args.runs)
    print(f"江苏省委办公厅, {len(six)} PDFs, {pages} pages: pypdfium2 text {t_bare * 1000:.0f} ms, "
          f"yearwise all facts ({facts}) {t_ours * 1000:.0f} ms = {t_ours / t_bare:.2f}x")
    every = [p for p in sorted(corpus.rglob("*.pdf")) if p.parent.name != "templates"]
    t_bare, pages = best(bare, every, 1)
    t0 = time.perf_counter()
    reports = [extract(p) for p in every]
    t_all = time.perf_counter() - t0
    cells = sum(1 for r in reports for f in r.facts if f.table)
    print(f"corpus, {len(every)} PDFs, {pages} pages: yearwise {pages / t_all:.1f} pages/s ({t_all:.2f} s, "
          f"{cells} table cells), pypdfium2 text {pages / t_bare:.1f} pages/s")
    checks = [c for r in reports for c in r.table_checks]
    for rule in sorted({c.rule for c in checks}):
        these = [c for c in checks if c.rule == rule]
        held = sum(c.ok for c in these)
        print(f"  {rule}: {held}/{len(these)} = {held / len(these):.3f} hold")
    for report, c in ((r, c) for r in reports for c in r.table_checks if not c.ok and c.rule == "table.children"):
        print(f"    {Path(report.source).name} p{c.page} {c.table} {c.row_code} {c.column}: "
              f"{c.whole} vs Σ {c.parts} ({c.difference:+})")


if __name__ == "__main__":
    main()
