"""Table cells: a number in a table row is named by its row label, its column header, or both."""

from __future__ import annotations

import re

from yearwise.ingest import phrases

# a table cell named by its row and its column: '财政资金·全年预算数'
COMPOSITE = "·"

# '其中：财政资金' is a sub-row named 财政资金
OF_WHICH = re.compile(r"^其中[:：]?")
SPACES = re.compile(r"\s+")
SPACED_OUT = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff](?:\s|$))")

# a line that is one number in a table cell ('238.93 |'): it belongs to the row label above it
NUMBER_CELL = re.compile(r"\s*-?[\d,.]+\s*%?\s*\|?\s*")
# a header that says nothing about what a column holds (金额, 科目名称, 单位：万元), or a word broken off a wrapped
# header ('出', '费'): it never names a cell
GENERIC_COLUMN = re.compile(r"^(?:金\s*额|(?:功能)?科目(?:名称|编码|代码)|功能分类|经济分类|项目名称|编码|代码|类|款|项)$|^单位|^.$")
# a row that is the total of its table: its cells are what their columns say
TOTAL_ROW = re.compile(r"(?:年度)?(?:资金)?(?:总额|合计|总计|小计)|项目|金额|总计|合计")


def table_label(left: str, row_label: str, header: list[str] | None, i: int, n: int, catalog,
                 cell: int | None) -> tuple[str, str]:
    """The words that name a table cell: its row's label, its column's header, or both ('财政资金·全年预算数').

    `cell` is the cell's place in a ' | ' row (exact); without it, numbers align with the header from the right.
    """
    own = left.strip(" |\t")
    if own:
        row_label = OF_WHICH.sub("", own.rsplit("|", 1)[-1].strip())
    if header and cell is not None:
        col = header[cell] if cell < len(header) else ""
    elif header and not row_label:
        # a row of numbers only: its cells start at the first column; a header of fewer cells than the row has
        # numbers is the last line of a header wrapped over several ('公务用车运 / 行维护费' above eight figures):
        # it names none of them
        col = header[i] if i < len(header) and len(header) >= n else ""
    else:
        col = column_label(header, i, n) if header else ""
    if GENERIC_COLUMN.search(col):
        col = ""
    if own and (not col or catalog.match(phrases.PATTERNS["class_mark"].sub("", own))):
        return left, row_label  # the row names the number itself (or no header says more)
    if not col:
        return left, row_label  # a further column nobody names: dropped by _name
    if not row_label or TOTAL_ROW.fullmatch(row_label):
        return col, row_label  # the total row: the column says what the number is
    return f"{row_label}{COMPOSITE}{col}", row_label


def column_label(labels: list[str], i: int, n: int) -> str:
    """The header cell above the i-th of n numbers in a row of numbers (aligned from the right)."""
    k = len(labels) - n + i
    return labels[k] if 0 <= k < len(labels) else ""


def header_cells(line: str) -> list[str]:
    """The cells of a line without numbers: a table's column names, or the label of the rows below it."""
    if "|" in line:  # cells keep their places, empty ones too
        cells = [c.strip() for c in line.split("|")]
    else:  # a PDF header: space-separated, with '合 计' spaced out inside a cell
        cells = SPACES.split(SPACED_OUT.sub("", line.strip()))
    if not any(cells):
        return []
    return cells if len(cells) > 1 else [OF_WHICH.sub("", cells[0])]
