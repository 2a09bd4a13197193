"""Table arithmetic as a self-check, evaluated as tables are read: a parent code equals the sum of its children,
合计 equals the sum of the 类, the 合计 column equals the sum of its parts.

The identities are data: the `[[table_sum]]` entries of ingest/data/checks.toml (the same file as the other
consistency checks). A table that does not add up is kept as printed; the check records which row and column
and by how much, since reports' own printed numbers sometimes disagree by 0.01 or 1 元: a finding, not an error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from yearwise.ingest.normalize import normalize
from yearwise.ingest.standard_tables import load_tables
from yearwise.ingest.table import Table, TableCheck
from yearwise.ingest.table_facts import EMPTY_CELL, TOTAL_LABEL, cell_value, column_keys
from yearwise.ingest.subjects import ORDINAL

KINDS = ("children", "classes", "columns")


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


def table_checks(tables) -> tuple[TableCheck, ...]:
    """Every table identity evaluated on every table that has the rows or columns it needs."""
    rules = load_tables()
    out: list[TableCheck] = []
    for table in tables:
        std = rules.recognise(table.title)
        name = std.code if std else (table.title or "untitled")
        keys = column_keys(table, rules)
        for ident in table_sums():
            out.extend(_evaluate(ident, table, name, keys))
    return tuple(out)


def _values(table: Table, keys: dict[str, str]):
    """(row index, row, column key) -> printed value, for every numeric cell."""
    for i, row in enumerate(table.rows):
        for e in row.entries:
            raw = normalize(e.text).replace(" ", "")
            if raw in EMPTY_CELL:
                continue
            v = cell_value(raw)
            if v is not None and not raw.endswith("%"):
                yield i, row, keys.get(e.column, e.column), v, e.page


def _evaluate(ident: TableSum, table: Table, name: str, keys: dict[str, str]):
    cells = list(_values(table, keys))
    if ident.kind == "columns":
        by_row = defaultdict(dict)
        for i, row, col, v, page in cells:
            by_row[i].setdefault(col, (v, row, page))
        for i, cols in by_row.items():
            if ident.whole not in cols:
                continue
            parts = [cols[p][0] for p in ident.parts if p in cols]
            present = [p for p in ident.parts if p in keys.values()]
            if len(present) < 2 or not parts:
                continue
            v, row, page = cols[ident.whole]
            yield TableCheck(ident.name, name, page, row.code, row.label, ident.whole, v, sum(parts), len(parts), table.unit)
        return
    coded = defaultdict(dict)  # column -> code -> (value, row, page)
    totals = defaultdict(list)
    for i, row, col, v, page in cells:
        if row.code:
            coded[col].setdefault(row.code, (v, row, page))
        elif TOTAL_LABEL.match(ORDINAL.sub("", row.label).strip()):
            totals[col].append((v, row, page))
    for col, codes in coded.items():
        if ident.kind == "children":
            for code, (v, row, page) in codes.items():
                kids = [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]
                if kids:
                    yield TableCheck(ident.name, name, page, code, row.label, col, v, sum(codes[k][0] for k in kids),
                                     len(kids), table.unit)
        elif ident.kind == "classes" and totals.get(col):
            classes = [c for c in codes if len(c) == 3]
            if classes and len({c[0] for c in classes}) == 1:
                v, row, page = totals[col][0]
                yield TableCheck(ident.name, name, page, "", row.label, col, v, sum(codes[c][0] for c in classes),
                                 len(classes), table.unit)


def summary(checks) -> str:
    """'12/13 hold' for a report's table checks, with the first that fails."""
    bad = [c for c in checks if not c.ok]
    line = f"{len(checks) - len(bad)}/{len(checks)} table sums hold"
    if bad:
        c = bad[0]
        line += f"; e.g. {c.table} {c.row_code or c.row_label} {c.column}: {c.whole} vs {c.parts} ({c.difference:+})"
    return line


