"""The table model every reader produces: a grid of merged cells in, a table of titled columns and labelled rows out.

A reader (PDF ruling lines, HTML <table>, DOCX tables, TXT pipes or aligned columns) hands over a `Grid`: the
cells it saw, each with its row/column span, text, page and box, and the lines printed above it (title, unit).
`build_table` resolves the header rows into column paths (`支出/基本支出`), reads each body row as a code, a label
and its value cells, and `merge_continued` joins a table continued on the next page (续表, or the same header
repeated, or no header at all) into one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from yearwise.ingest.normalize import normalize

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the page's top-left corner


@dataclass(frozen=True, slots=True)
class GridCell:
    """One merged cell as a reader sees it: rows r0..r1-1 and columns c0..c1-1 of its grid."""

    text: str
    r0: int
    c0: int
    r1: int
    c1: int
    page: int | None = None  # 1-based
    box: Box | None = None


@dataclass(frozen=True, slots=True)
class Grid:
    """A reader's table before interpretation: merged cells and the text lines printed above it."""

    cells: tuple[GridCell, ...]
    rows: int
    cols: int
    above: tuple[str, ...] = ()  # lines between the previous table (or page top) and this one: title, unit …
    page: int | None = None
    xs: tuple[float, ...] = ()  # column edges on the page (PDF), to join a continuation ruled differently


@dataclass(frozen=True, slots=True)
class Entry:
    """A value cell of a row: its column path and text as printed, where it stands."""

    column: str
    text: str
    page: int | None = None
    box: Box | None = None
    col: int = -1  # the column's place in its table (continued pages are joined by place)


@dataclass(frozen=True, slots=True)
class Row:
    """One body row (one side of it in a two-sided table): 科目编码, label, its value cells."""

    code: str
    label: str
    entries: tuple[Entry, ...]
    page: int | None = None
    group: str = ""  # the label of a merged cell to the left that spans several rows (一般公共预算资金 > 小计)


@dataclass(frozen=True, slots=True)
class Table:
    """A table as printed: title, unit, pages, column paths, rows."""

    title: str
    unit: str  # 万元 | 元 | 亿元 | '' (per table: 单位：元 / 单位：万元)
    pages: tuple[int, ...]
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    header: tuple[str, ...] = ()  # the header cells' texts, to recognise a repeated header on the next page
    continued: bool = False  # printed as 续表 / without its own title: continues the table before it
    above: tuple[str, ...] = field(default=(), compare=False)
    xs: tuple[float, ...] = field(default=(), compare=False)  # column edges on the first page (PDF)


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table identity evaluated on one table (parent = sum of children, 合计 = sum of 类, 合计 column = sum
    of parts): the printed whole, the sum of its printed parts, and their difference in the table's unit."""

    rule: str  # the identity's name in ingest/data/checks.toml
    table: str  # standard table code or printed title
    page: int | None
    row_code: str
    row_label: str
    column: str
    whole: Decimal
    parts: Decimal
    count: int  # how many parts were summed
    unit: str
    # where the whole (first) and each part stand: (row_code, row_label, column key, page, box), to find their facts
    cells: tuple[tuple, ...] = field(default=(), compare=False)
    starts: tuple[int | None, ...] = field(default=(), compare=False)  # the cells' facts' start offsets, if found

    @property
    def difference(self) -> Decimal:
        return self.whole - self.parts

    @property
    def ok(self) -> bool:
        return self.whole == self.parts

    @property
    def tolerance(self) -> Decimal:
        """How far the printed whole and the sum of the printed parts can differ when every figure is rounded to
        its last printed digit (half a unit each): within it, the table adds up before rounding."""
        exponent = min(_exponent(self.whole), _exponent(self.parts), 0)
        return Decimal(5) * Decimal(10) ** (exponent - 1) * (self.count + 1)


