"""Extraction throughput on one core: TXT reports with their text already read, and PDFs read and extracted.

Run by hand:  .venv/bin/python benchmarks/bench_extract.py [--seconds 5]
Uses the bundled Beijing report; the PDFs come from ../shared/corpus when it is there.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from yearwise.ingest import extract, extract_document, read  # noqa: E402
from yearwise.ingest.outline import Outline  # noqa: E402


def rate(fn, seconds: float) -> tuple[float, int]:
    """Calls per second of fn over at least `seconds`."""
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or n < 3:
        fn()
        n += 1
    return n / elapsed, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    sample = next((ROOT / "data" / "sample").glob("*.txt"))
    doc = read(sample)
    per_s, n = rate(lambda: extract_document(doc), args.seconds)
    facts = len(extract_document(doc).facts)
    print(f"TXT (Beijing report, {len(doc.text):,} chars, {facts} facts, text already read): "
          f"{per_s:,.0f} reports/s over {n} runs")
    text = doc.text * 3  # ~23k characters
    per_s, n = rate(lambda: Outline.from_text(text), args.seconds / 5)
    outline = Outline.from_text(text)
    offsets = range(0, len(text), 7)
    lookups, _ = rate(lambda: [outline.section_at(o) for o in offsets], args.seconds / 5)
    print(f"Outline of {len(text):,} chars: built in {1000 / per_s:.2f} ms; "
          f"section_at {1e6 / (lookups * len(offsets)):.1f} µs per lookup")
    excerpts = sorted((ROOT.parent / "shared" / "corpus" / "web-excerpts").glob("*.txt"))
    if excerpts:
        docs = [read(p) for p in excerpts]
        per_s, n = rate(lambda: [extract_document(d) for d in docs], args.seconds)
        print(f"TXT (20 web excerpts, text already read): {per_s * len(docs):,.0f} reports/s")
    pdfs = sorted((ROOT.parent / "shared" / "corpus").rglob("*.pdf"))
    if pdfs:
        start = time.perf_counter()
        pages = facts = 0
        for p in pdfs:
            report = extract(p)
            pages += report.document.pages or 0
            facts += len(report.facts)
        elapsed = time.perf_counter() - start
        print(f"PDF ({len(pdfs)} files, {pages} pages, {facts} facts, read + extract): "
              f"{len(pdfs) / elapsed:,.1f} files/s, {pages / elapsed:,.0f} pages/s, {elapsed:.2f} s in all")


if __name__ == "__main__":
    main()
