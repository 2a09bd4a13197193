"""PDF reader (pypdfium2): the text layer page by page, with page numbers removed and wrapped lines re-joined.

Report PDFs wrap sentences and even numbers across lines and pages (`307.82\\n万元`, `增长4\\n17.31%` where
4 is the page number); facts downstream need them whole, while table rows must stay one per line.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import pypdfium2 as pdfium

from yearwise.ingest.normalize import normalize
from yearwise.ingest.numerals import BRACKETED, LISTED, PART
from yearwise.ingest.readers.pdf_tables import page_grids
from yearwise.ingest.table import read_tables
from yearwise.ingest.readers.text import Unreadable

_FPDF_ERR_PASSWORD = 4

# a line that is only a page number: '4', '- 4 -', '— 4 —', '─ 4 ─', '第4页', '第 4 页 共 13 页', '4/13'
_DASH = r"\-－—–─―~～_·•\s"
_PAGE_NO = re.compile(
    rf"^[{_DASH}]*(?:第\s*)?(\d{{1,4}})(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{{1,4}}\s*页?|\s*[,，]?\s*共\s*\d{{1,4}}\s*页)?[{_DASH}]*$")
_DASHES_ONLY = re.compile(rf"^[{_DASH}]+$")
_MIN_LINES_FOR_WIDTH = 4
_SENTENCE_END = frozenset("。；;！？!?:：")
_HEADING = re.compile(rf"^(?:{PART}|{LISTED}|{BRACKETED}|\d{{1,2}}[.．、](?!\d)|[（(]\d{{1,2}}[)）])")
_NUM_TOKEN = re.compile(r"^[-+]?[\d,，]*[.．]?\d+%?$")
_UNIT_START = tuple("万亿元%％个人名项次辆台套家所")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a table's title or its unit line: what follows is the table, not the rest of a sentence
_TABLE_TITLE = re.compile(r"(?:预算|决算|明细|总|情况|统计)表$|单位\s*[:：]\s*(?:万元|元|亿元)$")
_PROSE_PUNCT = frozenset("，。；：、")
_GROWTH_END = ("增长", "增加", "减少", "下降")
_AMOUNT_START = re.compile(r"^\d[\d,，]*(?:[.．]\d+)?\s*(?:万元|亿元|元|%|％)")


def _width(line: str) -> int:
    """Printed width estimate when no geometry is known: CJK and full-width characters count double."""
    return len(line) + sum(1 for c in line if c >= "\u2000")


class _Line:
    """One non-empty line of a page: its text and horizontal extent (points, or estimated widths)."""

    __slots__ = ("text", "left", "right")

    def __init__(self, text: str, left: float, right: float):
        self.text, self.left, self.right = text, left, right


def _is_table_row(line: str) -> bool:
    """Several stand-alone numbers on a line (`行政运行 1,511.90 1,511.89 0.01`): a flattened table row."""
    toks = line.split()
    if len(toks) < 2 or not _PROSE_PUNCT.isdisjoint(line):
        return False
    n = 0
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if _NUM_TOKEN.match(tok) and not nxt.startswith(_UNIT_START) and not (nxt.startswith("年") and _YEAR.match(tok)):
            n += 1
            if n >= 2:
                return True
    return False


def _splits_number(prev: str, nxt: str) -> bool:
    """The break cuts a number from its rest or unit (`307.82|万元`, `24458.43万|元`, `增长|17.31%`, `支出|5619.31 万元`)."""
    a, b = prev[-1], nxt[0]
    if a.isdigit() or a in ".,":
        if b in "万亿元%％.":
            return True
        # digit|digit: only when the number is glued to text, not a table's last stand-alone cell
        if b.isdigit():
            i = len(prev) - 1
            while i >= 0 and (prev[i].isdigit() or prev[i] in ".,"):
                i -= 1
            return i >= 0 and not prev[i].isspace()
        return False
    if a in "万亿" and b == "元":
        return True
    if prev.endswith(_GROWTH_END) and b.isdigit():
        return True
    # a new paragraph does not open with an amount or a rate: '…预算支出|5619.31 万元，…', '…占|99.92%；'
    return b.isdigit() and _AMOUNT_START.match(nxt) is not None


def _ends_with_cell(line: str) -> bool:
    """The line ends in a stand-alone number ('… 分散自行组织 9.00'): a table cell, not a wrapped sentence."""
    head, _, last = line.rpartition(" ")
    return bool(head) and _NUM_TOKEN.match(last) is not None


def _centred_title_wrap(prev: _Line, nxt: _Line, frame: _Frame) -> bool:
    """A full-width centred heading whose last word wrapped onto a short centred line ('…情况' / '说明')."""
    if not frame.em or not _HEADING.match(prev.text) or prev.right < frame.min_right:
        return False
    if len(nxt.text) > 8 or not _PROSE_PUNCT.isdisjoint(nxt.text) or any(c.isdigit() for c in nxt.text):
        return False
    return abs((prev.left + prev.right) - (nxt.left + nxt.right)) / 2 <= 2 * frame.em


def _should_join(prev: _Line, nxt: _Line, pframe: _Frame, nframe: _Frame) -> bool:
    """Join a wrapped line to the next: no sentence end, not a heading next, and a long line or a split number.

    A full-width line continues only onto a line that is not indented (Chinese paragraphs open indented).
    """
    a, b = prev.text, nxt.text
    if a[-1] in _SENTENCE_END or _HEADING.match(b):
        return False
    if _is_table_row(a) or _is_table_row(b) or _TABLE_TITLE.search(a):
        return False
    if _splits_number(a, b):
        return True
    if _centred_title_wrap(prev, nxt, pframe):
        return True
    return (prev.left <= pframe.max_left and prev.right >= pframe.min_right and nxt.left <= nframe.indent
            and not _ends_with_cell(a))


def _page_lines(raw: str, boxes=None) -> list[_Line]:
    """Non-empty stripped lines of a page; `boxes(i)` gives (left, right) of char i when geometry is known."""
    out = []
    pos = 0
    for line in raw.split("\n"):
        end = pos + len(line)
        text = line.strip()
        if text:
            if boxes is not None:
                first = pos + (len(line) - len(line.lstrip()))
                last = pos + len(line.rstrip()) - 1
                left, right = boxes(first)[0], boxes(last)[1]
            else:
                left, right = 0.0, float(_width(text))
            out.append(_Line(text, left, right))
        pos = end + 1
    return out


def _drop_page_numbers(pages: list[list[_Line]]) -> None:
    """Remove page-number lines at the top or bottom of pages, in place.

    A bare number counts only when its offset from the page index agrees with at least one other page;
    a decorated one ('- 4 -', '第4页', '4/13') is always a page number.
    """
    cands = []  # (page index, line index, offset, decorated)
    for i, lines in enumerate(pages):
        if not lines:
            continue
        for j in {0, len(lines) - 1}:
            m = _PAGE_NO.match(lines[j].text)
            if m:
                cands.append((i, j, int(m.group(1)) - i, lines[j].text != m.group(1)))
    if not cands:
        return
    offsets = Counter(c[2] for c in cands)
    top, count = offsets.most_common(1)[0]
    drop: dict[int, list[int]] = {}
    for i, j, off, decorated in cands:
        if decorated or (off == top and count >= 2):
            drop.setdefault(i, []).append(j)
    for i, js in drop.items():
        for j in sorted(js, reverse=True):
            del pages[i][j]
        # leftovers of a page number split over two lines ('- 1' then '-')
        lines = pages[i]
        while lines and _DASHES_ONLY.match(lines[-1].text):
            lines.pop()
        while lines and _DASHES_ONLY.match(lines[0].text):
            lines.pop(0)


# repeated lines that still say something about the table below: its unit, its department
_KEEP_HEAD = re.compile(r"单位|部\s*门\s*[:：]|[:：]")


def _drop_running_heads(pages: list[list[_Line]]) -> None:
    """Remove a running head or foot: the same short line first or last on many pages ('XX局2024年度部门决算').

    Left in, it would sit inside any sentence that runs across a page break.
    """
    with_text = [lines for lines in pages if lines]
    if len(with_text) < 4:
        return
    seen: Counter[str] = Counter()
    for lines in with_text:
        for line in {lines[0].text.strip(), lines[-1].text.strip()}:
            seen[line] += 1
    need = max(3, int(0.4 * len(with_text)))
    heads = {t for t, n in seen.items()
             if n >= need and 6 <= len(t) <= 40 and not _is_table_row(t) and not _KEEP_HEAD.search(t)}
    if not heads:
        return
    for lines in with_text:
        while lines and lines[0].text.strip() in heads:
            lines.pop(0)
        while lines and lines[-1].text.strip() in heads:
            lines.pop()


class _Frame(NamedTuple):
    """Where a page's text lines sit: a full line starts left of max_left and reaches min_right; a line
    starting right of `indent` is indented (a new paragraph, a centred title or a table cell)."""

    max_left: float
    min_right: float
    indent: float
    em: float = 0.0


_NO_FRAME = _Frame(float("-inf"), float("inf"), float("inf"))


def _frame(lines: list[_Line]) -> _Frame:
    """The page's frame from its lines: 85% of the text width counts as full; 1.2 em in counts as indented."""
    if len(lines) < _MIN_LINES_FOR_WIDTH:
        return _NO_FRAME
    left = min(ln.left for ln in lines)
    width = max(ln.right for ln in lines) - left
    ems = sorted(2 * (ln.right - ln.left) / _width(ln.text) for ln in lines if len(ln.text) >= 8)
    em = ems[len(ems) // 2] if ems else 0.0
    indent = left + 1.2 * em if em > 0 else float("inf")
    return _Frame(left + 0.15 * width, left + 0.85 * width, indent, em)


def _join_page(lines: list[_Line], frame: _Frame) -> list[_Line]:
    out: list[_Line] = []
    for line in lines:
        if out and _should_join(out[-1], line, frame, frame):
            prev = out[-1]
            out[-1] = _Line(prev.text + line.text, prev.left, line.right)
        else:
            out.append(line)
    return out


def layout(raw_pages: list[str], geometry: list | None = None) -> tuple[str, tuple[int, ...]]:
    """Final text and page start offsets from raw page texts: page numbers dropped, wrapped lines joined.

    `geometry[i]`, when given, maps a char index of page i to its (left, right) x; else widths are estimated.
    """
    raw_pages = [p.replace("\r\n", "\n").replace("\r", "\n") if geometry is None else p for p in raw_pages]
    pages = [_page_lines(p, geometry[i] if geometry else None) for i, p in enumerate(raw_pages)]
    _drop_page_numbers(pages)
    _drop_running_heads(pages)
    frames = [_frame(lines) for lines in pages]
    pages = [_join_page(lines, fr) for lines, fr in zip(pages, frames)]
    # across page breaks: the sentence may continue on the next page
    glue = [False] * len(pages)
    last = None  # index of the previous page with text
    for i, lines in enumerate(pages):
        if not lines:
            continue
        if last is not None and _should_join(pages[last][-1], lines[0], frames[last], frames[i]):
            glue[i] = True
        last = i
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, lines in enumerate(pages):
        text = normalize("\n".join(ln.text for ln in lines))
        if pos and text and not glue[i]:
            parts.append("\n")
            pos += 1
        starts.append(pos)
        parts.append(text)
        pos += len(text)
    return "".join(parts), tuple(starts)


def _page_text(tp) -> tuple[str, object]:
    """A page's text with pdfium's '\r\n' line ends as '\n' (keeping char indices aligned) and a box lookup."""
    raw = tp.get_text_range()
    # '\r\n' -> ' \n' keeps one text position per pdfium char index
    text = raw.replace("\r\n", " \n").replace("\r", "\n")

    def boxes(i: int) -> tuple[float, float]:
        left, _bottom, right, _top = tp.get_charbox(i)
        return left, right

    return text, boxes


def read_pdf(data: bytes) -> tuple[str, int, tuple[int, ...], tuple]:
    """(text, page count, page start offsets, tables) of a PDF's text layer; Unreadable for broken, locked or
    scanned PDFs. Tables come from the same text pages (ingest/readers/pdf_tables.py)."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # PDFium's error code is its last one: it says "Success" (0) for a document without pages, or repeats an
        # earlier file's password error, so a password error counts only when the file is encrypted
        code = getattr(exc, "err_code", None)
        if code == _FPDF_ERR_PASSWORD and b"/Encrypt" in data:
            raise Unreadable("PDF is password-protected") from exc
        if code in (0, _FPDF_ERR_PASSWORD) or re.search(rb"/Count\s+0\b", data):
            raise Unreadable("PDF has no pages (no page tree PDFium can read)") from exc
        msg = str(exc).removeprefix("Failed to load document").strip("(). ") or "unknown error"
        raise Unreadable(f"PDF cannot be opened: {msg}") from exc
    try:
        n = len(pdf)
        if n == 0:
            raise Unreadable("PDF has no pages")
        raw, geometry, textpages, grids = [], [], [], []
        for i in range(n):
            try:
                page = pdf[i]
                tp = page.get_textpage()
            except pdfium.PdfiumError as exc:
                raise Unreadable(f"PDF cannot be opened: page {i + 1}: {exc}") from exc
            textpages.append(tp)
            text, boxes = _page_text(tp)
            raw.append(text)
            geometry.append(boxes)
            grids.extend(page_grids(page, tp, text, i + 1))
        if not any(r.strip() for r in raw):
            raise Unreadable("PDF has no text layer (scanned images?)")
        text, starts = layout(raw, geometry)
    finally:
        pdf.close()  # closes pages and text pages too
    return text, n, starts, tuple(read_tables(grids))
