"""Section tree of a report from its heading lines, so each fact can say where it was found.

Levels: 第X部分/第X章 (1), 一、 (2), (一) (3), 1./1、 (4), (1) (5); a heading closes all deeper ones.
Works on normalised text (full-width brackets and dots already folded).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from yearwise.ingest.numerals import BRACKETED, DIGITS, LISTED, ORDINAL, PART, PLACES

_CN = ORDINAL
_LEVELS = (
    (1, re.compile(PART)),
    (2, re.compile(LISTED)),
    (3, re.compile(BRACKETED)),
    (4, re.compile(r"\d{1,2}(?:[.．、](?![\d.．])|[.．]\s)")),
    (5, re.compile(r"[(（]\d{1,2}[)）]")),
)
# every line starting with a heading marker, one regex pass over the whole text
_CANDIDATE = re.compile(
    rf"^[ \t\u3000]*(?:{PART}|{LISTED}|[(（][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}[.．、]).*$", re.M)
# flattened table rows that open with a list marker: '一、一般公共预算财政拨款收入 2,940.05 一、一般公共服务支出'
# (a spaced amount followed by its unit, '年初预算为 1560.05 万元', is prose, not a cell)
_AMOUNT_CELL = re.compile(r"(?:^|\s)-?[\d,]+\.\d+(?=\s|$)(?!\s*(?:万|亿|元|%))")
_ORDINAL = re.compile(rf"[{_CN}]+|\d+")
_SECOND_MARKER = re.compile(rf"\s{LISTED}")
_TITLE_MAX = 40
_SHORT = 14
_PROSE = re.compile(r"[。,，;；:：]")
_PROSE_LINE = re.compile(r"[。;；:：]|[\u4e00-\u9fff][,，]|[,，][\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading line: where it starts in the text, its level (1-5), its title and its full ' > ' path."""

    start: int
    level: int
    title: str
    path: str


def heading_level(line: str) -> int | None:
    """The heading level of a line (1-5), or None when it is body text or a flattened table row."""
    s = line.strip()
    for level, rx in _LEVELS:
        if rx.match(s):
            break
    else:
        return None
    if _AMOUNT_CELL.search(s) or _SECOND_MARKER.search(s):
        return None
    return level


def ordinal(line: str) -> int | None:
    """The number a heading marker carries: '十二、' -> 12, '(3)' -> 3, '第二部分' -> 2."""
    m = _ORDINAL.search(line)
    if m is None:
        return None
    word = m.group()
    if word.isdigit():
        return int(word)
    total, digit = 0, 0
    for ch in word:
        if ch in PLACES:
            total += (digit or 1) * PLACES[ch]
            digit = 0
        elif ch in DIGITS:
            digit = DIGITS[ch]
        else:
            return None
    return total + digit


def _prose_follows(text: str, end: int) -> bool:
    """The line after `end` is running text (a sentence), as under a real heading and never under a table row."""
    nl = text.find("\n", end + 1)
    return _PROSE_LINE.search(text, end + 1, nl if nl >= 0 else len(text)) is not None


def heading_title(line: str) -> str:
    """The line stripped, cut at the first '。' and at 40 characters."""
    s = line.strip()
    cut = s.find("。")
    if cut >= 0:
        s = s[:cut]
    return s[:_TITLE_MAX].rstrip()


class Outline:
    """Headings of one text in order; `section_at(offset)` is a bisect over their start offsets."""

    __slots__ = ("headings", "_starts", "_paths")

    def __init__(self, headings: list[Heading]):
        self.headings = headings
        self._starts = [h.start for h in headings]
        self._paths = [h.path for h in headings]

    @classmethod
    def from_text(cls, text: str) -> Outline:
        """Find heading lines and give each the path of the headings above it (deeper levels reset).

        A candidate must restart at 1 or continue its level's numbering, under its parent or across parents
        (some reports number 1.-4. under (一) and 5.-8. under (二)); one number may be missing (glued into the
        line above) when the heading reads like a sentence. Any other jump is a table row such as '十、节能环保支出'
        in a flattened 决算表 and is skipped, unless running text follows it (sections moved out of order).
        """
        headings: list[Heading] = []
        stack: list[tuple[int, str]] = []  # (level, title) of open headings, shallowest first
        sibling: dict[int, int] = {}  # level -> ordinal of the last heading at that level under the open parent
        anywhere: dict[int, int] = {}  # level -> ordinal of the last heading at that level anywhere
        for m in _CANDIDATE.finditer(text):
            line = m.group()
            level = heading_level(line)
            if level is None:
                continue
            n = ordinal(line)
            if level > 1 and n is not None and n != 1 and headings:
                # skipping a number is believable for a sentence-like heading, not for a short table cell
                step = 2 if len(line.strip()) > _SHORT or _PROSE.search(line) else 1
                last = sibling.get(level, 0)
                follows = 0 < n - last <= step if last else False
                if not (follows or 0 < n - anywhere.get(level, 0) <= step or _prose_follows(text, m.end())):
                    continue
            title = heading_title(line)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            if n is not None:
                sibling[level] = anywhere[level] = n
            for deeper in [k for k in sibling if k > level]:
                del sibling[deeper]
            start = m.start() + (len(line) - len(line.lstrip()))
            headings.append(Heading(start, level, title, " > ".join(t for _, t in stack)))
        return cls(headings)

    def section_at(self, offset: int) -> str:
        """The ' > '-joined headings enclosing `offset` ('' before the first heading)."""
        i = bisect_right(self._starts, offset) - 1
        return self._paths[i] if i >= 0 else ""

    def __len__(self) -> int:
        return len(self.headings)
