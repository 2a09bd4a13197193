"""Tables of a text document: runs of ' | ' rows, as TXT tables are written and as the HTML and DOCX readers render
<table> and Word tables, read into the same grid model as PDF tables (ingest/table.py)."""

from __future__ import annotations

import re
import unicodedata

from yearwise.ingest.table import Grid, GridCell

RULE = re.compile(r"^[\s|:+\-—=]*$")  # a |---|---| separator line
ABOVE = 4  # lines above a table that may hold its title and unit


def _cells(line: str, framed: bool) -> list[str]:
    """A row's cells; `framed`: the table's rows all open and close with '|' (| a | b |), which are no cells."""
    s = line.strip()
    if framed:
        s = s[1:] if s.startswith("|") else s
        s = s[:-1] if s.endswith("|") else s
    return [c.strip() for c in s.split("|")]


def text_grids(text: str) -> list[Grid]:
    """Every run of two or more pipe rows as a grid, with the lines above it (title, unit)."""
    lines = text.split("\n")
    grids: list[Grid] = []
    i, last_end = 0, 0
    while i < len(lines):
        if lines[i].count("|") < 1:
            i += 1
            continue
        j = i
        while j < len(lines) and "|" in lines[j]:
            j += 1
        run = [ln for ln in lines[i:j] if not RULE.match(ln)]
        framed = all(ln.strip().startswith("|") for ln in run)
        rows = [_cells(ln, framed) for ln in run]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            cols = max(len(r) for r in rows)
            cells = tuple(GridCell(t, r, c, r + 1, c + 1) for r, row in enumerate(rows) for c, t in enumerate(row))
            above = tuple(ln.strip() for ln in lines[max(last_end, i - ABOVE):i] if ln.strip())
            grids.append(Grid(cells, len(rows), cols, above))
            last_end = j
        i = j
    return grids


# a figure standing alone in a field (1,309.12 / 0.00 / -12.5 / 99.96%), not a code (2080505) nor a year
FIGURE = re.compile(r"^[(（]?[-−]?\d[\d,]*\.\d+[)）]?%?$|^[-−]?\d{1,3}(?:,\d{3})+$")
FIELD_GAP = re.compile(r"\t+|[ \u3000]{2,}")
MIN_ROWS = 3  # lines in a run of aligned lines before it is a table


def _width(s: str) -> int:
    """Display columns of a string in a monospaced font: a Chinese (full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fields(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) in display columns of each field of a line, fields apart by two spaces or a tab."""
    line = line.expandtabs(8).rstrip()
    out, pos, col = [], 0, 0
    for m in FIELD_GAP.finditer(line + "  "):
        piece = line[pos:m.start()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            start = col + _width(piece[:lead])
            out.append((start, start + _width(piece.strip()), piece.strip()))
        col += _width(line[pos:m.end()])
        pos = m.end()
    return out


def _clusters(values: list[int], tol: int = 1) -> list[int]:
    out: list[int] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def aligned_grids(text: str) -> list[Grid]:
    """Tables a TXT file draws with spaces (columns aligned in a monospaced font, no pipes): every run of lines
    of two or more fields with figures right-aligned in the same columns, as a grid with the lines above it.

    A column is where the figures' right edges line up down the run; the words of a row (科目编码, 科目名称)
    are columns by where they start; a header word belongs to the column it stands over."""
    lines = text.split("\n")
    grids: list[Grid] = []
    i, last_end = 0, 0
    while i < len(lines):
        if "|" in lines[i] or len(_fields(lines[i])) < 2:
            i += 1
            continue
        j = i
        while j < len(lines) and "|" not in lines[j] and len(_fields(lines[j])) >= 2:
            j += 1
        grid = _aligned(lines[i:j], tuple(ln.strip() for ln in lines[max(last_end, i - ABOVE):i] if ln.strip()))
        if grid is not None:
            grids.append(grid)
            last_end = j
        i = j
    return grids


def _aligned(run: list[str], above: tuple[str, ...]) -> Grid | None:
    if len(run) < MIN_ROWS:
        return None
    rows = [_fields(ln) for ln in run]
    rights = [e for fs in rows for s, e, t in fs if FIGURE.match(t)]
    figure_rows = sum(1 for fs in rows if any(FIGURE.match(t) for _, _, t in fs))
    if figure_rows < 2:
        return None
    value_edges = [e for e in _clusters(rights) if sum(1 for r in rights if abs(r - e) <= 1) >= 2]
    if not value_edges:
        return None
    first_value = min(value_edges) - max((e - s for fs in rows for s, e, t in fs if FIGURE.match(t)), default=0)
    text_starts = _clusters([s for fs in rows for s, e, t in fs if not FIGURE.match(t) and s < first_value], tol=1)
    # columns: words by where they start (left of the figures), figures by where they end
    cols: list[tuple[str, int]] = [("text", s) for s in text_starts] + [("value", e) for e in value_edges]
    cols.sort(key=lambda c: c[1])

    def column_of(start: int, end: int, figure: bool) -> int:
        if figure:
            return min(range(len(cols)), key=lambda k: (cols[k][0] != "value", abs(cols[k][1] - end)))
        if start < first_value:
            starts = [k for k, (kind, x) in enumerate(cols) if kind == "text" and x <= start + 1]
            if starts:
                return starts[-1]
        # a header word over a figure column: the column whose right edge is nearest its own
        return min(range(len(cols)), key=lambda k: abs(cols[k][1] - end) if cols[k][0] == "value" else 10**6)

    cells = []
    for r, fs in enumerate(rows):
        placed: dict[int, list[str]] = {}
        for s, e, t in fs:
            placed.setdefault(column_of(s, e, bool(FIGURE.match(t))), []).append(t)
        for c, texts in placed.items():
            cells.append(GridCell(" ".join(texts), r, c, r + 1, c + 1))
    return Grid(tuple(cells), len(rows), len(cols), above)
