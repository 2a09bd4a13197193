"""Recall of `yearwise extract` against every labels file under a corpus folder (default ../shared/corpus).

Run by hand:  .venv/bin/python benchmarks/recall.py [CORPUS] [--missed N]
Prints found/total and recall per labels file and overall; --missed lists up to N missed labels each.
"""

from __future__ import annotations

import argparse
from pathlib import Path


from yearwise.ingest import IngestError, extract  # noqa: E402
from scoring import find_file, label_files, read_labels, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    parser.add_argument("--missed", type=int, default=0)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    found = total = 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for labels_path in label_files(folder):
            labels = read_labels(labels_path)
            facts = {}
            for name in sorted({lb["file"] for lb in labels}):
                path = find_file(folder, name)
                try:
                    facts[name] = extract(path).facts if path else []
                except IngestError as e:
                    print(f"  error: {e}")
                    facts[name] = []
            s = score(labels, facts)
            found, total = found + s.found, total + s.total
            print(f"{folder.name}/{labels_path.name}: {s.found}/{s.total} recall {s.recall:.3f}")
            for lb in s.missed[: args.missed]:
                print(f"    missed {lb['file']} {lb['year']} {lb['indicator']} {lb['value']}  {lb.get('quote', '')!r}")
    print(f"overall: {found}/{total} recall {found / total if total else 1:.3f}")


if __name__ == "__main__":
    main()
