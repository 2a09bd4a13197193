"""Table arithmetic as a self-check, evaluated as tables are read: a parent code equals the sum of its children,
合计 equals the sum of the 类, the 合计 column equals the sum of its parts.

The identities are data: the `[[table_sum]]` entries of ingest/data/checks.toml (the same file as the other
consistency checks). A table that does not add up is kept as printed; the check records which row and column
and by how much, since reports' own printed numbers sometimes disagree by 0.01 or 1 元: a finding, not an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from yearwise.ingest.normalize import normalize
from yearwise.ingest.standard_tables import load_tables
from yearwise.ingest.table import Row, Table, TableCheck
from yearwise.ingest.table_facts import EMPTY_CELL, TOTAL_LABEL, cell_value, codes_above_their_rows, column_keys
from yearwise.ingest.subjects import ORDINAL

KINDS = ("children", "classes", "columns")
# the total of one side of a two-sided table: 人员经费合计, 公用经费合计
BLOCK_TOTAL = re.compile(r"^[\u4e00-\u9fff]{2,8}合计$")


@dataclass(frozen=True, slots=True)
class TableSum:
    """One table identity: `kind` children (code = Σ its children), classes (合计 row = Σ 类 rows) or columns
    (the `whole` column = Σ the `parts` columns of the same row)."""

    name: str
    kind: str
    what: str = ""
    whole: str = ""
    parts: tuple[str, ...] = ()


def table_sums() -> tuple[TableSum, ...]:
    """The `[[table_sum]]` identities of the checks file(s), as the one checks loader reads them."""
    from yearwise.ingest.checks import load_checks

    entries = dict(load_checks().other).get("table_sum", [])
    out = []
    for n, e in enumerate(entries):
        kind = e.get("kind")
        if kind not in KINDS or not e.get("name"):
            raise ValueError(f"checks.toml: table_sum #{n + 1}: needs a name and a kind of {', '.join(KINDS)}")
        out.append(TableSum(e["name"], kind, e.get("what", ""), e.get("whole", ""), tuple(e.get("parts", ()))))
    return tuple(out)


def table_checks(tables, year: int | None = None) -> tuple[TableCheck, ...]:
    """Every table identity evaluated on every table that has the rows or columns it needs; rows read as their
    facts are ('301' on a line of its own above '工资福利支出 2,928.98' is that row's code)."""
    rules = load_tables()
    out: list[TableCheck] = []
    for table in tables:
        std = rules.recognise(table.title)
        name = std.code if std else (table.title or "untitled")
        table = codes_above_their_rows(table, year)
        keys = column_keys(table, rules)
        for ident in table_sums():
            out.extend(_evaluate(ident, table, name, keys))
    return tuple(out)


def group_width(columns: tuple[str, ...]) -> int:
    """The width of a column group printed several times side by side, else 0.

    A two-sided table (一般公共预算财政拨款基本支出决算表: 人员经费 codes on the left, 公用经费 codes on the right)
    repeats its 科目编码 / 科目名称 / 金额 columns; each repetition is a block with its own codes and its own 合计.
    """
    n = len(columns)
    for width in range(2, n // 2 + 1):
        if n % width == 0 and len(set(columns[:width])) >= 2 \
                and all(columns[i] == columns[i % width] for i in range(n)):
            return width
    return 0


def _values(table: Table, keys: dict[str, str]):
    """(row index, row, block, column key, printed value, page) for every numeric cell; the block is the
    repeated column group the cell is in (0 in a one-sided table)."""
    width = group_width(table.columns)
    for i, row in enumerate(table.rows):
        for e in row.entries:
            raw = normalize(e.text).replace(" ", "")
            if raw in EMPTY_CELL:
                continue
            v = cell_value(raw)
            if v is not None and not raw.endswith("%"):
                block = e.col // width if width and e.col >= 0 else 0
                column = keys.get(e.column, e.column)
                yield i, row, block, column, v, (row.code, row.label, column, e.page or row.page, e.box)


_Placed = tuple[Decimal, Row, tuple]  # a cell's printed value, its row and where it stands (TableCheck.cells)


def _evaluate(ident: TableSum, table: Table, name: str, keys: dict[str, str]):
    cells = list(_values(table, keys))
    if ident.kind == "columns":
        by_row: dict[tuple[int, int], dict[str, _Placed]] = defaultdict(dict)
        for i, row, block, col, v, page in cells:
            by_row[(i, block)].setdefault(col, (v, row, page))
        for i, cols in by_row.items():
            if ident.whole not in cols:
                continue
            parts = [cols[p] for p in ident.parts if p in cols]
            present = [p for p in ident.parts if p in keys.values()]
            if len(present) < 2 or not parts:
                continue
            v, row, cell = cols[ident.whole]
            yield TableCheck(ident.name, name, cell[3], row.code, row.label, ident.whole, v,
                             sum((p[0] for p in parts), Decimal(0)), len(parts), table.unit, (cell, *(p[2] for p in parts)))
        return
    # (block, column) -> code -> (value, row, page)
    coded: dict[tuple[int, str], dict[str, _Placed]] = defaultdict(dict)
    totals = defaultdict(list)  # (block, column) -> the block's total rows (合计 …)
    sides = defaultdict(list)  # (block, column) -> its side's total rows (人员经费合计 …), where no plain total is
    sided = group_width(table.columns) > 0
    for i, row, block, col, v, page in cells:
        label = ORDINAL.sub("", row.label).strip()
        if row.code:
            coded[(block, col)].setdefault(row.code, (v, row, page))
        elif TOTAL_LABEL.match(label):
            totals[(block, col)].append((v, row, page))
        elif sided and BLOCK_TOTAL.match(label):
            sides[(block, col)].append((v, row, page))  # 人员经费合计 | 公用经费合计: each side's own total
    for key, rows in sides.items():
        totals.setdefault(key, rows)
    for (block, col), codes in coded.items():
        if ident.kind == "children":
            for code, (v, row, page) in codes.items():
                kids = [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]
                if kids:
                    yield TableCheck(ident.name, name, page[3], code, row.label, col, v,
                                     sum((codes[k][0] for k in kids), Decimal(0)), len(kids), table.unit,
                                     (page, *(codes[k][2] for k in kids)))
        elif ident.kind == "classes" and totals.get((block, col)):
            classes = [c for c in codes if len(c) == 3]
            if classes and len({c[0] for c in classes}) == 1:
                v, row, page = totals[(block, col)][0]
                yield TableCheck(ident.name, name, page[3], "", row.label, col, v,
                                 sum((codes[c][0] for c in classes), Decimal(0)), len(classes), table.unit, (page, *(codes[c][2] for c in classes)))


class _CellIndex:
    """Where each table cell's fact starts, by table, row, column, page and box (by all but the box where a reader
    gives none)."""

    def __init__(self, facts):
        self.exact: dict[tuple, int] = {}
        self.loose: dict[tuple, int] = {}
        for f in facts:
            if f.table is None:
                continue
            base = (f.table, f.row_code or "", f.row_label or "", f.column, f.page)
            self.exact.setdefault((*base, f.x0, f.y0), f.start)
            self.loose.setdefault(base, f.start)

    def start(self, table: str, cell: tuple) -> int | None:
        code, label, column, page, box = cell
        base = (table, code or "", label or "", column, page)
        at = self.exact.get((*base, *(_r(v) for v in box[:2]))) if box else None
        return at if at is not None else self.loose.get(base)


def link(checks, facts) -> tuple[TableCheck, ...]:
    """Each check with the start offsets of its cells' facts (whole first; None where a cell made no fact), so the
    warehouse can show the quotes and mark the figure a check doubts."""
    index = _CellIndex(facts)
    return tuple(replace(c, starts=tuple(index.start(c.table, cell) for cell in c.cells)) for c in checks)


def column_cells(tables, facts, wanted) -> dict[int, str]:
    """The facts (by start offset) of every cell in a column whose printed header `wanted(path)` accepts, each with
    that header: the cells of 上年数(可比口径) are restated figures."""
    rules = load_tables()
    index = _CellIndex(facts)
    out: dict[int, str] = {}
    for table in tables:
        paths = [c for c in table.columns if c and wanted(c)]
        if not paths:
            continue
        std = rules.recognise(table.title)
        name = std.code if std else (table.title or "untitled")
        keys = column_keys(table, rules)
        for row in table.rows:
            for e in row.entries:
                if e.column in paths:
                    at = index.start(name, (row.code, row.label, keys.get(e.column, e.column), e.page or row.page,
                                            e.box))
                    if at is not None:
                        out[at] = e.column
    return out


def _r(v):
    return None if v is None else round(float(v), 1)


def summary(checks) -> str:
    """'12/13 hold' for a report's table checks, with the first that fails."""
    bad = [c for c in checks if not c.ok]
    line = f"{len(checks) - len(bad)}/{len(checks)} table sums hold"
    if bad:
        c = bad[0]
        line += f"; e.g. {c.table} {c.row_code or c.row_label} {c.column}: {c.whole} vs {c.parts} ({c.difference:+})"
    return line


