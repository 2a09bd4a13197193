"""The report site's build time and size: the demo warehouse and all of ../shared/corpus (ingested fresh).

Run by hand:  .venv/bin/python benchmarks/bench_report.py [--corpus ../shared/corpus] [--out /tmp/yearwise-sites]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from yearwise import Warehouse  # noqa: E402
from yearwise.demo import build_demo  # noqa: E402


def size(folder: Path, pattern: str = "*") -> float:
    """Megabytes of the files under `folder` matching `pattern`."""
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file()) / 1e6


def describe(name: str, s) -> None:
    print(f"{name}: {s.departments} department pages, {s.documents} review pages, {s.page_images} page images, "
          f"{s.facts} facts; {s.seconds:.1f} s; {s.bytes / 1e6:.1f} MB "
          f"(page images {size(s.out, '*.png'):.1f} MB, HTML {size(s.out, '*.html'):.1f} MB, "
          f"assets {size(s.out / 'assets'):.1f} MB)")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="yearwise-sites-")))
    args = ap.parse_args(argv)

    demo = build_demo(args.out / "demo.duckdb", workdir=args.out / "demo-work")
    describe("demo", demo.report(args.out / "demo-site"))

    if args.corpus.is_dir():
        wh = Warehouse(args.out / "corpus.duckdb")
        t0 = time.perf_counter()
        summary = wh.ingest([args.corpus])
        print(f"corpus ingest: {len(summary.rows)} files, {len(summary.failed)} failed, {summary.facts} facts "
              f"in {time.perf_counter() - t0:.1f} s")
        describe("corpus", wh.report(args.out / "corpus-site"))
    print(f"sites in {args.out}")


if __name__ == "__main__":
    main()