def _exponent(value: Decimal) -> int:
    """The exponent of a finite figure's last digit (-2 for 1.25)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), value  # 'n', 'N' or 'F' only for NaN and Infinity, which no table prints
    return exponent


NUMBER = re.compile(r"^[(（]?[-−+]?\d[\d,，]*(?:[.．]\d+)?[)）]?%?$")
CODE = re.compile(r"^\d{2,7}$")
UNIT = re.compile(r"单位\s*[:：]?\s*(?:人民币)?\s*(万元|千元|亿元|元)|[(（](万元|元|亿元)[)）]")
TITLE_END = re.compile(r"表(?:[(（][^)）]*[)）])?(?:[(（]续[)）])?$|续表|^附表|^表\s*[\d一二三四五六七八九十]")
CONTINUED = re.compile(r"续表|[(（]续[)）]")
# header words of a code column: 科目编码, 功能科目代码, the 类 / 款 / 项 sub-columns
CODE_HEADER = re.compile(r"编码|代码|编号|^类$|^款$|^项$")
HEADER_WORDS = re.compile(r"^(?:(?:功能|经济)?科目(?:名称|编码|代码)|项目名称|金额)$")
COUNTING_ROW = re.compile(r"^(?:栏次|行次)$")
LINE_NUMBER_HEADER = re.compile(r"^(?:行次|栏次|序号|行号)$")
SPACE = re.compile(r"\s+")
DEPT_LINE = re.compile(r"^(?:部门|单位|预算单位|编制单位|填报单位)(?:名称)?\s*[:：]")


def clean(text: str) -> str:
    """A cell's words on one line, without the spaces that spread them out (合 计 -> 合计, 20, 702. 25 -> 20,702.25)."""
    text = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text.strip())
    text = re.sub(r"(?<=[\d.,])\s+(?=[\d.,])", "", text)
    return text.replace("\n", " ")


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text.replace(" ", "")))


def unit_of(lines) -> str:
    """The unit a table's 单位：… line states, if any (also when the line wraps inside it: 单位：万 / 元)."""
    lines = list(lines)
    for line in lines:
        m = UNIT.search(line.replace(" ", ""))
        if m:
            return m.group(1) or m.group(2)
    m = UNIT.search("".join(lines).replace(" ", "").replace("\n", ""))
    return (m.group(1) or m.group(2)) if m else ""


NUMBERING = re.compile(r"^(?:附件|附表|公开)?[\d一二三四五六七八九十\-－]*表?[\d一二三四五六七八九十\-－]*[:：]?$")


def title_of(lines) -> str:
    """The table's printed title among the lines above it: the last line that ends like a title (…表)."""
    best, prev, last = "", "", ""
    for line in lines:
        t = clean(line)
        if t == "表" and last and len(last) <= 45 and not re.search(r"[。；;，,：:]$|表$", last):
            # the title's last character wrapped alone ('“三公”经费、会议费、培训费支出预算' / '表'): what it
            # ends is a title whatever the line before ends with
            best, prev, last = last + t, "", ""
            continue
        last = t
        if not t or DEPT_LINE.match(t) or UNIT.search(t) and len(t) < 16 or NUMBERING.match(t):
            prev = ""
            continue
        t = UNIT.sub("", t).strip()
        if TITLE_END.search(t) and len(t) <= 60:
            # a title wrapped over two lines ('…会议费、培训费支出预' / '算表'): the line before, not a title itself
            # nor a sentence, is its first half
            joined = prev + t
            best = joined if prev and len(t) <= 8 and len(joined) <= 60 else t
            prev = ""
        else:
            prev = t if len(t) <= 45 and not re.search(r"[。；;，,]$|(?:决算|预算|报告|公开|情况|说明)$|\d[.．]\d", t) else ""
    return best


