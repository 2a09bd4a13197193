"""A matching view of a document: simplified characters, pinyin glosses removed, offsets kept.

Rules match the view; every span found there maps back to the document text, so quotes stay
exact substrings of what the file says (traditional characters, glosses and all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from yearwise.ingest.numerals import BRACKETED, LISTED, PART

# a pinyin gloss a site inserted after a character: 預(yù)算, 學(xué)
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü\u00e0-\u024f\u0300-\u036f]{1,8}\)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@dataclass(frozen=True, slots=True)
class View:
    """`text` to match on; `offsets[i]` is the document offset of view character i (None: identity)."""

    text: str
    offsets: tuple[int, ...] | None
    source_length: int

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span back to the document text."""
        if self.offsets is None:
            return start, end
        s = self.offsets[start] if start < len(self.offsets) else self.source_length
        e = self.offsets[end - 1] + 1 if end > 0 else 0
        return s, e


def simplified(text: str) -> str:
    """Traditional -> simplified, character for character (length preserved)."""
    converter = _t2s()
    out = converter.convert(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in text)


# a line that ends a sentence, a table cell or a heading is not wrapped
LINE_END_OK = re.compile(r"[。；;：:！？!?|」』”)]\s*$")
PROSE_MARK = re.compile(r"[,，。、;；:：]")  # a wrapped line is prose; a table header has none of these
HEADING_START = re.compile(rf"\s*(?:{PART}|{LISTED}|{BRACKETED}|\d+[.、．]\D|\(\d+\))")


def wrapped_breaks(text: str) -> list[tuple[int, int]]:
    """Line breaks a hard wrap put inside a sentence (text saved from a PDF), as (start, end) spans to drop.

    A line is wrapped when it is as long as the document's wrap width (its long lines' common length)
    and does not end a sentence; the next line must not open a heading.
    """
    lines = text.split("\n")
    lengths = sorted(len(ln.rstrip()) for ln in lines if len(ln.strip()) >= 8)
    if len(lengths) < 5:
        return []
    width = lengths[int(len(lengths) * 0.9) - 1]
    if width < 16 or width > 120:
        return []
    breaks, pos = [], 0
    for line, nxt in zip(lines, lines[1:]):
        end = pos + len(line)
        body = line.rstrip()
        if (len(body) >= 0.85 * width and not LINE_END_OK.search(body) and nxt.strip() and PROSE_MARK.search(body)
                and not HEADING_START.match(nxt) and "|" not in body and "|" not in nxt):
            breaks.append((pos + len(body), end + 1))
        pos = end + 1
    return breaks


def make_view(text: str, *, unwrap: bool = False) -> View:
    """Build the matching view of a document's text; `unwrap` joins hard-wrapped lines (plain text files)."""
    simple = simplified(text)
    drops = sorted([(m.start(), m.end()) for m in GLOSS.finditer(simple)] + (wrapped_breaks(simple) if unwrap else []))
    if not drops:
        return View(simple, None, len(text))
    keep: list[int] = []
    parts: list[str] = []
    pos = 0
    for start, end in drops:
        if start < pos:
            continue
        parts.append(simple[pos:start])
        keep.extend(range(pos, start))
        pos = end
    parts.append(simple[pos:])
    keep.extend(range(pos, len(simple)))
    return View("".join(parts), tuple(keep), len(text))
