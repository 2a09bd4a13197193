"""Table cells as facts: every numeric cell of a table becomes a fact keyed by table, 科目编码 and column.

Rows with a classification code are named by the code (`func.2080501`, `econ.30101`); summary rows (合计,
本年收入合计, 基本支出 …) by the catalog, so a table total and the same figure stated in prose meet under one
indicator; other rows by their own label (`item.<label>`), never by a column header. Values in 元 become 万元
with the raw value and unit kept. Each fact quotes the cell's number in the document text of its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from yearwise.ingest import numbers
from yearwise.ingest.model import Document, Fact
from yearwise.ingest.phrases import PATTERNS
from yearwise.ingest.normalize import normalize
from yearwise.ingest.standard_tables import StandardTable, TableRules, load_tables
from yearwise.ingest.subjects import ORDINAL, function_class, subject
from yearwise.ingest.table import Row, Table

# a row that totals its table (or its side of it): its cells are what their columns say
TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计|本年合计|支出合计|收入合计|金额合计|合\s*计|总\s*计)?$")
EMPTY_CELL = {"-", "—", "--", "－", "/", "——", "—-", "─", "×"}
SCORE_COLUMN = re.compile(r"分值|得分|权重|分数")
COUNT_COLUMN = re.compile(r"人数|车辆数|数量|个数|台数|[(（](?:人|辆|个|台|套|项)[)）]$")
PRIOR_COLUMN = re.compile(r"上年")
# the two sides of a 收支总表: a total row on one side totals that side
SIDES = {"收入": "income_total", "支出": "expenditure_total"}
# to spending.* the same words in a 部门预算 are budget.* (基本支出 of a budget table is budget.basic)
BUDGET_FAMILY = {"spending.total": "budget.total", "spending.basic": "budget.basic",
                 "spending.project": "budget.project", "spending.other": "budget.other"}


@dataclass(frozen=True, slots=True)
class Cell:
    """A numeric cell read for a fact: where it is and what names it (before its span is found)."""

    table: str
    row_code: str
    row_label: str
    column: str
    raw: str
    page: int | None
    box: tuple | None


def table_code(table: Table, rules: TableRules) -> tuple[str, StandardTable | None]:
    std = rules.recognise(table.title)
    return (std.code if std else (table.title or "untitled"), std)


def cell_facts(document: Document, tables, *, year: int | None, doc_kind: str, catalog, section_at=None) -> list[Fact]:
    """Facts of every numeric cell of a document's tables, in table order; `section_at(offset)` names the section."""
    return table_cells(document, tables, year=year, doc_kind=doc_kind, catalog=catalog, section_at=section_at)[0]


def table_cells(document: Document, tables, *, year: int | None, doc_kind: str, catalog,
                section_at=None) -> tuple[list[Fact], list[tuple[int, int]]]:
    """The facts of a document's table cells, and the spans of the cells withheld as named by nothing reliable
    (a 专项 subtotal of a 政府采购预算表): the walk's reading of those lines is no better and is dropped too."""
    rules = load_tables()
    finder = _Finder(document)
    out: list[Fact] = []
    withheld: list[tuple[int, int]] = []
    for table in tables:
        code, std = table_code(table, rules)
        std = std.for_title(table.title) if std else None
        table = codes_above_their_rows(table, year)
        if not table.pages and (std is None or std.kind == "performance_evaluation"):
            continue  # a text table that is no standard financial table: its rows are read as prose (行 · 列)
        unit = table.unit or ("万元" if std else "")
        keys = column_keys(table, rules)
        first_of: dict[str, int] = {}  # a row label -> the first row printing it
        for row, entry, raw, anchor in _numeric_cells(table, finder):
            column = keys.get(entry.column, entry.column)
            q = _quantity(raw, unit, column)
            if q is None:
                continue
            value, unit_out, raw_unit = q
            if not unit_out and not std:
                continue  # a number in a table nobody names and no unit: a 序号, not a figure
            span = finder.find(raw, entry.page, anchor)
            if span is None:
                continue
            if _printed_code(raw, row, document.text, span):
                continue  # '30201 办公费 770.50': a classification code the reader took for a cell
            if _subtotal_of_a_categorical_table(row, table):
                withheld.append(span)
                continue
            named_row = _row_by_its_line(row, table, document.text, span)
            if named_row is None:
                continue  # an unlabelled row among several: no total, and nothing else names it
            label = ORDINAL.sub("", named_row.label).strip()
            repeated = first_of.setdefault(label, id(row)) != id(row) and not TOTAL_LABEL.match(label)
            # a label printed again further down ('上年结转' > '一般公共预算') is a part of another row: the table's
            # names are for its first printing only
            indicator, name = name_cell(named_row, column, replace(std, names=()) if std and repeated else std,
                                        catalog, doc_kind, year)
            fy = year - 1 if year and PRIOR_COLUMN.search(column) else year
            box = entry.box or (None, None, None, None)
            out.append(Fact(
                indicator=indicator, indicator_name=name, measure="level", value=value, unit=unit_out, year=fy,
                quote=document.text[span[0]:span[1]], start=span[0], end=span[1], rule="table.grid",
                section=section_at(span[0]) if section_at else "",
                raw_value=document.text[span[0]:span[1]], raw_unit=raw_unit, page=entry.page or row.page,
                table=code, row_code=row.code or None, row_label=row.label or None, column=column,
                x0=_r(box[0]), y0=_r(box[1]), x1=_r(box[2]), y1=_r(box[3])))
    return out, withheld