def build_table(grid: Grid, continues: Table | None = None) -> Table | None:
    """Interpret a grid: header rows, column kinds, column paths, body rows. None when nothing tabular is in it.

    `continues`: the table this grid continues on a new page; its header (if repeated) is skipped and its columns
    are the continued table's.
    """
    if grid.rows == 0 or grid.cols == 0:
        return None
    at = _positions(grid.cells)
    above = list(grid.above)
    # a title or unit line drawn inside the grid, across all its columns, is part of what is above
    first = 0
    # the lines above a table drawn inside its frame (公开09表 / title / 部门：… 单位：万元 in cells of their own):
    # every row down to the last of the first rows that states the unit or the department is above the header
    for r in range(min(grid.rows, 5) - 1, -1, -1):
        texts = [clean(c.text) for c in {id(at[(r, c)]): at[(r, c)] for c in range(grid.cols) if (r, c) in at}.values()
                 if c.r0 == r and clean(c.text)]
        if texts and any(UNIT.search(t) or DEPT_LINE.match(t) for t in texts) and not any(is_number(t) for t in texts):
            above.extend(line for c in sorted({id(x): x for x in grid.cells if x.r0 <= r}.values(), key=lambda x: (x.r0, x.c0))
                         for line in c.text.split("\n") if line.strip())
            first = r + 1
            break
    while first < grid.rows:
        cells = {id(at[(first, c)]): at[(first, c)] for c in range(grid.cols)
                 if (first, c) in at and at[(first, c)].r0 == first}
        texts = [clean(c.text) for c in cells.values() if clean(c.text)]
        if not texts:
            first += 1
            continue
        spans_all = len(cells) == 1 and next(iter(cells.values())).c1 - next(iter(cells.values())).c0 >= grid.cols - 1
        if texts and (spans_all or any(UNIT.search(t) or DEPT_LINE.match(t) for t in texts)) \
                and not any(is_number(t) for t in texts):
            above.extend(line for c in cells.values() for line in c.text.split("\n") if line.strip())
            first += 1
        else:
            break
    header_end = first
    while continues is not None and header_end < grid.rows:
        words = {clean(at[(header_end, c)].text) for c in range(grid.cols) if (header_end, c) in at} - {""}
        if not words or not words <= set(continues.header):
            break
        header_end += 1
    while continues is None and header_end < grid.rows:
        texts = [clean(at[(header_end, c)].text) for c in range(grid.cols)
                 if (header_end, c) in at and at[(header_end, c)].r0 == header_end]
        texts = [t for t in texts if t]
        if any(COUNTING_ROW.match(t) for t in texts):
            header_end += 1
            continue
        numeric = [t for t in texts if is_number(t)]
        if numeric and not all(CODE.match(t) and len(t) <= 2 for t in numeric):
            break
        if texts and all(CODE.match(t) for t in texts):
            break
        # a row with a 科目编码 and a label but no number yet is a body row of an empty table
        if header_end > first and any(CODE.match(t) and len(t) >= 3 for t in texts):
            break
        header_end += 1
        if not texts:
            continue
    if continues is None and header_end == grid.rows and header_end > first:
        # nothing but words: a text table (绩效目标, 自评表 without figures), its first row the header
        header_end = first + 1
    header_rows = range(first, header_end)
    body_rows = range(header_end, grid.rows)

    heads = sorted((c for c in grid.cells if header_rows.start <= c.r0 < header_rows.stop and c.text.strip()),
                   key=lambda c: (c.r0, c.c0))
    # a 栏次 row numbers the columns (栏次 | 1 | 2 …): its numbers are no header words
    counting = {r for r in header_rows if any(COUNTING_ROW.match(clean(c.text)) for c in heads if c.r0 == r)
                and all(COUNTING_ROW.match(clean(c.text)) or is_number(clean(c.text)) for c in heads if c.r0 == r)}
    heads = [c for c in heads if c.r0 not in counting]
    # a 行次 column numbers the lines (1, 2, 3 …): no figures in it
    line_cols = {c for cell in heads if LINE_NUMBER_HEADER.match(clean(cell.text)) for c in range(cell.c0, cell.c1)}

    def header_path(c: int) -> list[str]:
        path: list[str] = []
        for cell in heads:
            if not cell.c0 <= c < cell.c1:
                continue
            t = clean(cell.text)
            if t and not COUNTING_ROW.match(t) and not (cell.c1 - cell.c0 >= grid.cols and grid.cols > 2):
                if not path or path[-1] != t:
                    path.append(t)
        return path

    paths = [header_path(c) for c in range(grid.cols)]
    place = list(range(grid.cols))  # each column's place in the table it continues (its own in a new table)
    if continues is not None:
        found = _places(grid, continues, at, body_rows)
        if found is None:
            return None
        place = found
        paths = [continues.columns[k].split("/") if continues.columns[k] else [] for k in place]
    kinds = []
    for c in range(grid.cols):
        nums = n_texts = codes = 0
        for r in body_rows:
            cell = at.get((r, c))
            if cell is None or cell.r0 != r or _home(cell) != c:
                continue
            t = clean(cell.text)
            if not t:
                continue
            if CODE.match(t) and any(CODE_HEADER.search(p) for p in paths[c]):
                codes += 1
            elif is_number(t):
                nums += 1
            elif t in ("-", "—", "--", "－", "/", "—-"):
                nums += 1
            else:
                n_texts += 1
        head = paths[c][-1] if paths[c] else ""
        if c in line_cols:
            kinds.append("line")  # 行次: the template's line numbers (1, 2, 3 …), no figures
        elif codes or (any(CODE_HEADER.search(p) for p in paths[c]) and not nums):
            kinds.append("code")
        elif n_texts > nums:
            kinds.append("text")
        elif nums:
            kinds.append("value")
        else:
            kinds.append("value" if head and not re.search(r"名称|项目$|科目$", head) else "empty")
    # a code column whose cells are all numbers that no header calls a code: a value column with integers
    for c, kind in enumerate(kinds):
        if kind == "value" and not paths[c] and c + 1 < grid.cols and kinds[c + 1] == "text":
            col_texts = [clean(at[(r, c)].text) for r in body_rows
                         if (r, c) in at and _home(at[(r, c)]) == c and clean(at[(r, c)].text)]
            if col_texts and all(CODE.match(t) and len(t) in (3, 5, 7) for t in col_texts):
                kinds[c] = "code"
    columns = ["/".join(p) for p in paths]
    # segments: a run of code/text columns opens a segment that holds the value columns after it
    segments: list[tuple[list[int], list[int], list[int]]] = []
    for c, kind in enumerate(kinds):
        if kind in ("code", "text"):
            if not segments or segments[-1][2]:
                segments.append(([], [], []))
            segments[-1][0 if kind == "code" else 1].append(c)
        elif kind == "value":
            if not segments:
                segments.append(([], [], []))
            segments[-1][2].append(c)
    rows: list[Row] = []
    last_code: dict[int, str] = {}  # per segment: the code of the row above, for 款/项 printed without their 类
    for r in body_rows:
        for s, (code_cols, text_cols, value_cols) in enumerate(segments):
            code = ""
            parts = [(cell, clean(cell.text).replace(" ", "")) for cell in _distinct(at, r, code_cols)]
            for cell, part in parts:
                code = part if part.startswith(code) else code + part  # 201 | 06 | 01, or 201 | 20106 | 2010601
            # 类 / 款 / 项 columns where a row prints only its own part (06 under 款): the levels above are the
            # row's parents, printed on the rows before it
            filled = [k for k, c in enumerate(code_cols) if any(cell.c0 <= c < cell.c1 and part for cell, part in parts)]
            if len(code_cols) >= 2 and filled and filled[0] > 0 and CODE.match(code) and len(code) == 2:
                above_code = last_code.get(s, "")
                need = 3 + 2 * (filled[0] - 1)
                code = above_code[:need] + code if len(above_code) >= need else code
            if CODE.match(code) and len(code) >= 3:
                last_code[s] = code
            labels = [(cell, clean(cell.text)) for cell in _distinct(at, r, text_cols) if clean(cell.text)]
            label = labels[-1][1] if labels else ""
            group = labels[-2][1] if len(labels) > 1 else ""
            if labels and labels[-1][0].r0 != r and labels[-1][0].r1 - labels[-1][0].r0 > 1:
                # the label cell spans rows and started above: its values are read on its first row
                if not any((r, c) in at and at[(r, c)].r0 == r and clean(at[(r, c)].text) for c in value_cols):
                    continue
            entries = []
            for c in value_cols:
                cell = at.get((r, c))
                if cell is None or cell.r0 != r or _home(cell) != c:
                    continue
                t = clean(cell.text)
                if t:
                    entries.append(Entry(columns[c], t, cell.page, cell.box, place[c]))
            if not entries and not code and not label or HEADER_WORDS.match(label):
                continue  # an empty row, or another table's header drawn inside this grid
            if not CODE.match(code):
                # a label cell that holds the code too ('2013101 行政运行'), or no code at all
                m = re.match(r"^(\d{3,7})\s*(\D.*)$", label)
                code, label = (m.group(1), m.group(2).strip()) if m else ("", label)
            page = next((e.page for e in entries), grid.page)
            # labels folded as the document text is ('公共财政拨款（补助）资金' and '(补助)' are one row name)
            rows.append(Row(code, normalize(label), tuple(entries), page, normalize(group)))
    title = title_of(above)
    header = tuple(clean(c.text) for c in grid.cells if header_rows.start <= c.r0 < header_rows.stop and clean(c.text))
    continued = bool(CONTINUED.search(" ".join(above))) or (not title and not header)
    return Table(title=CONTINUED.sub("", title).strip(), unit=unit_of(above) or unit_of(header),
                 pages=(grid.page,) if grid.page else (), columns=tuple(columns), rows=tuple(rows),
                 header=header, continued=continued, above=tuple(above), xs=grid.xs)


