"""Recall of extracted facts against a folder's labels.jsonl: same file, year, measure and value.

Labels name their measure by suffix (`_yoy_change`, `_yoy_rate`/`.yoy_growth_rate`, `_share`,
anything else a level); money is in 万元 and rates in percent numbers, as facts are.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

TOLERANCE = Decimal("0.006")


def label_measure(indicator: str) -> str:
    """The measure a label's indicator suffix names."""
    if indicator.endswith(("_yoy_change", ".yoy_change")):
        return "change"
    if indicator.endswith(("_yoy_rate", ".yoy_growth_rate", ".yoy_rate")):
        return "change_rate"
    if indicator.endswith(("_share", ".share")):
        return "share"
    return "level"


@dataclass
class Score:
    """Found / total, with the labels that were missed."""

    found: int = 0
    total: int = 0
    missed: list[dict] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0


def read_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(labels: list[dict], facts_by_file: dict[str, list]) -> Score:
    """Match each label to a fact of the same file name, year, measure and value (±0.006)."""
    index: dict[tuple, list[Decimal]] = defaultdict(list)
    for name, facts in facts_by_file.items():
        for f in facts:
            index[(name, f.year, f.measure)].append(f.value)
    result = Score()
    for label in labels:
        result.total += 1
        want = Decimal(str(label["value"]))
        values = index.get((label["file"], label["year"], label_measure(label["indicator"])), [])
        if any(abs(v - want) <= TOLERANCE for v in values):
            result.found += 1
        else:
            result.missed.append(label)
    return result


def label_files(folder: Path) -> list[Path]:
    """Every *labels.jsonl in a corpus folder."""
    return sorted(folder.glob("*labels.jsonl"))


def find_file(folder: Path, name: str) -> Path | None:
    """A labelled file by name, anywhere under its folder (the Jiangsu files sit in department folders)."""
    direct = folder / name
    if direct.exists():
        return direct
    return next(iter(folder.rglob(name)), None)


SLIP_TOLERANCE = Decimal("0.011")  # gold slips are written to two decimals; checks keep six


def found_slips(gold: list[dict], checks: list[dict]) -> tuple[list[dict], list[dict]]:
    """(found, missed) gold slips: a slip is found by a failed or doubtful check of the same department and year
    whose `stated` or `expected` value is the slip's stated or expected value (within SLIP_TOLERANCE)."""
    flagged = defaultdict(list)
    for c in checks:
        if c["status"] in ("fail", "doubtful"):
            flagged[(c["department"], c["year"])] += [Decimal(str(v)) for v in (c["stated"], c["expected"])
                                                      if v is not None]
    found, missed = [], []
    for slip in gold:
        values = flagged.get((slip["department"], slip["year"]), [])
        wanted = [Decimal(str(slip[k])) for k in ("stated", "expected")]
        hit = any(abs(v - w) <= SLIP_TOLERANCE for v in values for w in wanted)
        (found if hit else missed).append(slip)
    return found, missed
