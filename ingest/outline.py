"""Section tree of a report from its heading lines, so each fact can say where it was found.

Levels: 第X部分/第X章 (1), 一、 (2), (一) (3), 1./1、 (4), (1) (5); a heading closes all deeper ones.
Works on normalised text (full-width brackets and dots already folded).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零〇两"
_LEVELS = (
    (1, re.compile(rf"第[{_CN}\d]+(?:部分|章)")),
    (2, re.compile(rf"[{_CN}]+、")),
    (3, re.compile(rf"[(（][{_CN}]+[)）]")),
    (4, re.compile(r"\d{1,2}(?:[.．、](?![\d.．])|[.．]\s)")),
    (5, re.compile(r"[(（]\d{1,2}[)）]")),
)
# every line starting with a heading marker, one regex pass over the whole text
_CANDIDATE = re.compile(
    rf"^[ \t\u3000]*(?:第[{_CN}\d]+(?:部分|章)|[{_CN}]+、|[(（][{_CN}\d]{{1,3}}[)）]|\d{{1,2}}[.．、]).*$", re.M)
# flattened table rows that open with a list marker: '一、一般公共预算财政拨款收入 2,940.05 一、一般公共服务支出'
_AMOUNT_CELL = re.compile(r"(?:^|\s)-?[\d,]+\.\d+(?:\s|$)")
_SECOND_MARKER = re.compile(rf"\s[{_CN}]+、")
_TITLE_MAX = 40


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
        """Find heading lines and give each the path of the headings above it (deeper levels reset)."""
        headings: list[Heading] = []
        stack: list[tuple[int, str]] = []  # (level, title) of open headings, shallowest first
        for m in _CANDIDATE.finditer(text):
            line = m.group()
            level = heading_level(line)
            if level is None:
                continue
            title = heading_title(line)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            start = m.start() + (len(line) - len(line.lstrip()))
            headings.append(Heading(start, level, title, " > ".join(t for _, t in stack)))
        return cls(headings)

    def section_at(self, offset: int) -> str:
        """The ' > '-joined headings enclosing `offset` ('' before the first heading)."""
        i = bisect_right(self._starts, offset) - 1
        return self._paths[i] if i >= 0 else ""

    def __len__(self) -> int:
        return len(self.headings)