def codes_above_their_rows(table: Table, year: int | None = None) -> Table:
    """A table whose reader put each 科目编码 on a row of its own above its name ('2040499' / '其他检察支出 469.50', as
    a cell or as the row's code with no cells): the code is the next row's, so that row is named func.2040499 as a row printing both is, not item.其他检察支出."""
    rows: list[Row] = []
    pending: Row | None = None
    code = ""
    for row in table.rows:
        texts = [normalize(e.text).replace(" ", "") for e in row.entries]
        alone = row.code if row.code and not row.entries else texts[0] if not row.code and len(texts) == 1 else ""
        if not row.label.strip() and alone and subject(alone, year) is not None:  # '2040499' or code '302', no cells
            if pending is not None:
                rows.append(pending)
            pending, code = row, alone
            continue
        if pending is not None and not row.code and row.label.strip():
            row = replace(row, code=code)
        elif pending is not None:
            rows.append(pending)  # a code row nothing follows: left as the reader gave it
        pending = None
        rows.append(row)
    if pending is not None:
        rows.append(pending)
    return table if len(rows) == len(table.rows) else replace(table, rows=tuple(rows))


def _numeric_cells(table: Table, finder):
    """(row, entry, number as printed, where the row's code or label stands) of each cell holding a number."""
    for row in table.rows:
        anchor = finder.anchor(row)
        for entry in row.entries:
            raw = normalize(entry.text).replace(" ", "")
            if raw not in EMPTY_CELL and numbers_only(raw):
                yield row, entry, raw, anchor


def _printed_code(raw: str, row: Row, text: str, span: tuple[int, int]) -> bool:
    """Whether an integer cell is a 科目编码 printed before its name on the line (`30201 办公费`), not a value."""
    if row.code or not raw.isdigit() or subject(raw) is None:
        return False
    line_start = text.rfind("\n", 0, span[0]) + 1
    return not text[line_start:span[0]].strip() and re.match(r"[ \t]*[\u4e00-\u9fff]", text[span[1]:]) is not None


LINE_WORDS = re.compile(r"[\u4e00-\u9fff()（）]+")
# values of a categorical column that a reader may take for a row's label (采购组织形式 of a 政府采购预算表)
COLUMN_VALUE = re.compile(r"政府集中采购|部门集中采购|分散自行组织|分散自行采购|自行采购|集中采购")
# the words of an item's name as a wrapped cell prints them ('台式计算机 / (20 万以 / 上)'): digits and letters too
ITEM_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z\d()（）、]+")
# a line that ends in a figure: the row above ends there
FIGURE_END = re.compile(r"(?:^|\s)[-−]?\d[\d,]*(?:\.\d+)?\s*$")
MAX_WRAPPED_LINES = 8
LATIN_LEAD = re.compile(r"^[A-Za-z\d]+")


