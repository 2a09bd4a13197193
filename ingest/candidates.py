"""Stage: the numbers of a sentence worth naming, each with the words that may name it.

Thresholds (100万元以上) and subject codes in table rows are dropped here; a list of numbers
('各减少1267.86,2570.97万元') is a run whose members share the first one's words; a table cell's words
are its row label and column header; a number after a region marker (全区…) is about the region.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from yearwise.ingest import numbers, phrases
from yearwise.ingest.numbers import Quantity
from yearwise.ingest.sentences import Sentence
from yearwise.ingest.tables import table_label

CLAUSE_END = re.compile(r"[;；]")
THRESHOLD_AFTER = re.compile(r"\s*(?:\(含\))?\s*(?:及|或)?(?:以上|以下|以内)")
THRESHOLD_BEFORE = re.compile(r"(?:[≥≤><]=?|不低于|不高于|不少于|不超过|不足|低于|高于)\s*$")
# an integer right before a label in a table row is a subject code (201 一般公共服务支出), not a value
# a code before its row's label, also a code printed in cells of 类 款 项 ('310 21 文物和陈列品购置')
CODE_BEFORE_LABEL = re.compile(r"[\s|]*(?:\d{2}[ \t|]+){0,2}[\u4e00-\u9fff]")
LIST_GAP = re.compile(r"[\s,、和及]*")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A number of a sentence and the words before it that may name it (spans relative to the sentence)."""

    quantity: Quantity
    sentence: Sentence
    left: str  # the words that name it: the text since the previous number, or a table cell's row/column
    left_from: int  # where `left` starts in the sentence
    run: tuple[int, int] | None  # (place, size) in a list of numbers sharing one label
    region: bool  # after a region marker (全区…) with no 本部门 in its clause


def candidates(sentence: Sentence, catalog) -> Iterator[Candidate]:
    """The sentence's numbers that may be facts, in order."""
    text = sentence.text
    default_unit = sentence.unit_header if sentence.table and sentence.unit_header else None
    found = numbers.scan(text, default_unit=default_unit)
    kept = [_keep(q, text, sentence.table) for q in found]
    quantities = [q for q, k in zip(found, kept) if k]
    dropped_ends = [q.end for q, k in zip(found, kept) if not k]
    semicolons = [c.end() for c in CLAUSE_END.finditer(text)]
    clause_start = 0
    prev_end = 0
    runs = _runs(text, quantities)
    region_mark = phrases.PATTERNS["region_markers"].search(text)
    region_at = region_mark.start() if region_mark else len(text)
    run_left = (0, "")
    row_label = ""
    for i, q in enumerate(quantities):
        # a ；ends a clause: what came before no longer labels what follows
        semi = [e for e in semicolons if prev_end < e <= q.start] if semicolons else None
        if semi:
            clause_start = semi[-1]
        left_from = max(prev_end, clause_start, *(e for e in dropped_ends if e <= q.start))
        left = text[left_from : q.start]
        run = runs.get(i)
        if run and run[0] > 0:  # '各减少1267.86,2570.97万元': later members share the first one's words
            left_from, left = run_left
        elif run:
            run_left = (left_from, left)
        if sentence.table:
            cell = text.count("|", 0, q.start) if "|" in text else None
            left, row_label = table_label(left, row_label, list(sentence.header), i, len(quantities), catalog, cell)
            run = None
        clause = text[clause_start : q.start]
        region = region_at < q.start and not phrases.PATTERNS["self_markers"].search(clause)
        prev_end = q.end
        yield Candidate(q, sentence, left, left_from, run, region)


def _keep(q: Quantity, sentence: str, table: bool) -> bool:
    """Drop thresholds (单价100万元(含)以上, ≥50个) and bare integers in tables (subject codes)."""
    if THRESHOLD_AFTER.match(sentence, q.end) or THRESHOLD_BEFORE.search(sentence, max(0, q.start - 8), q.start):
        return False
    if q.kind == "count" and q.raw_value in ("一", "两", "兩"):
        return False  # 一个单位, 两个覆盖: an article or a slogan, not a count
    if q.kind != "bare" and q.raw_unit:
        return True
    if table:  # a table cell: decimals are values; an integer is a value after a row label, a code before one
        if "." in q.raw_value or "," in q.raw_value or q.raw_value == "0":
            return True
        row_start = sentence.rfind("\n", 0, q.start) + 1
        return bool(phrases.CJK.search(sentence, row_start, q.start)) and not CODE_BEFORE_LABEL.match(sentence, q.end)
    return True  # bare prose numbers survive only when a catalog label names them (see classify)


def _runs(sentence: str, quantities) -> dict[int, tuple[int, int]]:
    """Groups of numbers separated only by list separators ('4125.49,4143.91万元'): index -> (position, size)."""
    runs: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(quantities):
        j = i
        while j + 1 < len(quantities) and LIST_GAP.fullmatch(sentence, quantities[j].end, quantities[j + 1].start):
            j += 1
        if j > i:
            for k in range(i, j + 1):
                runs[k] = (k - i, j - i + 1)
        i = j + 1
    return runs
