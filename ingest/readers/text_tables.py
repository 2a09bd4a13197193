"""Tables of a text document: runs of ' | ' rows, as TXT tables are written and as the HTML and DOCX readers render
<table> and Word tables, read into the same grid model as PDF tables (ingest/table.py)."""

from __future__ import annotations

import re

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
