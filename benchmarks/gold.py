"""Precision against hand-written gold files: every fact a careful reader finds in a passage of a corpus file.

A gold file (tests/gold/*.jsonl) starts with a header line: the corpus file, its department, year and kind, and
the passages it covers (pairs of anchor strings, whole file when absent). Each further line is one fact: `q` an
exact substring of the read text whose last number is the fact's number (or, without a number, the words
that state it: 持平), `i` the indicator (an fnmatch pattern,
or a list of them, for descriptive codes: `staff.*退休*`), `m` measure, `y` year, `v` value, `u` unit, `s` scope.
An extracted fact inside a covered passage is right in a field when the gold fact at its number agrees; a fact
at a number no gold fact is about is wrong in every field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatchcase
from pathlib import Path

FIELDS = ("department", "year", "indicator", "measure", "value")
LAST_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?!.*\d)", re.S)


@dataclass(frozen=True, slots=True)
class GoldFact:
    quote: str
    indicator: tuple[str, ...]  # fnmatch patterns, any may match
    measure: str
    year: int
    value: Decimal
    unit: str
    scope: str
    span: tuple[int, int]  # where its number stands in the text

    def names(self, code: str) -> bool:
        return any(fnmatchcase(code, p) for p in self.indicator)


@dataclass(frozen=True, slots=True)
class Gold:
    path: Path  # the gold file
    file: str  # corpus-relative path of the report
    department: str
    year: int
    doc_kind: str
    passages: tuple[tuple[int, int], ...]
    facts: tuple[GoldFact, ...]

    def covers(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.passages)


@dataclass
class FileScore:
    """Counts for one gold file: extracted facts in its passages, and per field how many were right."""

    name: str
    extracted: int = 0
    all_right: int = 0
    right: dict = field(default_factory=lambda: {f: 0 for f in FIELDS})
    gold: int = 0
    found: int = 0  # gold facts an extracted fact gets right in every field
    wrong: list = field(default_factory=list)  # (fact, gold fact or None, fields wrong)
    missed: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.all_right / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def field_precision(self, name: str) -> float:
        return self.right[name] / self.extracted if self.extracted else 1.0


class GoldError(ValueError):
    """A gold file that does not fit its document (a quote not in the text, an anchor missing)."""


def load_gold(path: Path, text: str) -> Gold:
    """Parse a gold file against the document's read text, locating each quote after the previous one."""
    lines = [json.loads(ln) for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]
    head, rows = lines[0], lines[1:]
    passages = []
    for a, b in head.get("covers") or [[None, None]]:
        start = 0 if a is None else text.find(a)
        end = len(text) if b is None else text.find(b, max(start, 0))
        if start < 0 or end < 0:
            raise GoldError(f"{path}: passage anchor not in the text: {a if start < 0 else b!r}")
        passages.append((start, end + (0 if b is None else len(b))))
    facts, pos = [], 0
    for row in rows:
        q = row["q"]
        at = text.find(q, pos)
        if at < 0:
            at = text.find(q)
        if at < 0:
            raise GoldError(f"{path}: quote not in the text: {q!r}")
        m = LAST_NUMBER.search(q)
        number = (at + m.start(), at + m.end()) if m else (at, at + len(q))  # 持平: the words are the number
        pos = at
        pats = row["i"] if isinstance(row["i"], list) else [row["i"]]
        facts.append(GoldFact(q, tuple(pats), row.get("m", "level"), int(row.get("y", head["year"])),
                              Decimal(str(row["v"])), row.get("u", ""), row.get("s", "department"),
                              number))
    return Gold(Path(path), head["file"], head["department"], int(head["year"]), head.get("doc_kind", ""),
                tuple(passages), tuple(facts))


def number_span(fact) -> tuple[int, int]:
    """Where an extracted fact's number stands: its raw value's last place in the quote."""
    i = fact.quote.rfind(fact.raw_value) if fact.raw_value else -1
    if i < 0:
        return fact.start, fact.end
    return fact.start + i, fact.start + i + len(fact.raw_value)


def score_report(gold: Gold, report) -> FileScore:
    """Compare one extracted Report with its gold file."""
    out = FileScore(gold.path.stem, gold=len(gold.facts))
    used: set[int] = set()
    for fact in report.facts:
        span = number_span(fact)
        if not gold.covers(*span):
            continue
        out.extracted += 1
        here = [k for k, g in enumerate(gold.facts) if g.span[0] < span[1] and span[0] < g.span[1]]
        best = None
        wrong = [f for f in FIELDS if f != "department" or not _same_name(report.department, gold.department)]
        for k in sorted(here, key=lambda k: k in used):  # an unused gold fact first, then the best agreement
            g = gold.facts[k]
            w = [f for f, ok in _fields(g, gold, report, fact).items() if not ok]
            if best is None or len(w) < len(wrong):
                best, wrong = k, w
        for f in FIELDS:
            out.right[f] += f not in wrong
        if not wrong and best not in used:
            out.all_right += 1
            out.found += 1
            used.add(best)
        elif not wrong:
            out.all_right += 1  # the same fact twice (one number stated of two things counted once)
        else:
            out.wrong.append((fact, gold.facts[best] if best is not None else None, wrong))
    out.missed = [g for k, g in enumerate(gold.facts) if k not in used]
    return out


def _fields(g: GoldFact, gold: Gold, report, fact) -> dict[str, bool]:
    return {
        "department": _same_name(report.department, gold.department),
        "year": fact.year == g.year,
        "indicator": g.names(fact.indicator),
        "measure": fact.measure == g.measure,
        "value": fact.value == g.value and (not g.unit or fact.unit == g.unit),
    }


def _same_name(a: str | None, b: str) -> bool:
    return bool(a) and re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
