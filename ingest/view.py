"""A matching view of a document: simplified characters, pinyin glosses removed, offsets kept.

Rules match the view; every span found there maps back to the document text, so quotes stay
exact substrings of what the file says (traditional characters, glosses and all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


def make_view(text: str) -> View:
    """Build the matching view of a document's text."""
    simple = simplified(text)
    if not GLOSS.search(simple):
        return View(simple, None, len(text))
    keep: list[int] = []
    parts: list[str] = []
    pos = 0
    for m in GLOSS.finditer(simple):
        parts.append(simple[pos : m.start()])
        keep.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(simple[pos:])
    keep.extend(range(pos, len(simple)))
    return View("".join(parts), tuple(keep), len(text))