def _item_before(text: str, span: tuple[int, int], value: str) -> str:
    """The item a row prints before a categorical value: the words between the previous row's figure and this
    row's, the value taken out wherever the wrap put it ('车辆维修和 / 保养服务 / 分散自行组 / 织 / 267.80' is
    车辆维修和保养服务, '台式计算机 / (20 万以 / 上)' keeps its 20)."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    parts = [text[line_start:span[0]]]
    end = line_start - 1
    for _ in range(MAX_WRAPPED_LINES):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if not line.strip() or FIGURE_END.search(line):
            break
        parts.insert(0, line)
        end = start - 1
    joined = "".join("".join(ITEM_WORDS.findall(p)) for p in parts)
    named = COLUMN_VALUE.sub("", joined.replace(value, ""))
    return named if len(re.sub(r"[\d()（）、A-Za-z]", "", named)) >= 2 else ""


def _subtotal_of_a_categorical_table(row: Row, table: Table) -> bool:
    """Whether a row of a table whose item rows carry a categorical value (采购组织形式) is a subtotal by another
    column: '省政协专项会议 | 会议费 | 50.00' (专项名称, 经济科目) above its items. Its label is the 经济科目, which
    would name a spending item (item.会议费); the items and the category rows (一、货物 A) say what was bought."""
    label = row.label.strip()
    if row.code or not label or TOTAL_LABEL.match(label) or ORDINAL.match(label) or COLUMN_VALUE.fullmatch(label):
        return False
    return any(COLUMN_VALUE.fullmatch(ORDINAL.sub("", r.label).strip()) for r in table.rows)


def _row_by_its_line(row: Row, table: Table, text: str, span: tuple[int, int]) -> Row | None:
    """A row as the text prints it where the reader lost its label: a table row is the table's total only when it
    says so. An unlabelled row takes the words before its cell on its line ('一、货物 A 303.40' is 货物, '合 计 2,744.84'
    the total); a 小计 outside a known group is its group's, the words of the line above ('其他资金 / 小计 14.39');
    an unlabelled row with no words, among several unlabelled rows, is named by nothing (None)."""
    label = ORDINAL.sub("", row.label).strip()
    if COLUMN_VALUE.fullmatch(label):
        # '其他通用设备 政府集中采购 500.00': the 采购组织形式 is a column's value; the item is printed before it.
        # The reader's own cell of the row (its group) names it, unless the text shows that cell cut by a wrap
        # ('物业管理服 / 务'); a group of one character is a wrap's tail, not a name.
        named = _item_before(text, span, label)
        group = "".join(ITEM_WORDS.findall(normalize(row.group or "")))
        if len(group) >= 2 and not COLUMN_VALUE.fullmatch(group) and not (named and named.startswith(group)):
            named = group
        named = LATIN_LEAD.sub("", named)  # 'PC服务器': a descriptive code starts with its Chinese name (服务器)
        return replace(row, label=named) if len(named) >= 2 else None
    if NUMBER_LABEL.fullmatch(label):
        # '0 / 183.60 427.50 …': a figure the reader took for the row's label (a cell wrapped onto a line of its own)
        # names no row: the row's cells are withheld rather than named item.other
        return None
    if label and not (label == "小计" and not row.group):
        return _with_its_wrapped_tail(row, text, span)
    line_start = text.rfind("\n", 0, span[0]) + 1
    words = "".join(LINE_WORDS.findall(ORDINAL.sub("", text[line_start:span[0]].strip())))
    if label == "小计":
        above = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
        group = "".join(LINE_WORDS.findall(above))
        return replace(row, group=group) if 2 <= len(group) <= 16 and group != "小计" else replace(row, label="小计项")
    if words:
        return replace(row, label=words) if len(words) >= 2 else row
    unlabelled = sum(1 for r in table.rows if not ORDINAL.sub("", r.label).strip() and not r.code)
    return row if unlabelled <= 1 else None


HALF_BRACKETS = str.maketrans("（）", "()")
NUMBER_LABEL = re.compile(r"[\d.,，\s-]+")
WRAPPED_TAIL = re.compile(r"[ \t]*\n([\u4e00-\u9fff()（）]{1,4})[ \t]*\n?[ \t]*")
WRAPPED_TAIL_AFTER = re.compile(r"[ \t]*\n([\u4e00-\u9fff()（）]{1,4})[ \t]*(?=\n|$)")


def _with_its_wrapped_tail(row: Row, text: str, span: tuple[int, int]) -> Row:
    """A row whose label the reader cut at a wrap ('三、单位预留机动经 / 费 / 3,258.06'): the few characters the text
    prints on the next line, right before the row's figure, end the label (单位预留机动经费)."""
    label = row.label.strip()
    at = text.rfind(label, max(0, span[0] - 120), span[0])
    m = WRAPPED_TAIL.fullmatch(text, at + len(label), span[0]) if at >= 0 else None
    if m is None and at >= 0 and not text[at + len(label) : span[0]].strip():
        # '八、社会保障和就 1,608.51 / 业支出': the label and its figure on one line, the label's tail on the next
        # line alone, when label and tail make a name the classification or the catalog knows (社会保障和就业支出);
        # '公共财政拨款(补助)资金 17,981.68 / 专项收入' is the next row
        m = WRAPPED_TAIL_AFTER.match(text, span[1])
        if m is not None and not _known_name(label + m.group(1)):
            m = None
    if m is None or TOTAL_LABEL.match(m.group(1)):  # '一般公共预算资金 / 小计': a row of its own, not a tail
        return row
    return replace(row, label=label + m.group(1))