def _places(grid: Grid, prev: Table, at, body_rows) -> list[int] | None:
    """For each column of a continuation grid, the column of the table it continues: by place when both are ruled
    alike, else by where its cells stand on the page."""
    if len(prev.columns) == grid.cols:
        return list(range(grid.cols))
    if not grid.xs or not prev.xs:
        return None
    out = []
    for c in range(grid.cols):
        mids = sorted((cell.box[0] + cell.box[2]) / 2 for cell in {id(v): v for v in at.values()}.values()
                      if cell.box and _home(cell) == c and cell.r0 in body_rows and cell.text.strip())
        x = mids[len(mids) // 2] if mids else (grid.xs[c] + grid.xs[c + 1]) / 2
        k = next((i for i in range(len(prev.xs) - 1) if prev.xs[i] <= x < prev.xs[i + 1]), None)
        if k is None and not mids:
            # an empty column outside the table it continues (a thin strip by the frame): nothing to place
            k = 0 if x < prev.xs[0] else len(prev.xs) - 2
        if k is None:
            return None
        out.append(k)
    return out


def _home(cell: GridCell) -> int:
    """The column a cell belongs to: the middle of its span (a body cell drawn across a header's inner box and
    the gaps around it sits under that header)."""
    return (cell.c0 + cell.c1 - 1) // 2


def _distinct(at, r: int, cols) -> list[GridCell]:
    """The distinct cells of row r over some columns, left to right (a cell spanning several counts once)."""
    out: list[GridCell] = []
    for c in cols:
        cell = at.get((r, c))
        if cell is not None and all(cell is not o for o in out):
            out.append(cell)
    return out


def _positions(cells) -> dict[tuple[int, int], GridCell]:
    at: dict[tuple[int, int], GridCell] = {}
    for cell in cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                at[(r, c)] = cell
    return at


def split_at_title(grid: Grid) -> list[Grid]:
    """A grid whose frame holds the end of one table and the start of the next (a page that begins with the last
    row of a continued table, then '财政拨款政府性基金支出预算表' in a cell across every column): two grids, cut
    above that title row. Only when rows with figures stand above it and no cell crosses the cut."""
    at = _positions(grid.cells)
    for k in range(1, grid.rows):
        cells = [c for c in grid.cells if c.r0 == k]
        if len(cells) != 1 or cells[0].c1 - cells[0].c0 < grid.cols - 1:
            continue
        t = clean(cells[0].text)
        if not TITLE_END.search(t) or is_number(t) or len(t) > 60:
            continue
        if any(c.r0 < k < c.r1 for c in grid.cells):
            continue
        if not any(is_number(clean(at[(r, c)].text)) for r in range(k) for c in range(grid.cols) if (r, c) in at):
            continue
        top = Grid(tuple(c for c in grid.cells if c.r1 <= k), k, grid.cols, grid.above, grid.page, grid.xs)
        rest = Grid(tuple(replace(c, r0=c.r0 - k, r1=c.r1 - k) for c in grid.cells if c.r0 >= k), grid.rows - k,
                    grid.cols, (), grid.page, grid.xs)
        return [top, *split_at_title(rest)]
    return [grid]


def read_tables(grids: list[Grid]) -> list[Table]:
    """Tables from a document's grids in page order; a grid that continues the table before it is joined to it.

    A grid continues the previous table when it is on the next page (or the same), has as many columns, and has no
    title of its own (or says 续表): its rows are then read under the previous table's columns.
    """
    out: list[Table] = []
    for grid in (part for whole in grids for part in split_at_title(whole)):
        table = build_table(grid)
        if table is None:
            continue
        prev = out[-1] if out else None
        if prev is not None and (len(prev.columns) == len(table.columns) or (prev.xs and grid.xs)) \
                and (not table.title or table.continued) \
                and (grid.page is None or not prev.pages or 0 <= grid.page - prev.pages[-1] <= 1):
            more = build_table(grid, continues=prev)
            if more is not None:
                out[-1] = replace(prev, rows=prev.rows + more.rows, pages=tuple(dict.fromkeys(prev.pages + more.pages)))
                continue
        out.append(table)
    return out