def _known_name(label: str) -> bool:
    """A label the 功能分类 类 names or the catalog spells exactly (its name or a synonym)."""
    from yearwise.ingest.catalog import fold, load_catalog

    if function_class(label):
        return True
    plain = fold(ORDINAL.sub("", label).strip())
    ind = load_catalog().match(plain)
    return ind is not None and plain in {fold(x) for x in (ind.name, *ind.synonyms)}


def evaluation_cells(facts: list[Fact], document: Document, tables) -> list[Fact]:
    """Facts the prose walk read off a text 绩效自评表 (HTML, DOCX, TXT: no pages), given the table, row,
    column and page of the cell they stand in, like the cells of other tables; their names stay the walk's."""
    rules = load_tables()
    finder = _Finder(document)
    where: dict[int, tuple[int, str, str, str, int | None]] = {}  # cell start -> end, table, row, column, page
    for table in tables:
        code, std = table_code(table, rules)
        if table.pages or std is None or std.kind != "performance_evaluation":
            continue
        keys = column_keys(table, rules)
        for row, entry, raw, anchor in _numeric_cells(table, finder):
            span = finder.find(raw, entry.page, anchor)
            if span is not None:
                where[span[0]] = (span[1], code, row.label, keys.get(entry.column, entry.column), entry.page or row.page)
    if not where:
        return facts
    from bisect import bisect_left, bisect_right

    starts = sorted(where)
    out = []
    for f in facts:
        # the walk quotes a row's words with the figure ('培训人次 | 1200'): the cell is the last one in the quote
        inside = [s for s in starts[bisect_left(starts, f.start):bisect_right(starts, f.end - 1)] if where[s][0] <= f.end]
        if inside and not f.table:
            hit = where[inside[-1]]
            f = replace(f, table=hit[1], row_label=hit[2] or None, column=hit[3], page=f.page or hit[4])
        out.append(f)
    return out


BUDGET_WORD = re.compile(r"预算(?:数|安排数)?$")


def column_keys(table: Table, rules: TableRules) -> dict[str, str]:
    """Each column path of a table -> its normalised key ('' -> 合计: a table's one amount column is its total)."""
    valued = tuple(dict.fromkeys(e.column for r in table.rows for e in r.entries))
    # a 预算数 column beside a printed 决算数 keeps its word even when the 决算数 cells are empty (a 三公 决算表
    # whose only figures are 预算数 0.95): a budget figure is never the column's plain amount
    return {c: rules.column_key(c, table.columns if BUDGET_WORD.search(c.rsplit("/", 1)[-1]) else valued) or "合计"
            for c in table.columns}


def _r(v):
    return None if v is None else round(float(v), 1)


def numbers_only(raw: str) -> bool:
    return bool(re.fullmatch(r"[(]?[-−+]?\d[\d,]*(?:\.\d+)?[)]?%?", raw))


def cell_value(raw: str) -> Decimal | None:
    """The number a cell prints ('1,309.12', '(12.30)' negative, '99.96%'), as printed (no unit applied)."""
    s = raw.replace(",", "").replace("−", "-").rstrip("%")
    if s.startswith("(") and s.endswith(")"):
        s = "-" + s[1:-1]
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _quantity(raw: str, unit: str, column: str):
    """(value, unit, raw unit) of a cell: money in 万元 from the table's unit, scores in 分, rates in %."""
    value = cell_value(raw)
    if value is None:
        return None
    if raw.endswith("%") or re.search(r"率$", column):
        return value, "%", "%" if raw.endswith("%") else ""
    if SCORE_COLUMN.search(column):
        return value, "分", ""
    if COUNT_COLUMN.search(column):
        return value, "", ""
    if not unit:
        return value, "", ""
    q = numbers.parse_quantity(str(abs(value)), default_unit=unit)
    if q is None or q.kind != "money":
        return value, unit, unit
    return (-q.value if value < 0 else q.value), q.unit, unit


def name_cell(row: Row, column: str, std: StandardTable | None, catalog, doc_kind: str, year) -> tuple[str, str]:
    """The indicator of a cell: its row's classification code, else a catalog code, else its row's own words.

    A total row (合计, 总计) is what its column says: the table's total under 合计, the catalog's name of the
    column elsewhere (基本支出 -> spending.basic). A 小计 is its group's (一般公共预算资金 > 小计).
    """
    sub = subject(row.code, year) if row.code else None
    if sub is not None:
        return sub.indicator, row.label or sub.name
    label = ORDINAL.sub("", row.label).strip()
    if label == "小计" and row.group:
        label = ORDINAL.sub("", row.group).strip()
    total_row = bool(TOTAL_LABEL.match(label))
    if std is not None:
        named = std.name_of(f"{column}:{label}") or (std.name_of(label) if label else None)
        if named:
            return _family(named, catalog, doc_kind)
    if total_row:
        key = column or "合计"
        last = key.rsplit("/", 1)[-1]
        if std is not None:
            named = std.name_of(key)
            if named:
                return _family(named, catalog, doc_kind)
            item = _item_column(key, catalog, std.total)
            if item is not None:  # '因公出国(境)费/决算数' of a 三公 table: that item's figure, not the table's total
                return _family(item, catalog, doc_kind)
            # the 合计 row under 合计, or under the one column that says what the whole table counts (基本支出 of a
            # 一般公共预算基本支出预算表): the table's total
            if std.total and "/" not in key and (last == "合计" or (len(last) >= 2 and last in std.name)):
                return _family(std.total, catalog, doc_kind)
            if std.catalog_rows and (ind := catalog.exact(last)) is not None and ind.unit_kind == "money":
                return _family(ind.code, catalog, doc_kind)
        what = std.code if std else "table"
        side = SIDES.get(key.split("/")[0])
        if side:
            return f"{what}.{side}", (std.name if std else "") + key.split("/")[0] + "合计"
        if last == "合计" or "/" in key or ASPECT_COLUMN.fullmatch(last):  # 总计 under 决算数: the table's total
            return f"{what}.total", (std.name if std else "") + "合计"
        return f"item.{last}", last
    if std is not None and std.catalog_rows:
        ind = catalog.exact(label)
        if ind is not None and ind.unit_kind == "money":
            return _family(ind.code, catalog, doc_kind)
    func = function_class(label)
    if func:
        return f"func.{func}", label
    if PATTERNS["meaningless_label"].fullmatch(label):
        return "item.other", label  # a row label that names nothing ('0', '式'): no code is made of it
    # one spelling of a label whatever brackets a table printed: 公共财政拨款（补助）资金 is 公共财政拨款(补助)资金
    return f"item.{label.translate(HALF_BRACKETS)}", label


ASPECT_COLUMN = re.compile(r"合计|小计|总计|金额|预算数|决算数|年初预算数?|全年预算数?|调整预算数?|执行数")
# the composition of a table's total (基本支出 / 项目支出 of a 一般公共预算支出表 is that fund's, not the department's)
PARTS_OF_A_TOTAL = {"spending.basic", "spending.project", "spending.other", "spending.personnel", "spending.public"}


def _item_column(key: str, catalog, total: str | None = None) -> str | None:
    """The catalog item a column path names, its deepest part first ('公务用车购置及运行费/公务用车购置费/预算数' is the
    purchase), never a report total: a 合计 column is the table's own total where the table names one (a 三公 table's
    合计 is the 三公经费); a 预算 column of a final-accounts table is that item's budget (budget.overseas_trips)."""
    head = key.split("/")[0]
    content = [p for p in key.split("/") if not ASPECT_COLUMN.fullmatch(p)]
    found = [catalog.exact(content[-1])] if content else []  # the deepest part that names something must name it
    if head in ("合计", "小计") and total and catalog.get(total) is not None and not total.endswith("total"):
        found = [catalog.get(total)]
    item = next((ind for ind in found if ind is not None and ind.unit_kind == "money"
                 and ind.category in ("spending", "budget") and not ind.code.endswith(("total", ".fiscal"))), None)
    if item is None:
        return None
    if any("预算" in p for p in key.split("/")) and item.code.startswith("spending."):
        twin = "budget." + item.code.split(".", 1)[1]
        return twin if catalog.get(twin) is not None else item.code + ".adjusted_budget"
    return None if item.code in PARTS_OF_A_TOTAL else item.code


def _family(code: str, catalog, doc_kind: str) -> tuple[str, str]:
    if doc_kind == "budget" and code in BUDGET_FAMILY:
        code = BUDGET_FAMILY[code]
    elif doc_kind == "budget" and code.startswith("spending.") and catalog.get("budget." + code.split(".", 1)[1]):
        code = "budget." + code.split(".", 1)[1]  # 会议费 of a 部门预算's table is budget.meetings
    ind = catalog.get(code)
    return code, ind.name if ind else code


class _Finder:
    """Where a cell's number stands in the document text of its page (nearest its row's code or label)."""

    def __init__(self, document: Document):
        self.text = document.text
        self.starts = document.page_starts
        self.used: set[int] = set()
        self.cursor: dict[int, int] = {}

    def _page(self, page: int | None) -> tuple[int, int]:
        if not page or not self.starts or page > len(self.starts):
            return 0, len(self.text)
        end = self.starts[page] if page < len(self.starts) else len(self.text)
        return self.starts[page - 1], end

    def anchor(self, row: Row) -> int | None:
        lo, hi = self._page(row.page)
        key = row.code or normalize(row.label)[:6]
        if not key:
            return None
        start = self.cursor.get(row.page or 0, lo)
        i = self.text.find(key, start, hi)
        if i < 0:
            i = self.text.find(key, lo, hi)
        if i >= 0:
            self.cursor[row.page or 0] = i + len(key)
            return i
        return None

    def find(self, raw: str, page: int | None, anchor: int | None) -> tuple[int, int] | None:
        lo, hi = self._page(page)
        best = None
        i = self.text.find(raw, lo, hi)
        while i >= 0:
            j = i + len(raw)
            before = self.text[i - 1] if i > 0 else " "
            after = self.text[j] if j < len(self.text) else " "
            if not (before.isdigit() or before in ".,") and not (after.isdigit() or (after in ".," and j + 1 < len(self.text) and self.text[j + 1].isdigit())) \
                    and i not in self.used:
                d = abs(i - anchor) + (0 if i >= anchor else 10_000) if anchor is not None else i - lo
                if best is None or d < best[0]:
                    best = (d, i)
            i = self.text.find(raw, j, hi)
        if best is None:
            return None
        self.used.add(best[1])
        return best[1], best[1] + len(raw)


def without_table_lines(prose: list[Fact], cells: list[Fact], text: str, withheld=()) -> list[Fact]:
    """Prose facts minus those the table cells now state: any on a cell's span (or a withheld cell's), and the
    walk's flattened-row facts (`table.cell`) anywhere in the stretch of text a table's cells span (a two-sided
    table interleaves its sides, so a row's words and another row's numbers share lines)."""
    from bisect import bisect_right

    spans = sorted([(f.start, f.end) for f in cells] + list(withheld))
    starts = [s for s, _ in spans]
    stretches: dict[str | None, list[int]] = {}  # by table
    for f in cells:
        st = stretches.setdefault(f.table, [f.start, f.end])
        st[0], st[1] = min(st[0], f.start), max(st[1], f.end)
    regions = sorted((text.rfind("\n", 0, a) + 1, (text.find("\n", b) + 1 or len(text) + 1) - 1)
                     for a, b in stretches.values())
    region_starts = [a for a, _ in regions]
    out = []
    for f in prose:
        k = bisect_right(starts, f.end - 1)
        overlaps = False
        while k > 0 and spans[k - 1][0] >= f.start - 80:
            k -= 1
            if spans[k][1] > f.start and spans[k][0] < f.end:
                overlaps = True
                break
        if overlaps:
            continue
        if f.rule == "table.cell":
            r = bisect_right(region_starts, f.start) - 1
            if r >= 0 and any(a <= f.start < b for a, b in regions[max(0, r - 3): r + 1]):
                continue
        out.append(f)
    return out
