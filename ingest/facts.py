"""Extraction: from a document's text to facts, each with its measure, scope, period and provenance.

The walk is sentence by sentence over the matching view (simplified, glosses removed). Every number
the numbers module finds is classified by the words just before it (ingest/phrases.py) and named by
the indicator catalog (ingest/data/indicators.csv); numbers no catalog row names get a descriptive
`output.*`, `economy.*` or `item.*` code built from their own label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest import numbers, phrases
from ingest.catalog import Indicator, _fold as fold, compatible, load_catalog
from ingest.metadata import detect
from ingest.model import Document, Fact, Report
from ingest.outline import Outline
from ingest.view import GLOSS, View, make_view

# a sentence worth reading: it has a digit, a Chinese numeral with a unit, or a number said in words
STATES_A_NUMBER = re.compile(r"\d|[〇零一二两兩三四五六七八九十百千]\s*(?:[万亿]?元|个|人|名|家|项|次|%)|持平|无增减|无结转|没有结转")
SENTENCE_END = re.compile(r"[。！？!?\n]")
CLAUSE_END = re.compile(r"[;；]")
TABLE_LINE = re.compile(r"\||\d\s+[-\d]|\d\s+[\u4e00-\u9fff]")
PROSE = re.compile(r",(?!\d{3}(?:\D|$))|。|\d\s*(?:万元|亿元|元|%|人|个|名|家|项)")
# 一般公共服务(类)支出 / 行政运行(项): the level of a function class is not part of the name
CLASS_MARK = re.compile(r"\((?:类|款|项)\)")
# a line that is one number in a table cell ('238.93 |'): it belongs to the row label above it
NUMBER_CELL = re.compile(r"\s*-?[\d,.]+\s*%?\s*\|?\s*")
THRESHOLD_AFTER = re.compile(r"\s*(?:\(含\))?\s*(?:及|或)?(?:以上|以下|以内)")
THRESHOLD_BEFORE = re.compile(r"(?:[≥≤><]=?|不低于|不高于|不少于|不超过|不足|低于|高于)\s*$")
# a label ending in a preposition or a bare verb names nothing: the noun follows the number
LABEL_BEFORE_OBJECT = re.compile(
    r"(?:对|向|为|给|把|将|从|在|与|和|及|或|等|共|有|现有|共有|拥有|下设|设有|关于|完成|实现|开展|组织|举办|培训|服务|新增|达到|支持)$"
)
# a row that is the total of its table: its cells are what their columns say
CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_BEFORE_LABEL = re.compile(r"[\s|]*[\u4e00-\u9fff]")
SCORE_LABEL = re.compile(r"(?:得分|分值|权重|评分|分数)$")
TOTAL_ROW = re.compile(r"(?:年度)?(?:资金)?(?:总额|合计|总计|小计)|项目|金额|总计|合计")
COMPOSITE = "·"
PREPOSITION_END = re.compile(r"(?:对|向|为|给|把|将|从|在)$")
BOTH = re.compile(r"([\u4e00-\u9fff]{2,12})(?:与|和|及|、)([\u4e00-\u9fff]{2,12}?)(?:均|都)(?:为|是|达)?\s*$")
LIST_GAP = re.compile(r"[\s,、和及]*")
RATE_NAME_TAIL = re.compile(r"(?:为|是|达|:)?\s*$")
LABEL_NOISE = re.compile(r"[\s\d.%]+")
LABEL_AFTER = re.compile(r"\s*(?:用于|作为|的)?([\u4e00-\u9fff]{2,14}?)(?=[为是的和及与,;:。、(]|[^\u4e00-\u9fff]|$)")
COMPARISON_TAIL = re.compile(r"(?:较上年|比上年|同比|与上年相比).*$")
ANY_PERIOD = re.compile(r"半年|季度|\d\s*[-~至到]\s*\d{1,2}\s*月")
MAX_LABEL = 18
MAX_QUOTE_LEFT = 40
ZERO = Decimal(0)
# generic spending words take their family from the sentence's subject (全年预算收入…其中基本支出 is a budget)
FAMILY_CHILDREN = {"spending.basic": "basic", "spending.project": "project", "spending.other": "other"}
# generic words that say which aspect of a subject a number is (年初预算 of 行政运行(项), 完成预算的 of 三公经费):
# with a subject in view, the fact is `<subject>.<aspect>` (None: the subject's own level), not the department total
ASPECTS = {
    "budget.initial.total": "initial_budget",
    "budget.total": "adjusted_budget",
    "budget.completion_rate": "completion_rate",
    "budget.execution_rate": "execution_rate",
    "spending.total": None,
}
ASPECT_WORDS = {"spending.total": ("支出决算", "决算数", "决算", "实际支出", "实际支出数")}
# the spending that a budget subject's 实际支出 is: 基本支出年初预算…，实际支出X is spending.basic
SPENT_AS = {"budget.total": "spending.total", "budget.initial.total": "spending.total",
            "budget.basic": "spending.basic", "budget.initial.basic": "spending.basic",
            "budget.project": "spending.project", "budget.initial.project": "spending.project",
            "budget.other": "spending.other"}  # only these spellings of spending.total are aspects
# words before an aspect that name the whole department, not an item of it
GENERIC_HEAD = re.compile(r"(?:本?部门|本?单位|我部门|我单位|整体|部门整体(?:支出)?|全年|年度|总体|合计|总计|支出|收入|收支)+")
PLAIN_BUDGET_WORDS = {"预算", "预算数", "预算总额"}
SUBJECT_ITEM = re.compile(r"([\u4e00-\u9fff]+)\((?:项|款)\)[^()]*$")
# in a 部门预算 the totals are the budget's: 收支预算总计 is the year's budget, not final accounts
IN_A_BUDGET = {
    "accounts.total": "budget.total",
    "accounts.expenditure_total": "budget.total",
    "spending.total": "budget.total",
}
# a rate stated of the sentence's subject: 基本支出…预决算增幅 is the basic-spending variance
REFINED_BY_SUBJECT = {"budget.final_variance_rate.total"}
FAMILIES = {"budget.total": "budget", "budget.initial.total": "budget.initial", "spending.total": "spending"}


@dataclass(slots=True)
class Context:
    """What the walk remembers between numbers: the subject and the last level named."""

    year: int | None
    doc_kind: str
    unit_header: str | None = None
    subject: Indicator | None = None  # first catalog indicator of the sentence
    family: str | None = None  # budget | budget.initial | spending, from the subject
    last_level: str | None = None  # indicator code of the last level fact
    last_level_name: str = ""
    last_level_unit: str = "万元"
    last_money: tuple | None = None  # (code, name) of the last money level: what 大于预算数 is about
    last_level_words: str = ""
    both: list = field(default_factory=list)  # (code, name) of the two things a '均为' sentence is about  # the catalog words that named the last level (folded)
    offset: int = 0  # view offset of the sentence being read
    catalog: object = None  # the indicator catalog, loaded once per report
    listed: list = field(default_factory=list)  # codes of the last '收、支…各' list, in order
    section_item: object = None  # view offset -> the 行政运行 of a '…(款)行政运行(项)' heading, or None


def extract_report(document: Document, *, department=None, year=None, doc_kind=None) -> Report:
    """Read department, year and kind from the text, then walk it for facts."""
    view = make_view(document.text, unwrap=document.format == "txt")  # PDF readers join their own wraps
    meta = detect(view.text)
    dept = department or _source_spelling(meta.department, view, document.text)
    fiscal_year, year_source = (year, "option") if year else (meta.year, "text")
    if fiscal_year is None:  # the text never says (a bare table file): the file name is the last resort
        fiscal_year, year_source = _year_in_name(document.source), "file name"
    kind = doc_kind or meta.doc_kind
    outline = Outline.from_text(document.text)
    ctx = Context(year=fiscal_year, doc_kind=kind, catalog=load_catalog())
    ctx.section_item = lambda offset: _section_item(outline, view, offset)
    facts = []
    for fact in _walk(view, ctx):
        start, end = view.to_source(fact["start"], fact["end"])
        raw_start, raw_end = view.to_source(fact["raw_start"], fact["raw_end"])
        quote = document.text[start:end]
        section = outline.section_at(start)
        if kind == "performance_evaluation" and fact["indicator"].startswith("item.") and phrases.OUTPUT_SECTIONS.search(section):
            fact["indicator"] = "output." + fact["indicator"][5:]
        facts.append(
            Fact(
                indicator=fact["indicator"], indicator_name=fact["name"], measure=fact["measure"],
                value=fact["value"], unit=fact["unit"], year=fact["year"], quote=quote, start=start, end=end,
                rule=fact["rule"], section=section, period=fact["period"], scope=fact["scope"],
                approximate=fact["approximate"], compared_to=fact["compared_to"],
                raw_value=document.text[raw_start:raw_end], raw_unit=fact["raw_unit"],
            )
        )
    return Report(document=document, doc_kind=kind, department=dept, year=fiscal_year, facts=facts,
                  year_source=year_source if fiscal_year else "unknown")


def _year_in_name(source: str) -> int | None:
    m = re.search(r"(?<!\d)(20\d\d|19\d\d)(?!\d)", source.replace("\\", "/").rsplit("/", 1)[-1])
    return int(m.group(1)) if m else None


def _section_item(outline: Outline, view: View, offset: int) -> str | None:
    """The budget subject a section is about, when its heading names one with (项)/(款)."""
    section = outline.section_at(view.to_source(offset, offset + 1)[0])
    leaf = section.rsplit(" > ", 1)[-1]
    m = SUBJECT_ITEM.search(leaf)
    return m.group(1) if m else None


def _source_spelling(name: str | None, view: View, text: str) -> str | None:
    """The department as the document spells it (traditional characters stay traditional)."""
    if not name:
        return None
    i = view.text.find(name)
    if i < 0:
        return name
    s, e = view.to_source(i, i + len(name))
    return re.sub(r"\s+", "", GLOSS.sub("", text[s:e]))


def _walk(view: View, ctx: Context):
    text = view.text
    pos = 0
    header: list[str] = []  # the cells of the last line without numbers: column names or a row label
    for m in SENTENCE_END.finditer(text + "\n"):
        sentence = text[pos : m.start()]
        if STATES_A_NUMBER.search(sentence):
            yield from _sentence(sentence, pos, ctx, header)
            if not NUMBER_CELL.fullmatch(sentence) and "|" not in sentence and PROSE.search(sentence):
                header = []  # prose ends a table; its rows keep the header
        else:
            if (h := phrases.UNIT_HEADER.search(sentence)):
                ctx.unit_header = h.group("unit") or h.group("unit2")
            if "|" in sentence:  # cells keep their places, empty ones too
                cells = [c.strip() for c in sentence.split("|")]
            else:  # a PDF header: space-separated, with '合 计' spaced out inside a cell
                cells = re.split(r"\s+", re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff](?:\s|$))", "", sentence.strip()))
            if any(cells):
                header = cells if len(cells) > 1 else [re.sub(r"^其中[:：]?", "", cells[0])]
        pos = m.end()


def _table_label(left: str, row_label: str, header: list[str] | None, i: int, n: int, catalog,
                 cell: int | None) -> tuple[str, str]:
    """The words that name a table cell: its row's label, its column's header, or both ('财政资金·全年预算数').

    `cell` is the cell's place in a ' | ' row (exact); without it, numbers align with the header from the right.
    """
    own = left.strip(" |\t")
    if own:
        row_label = re.sub(r"^其中[:：]?", "", own.rsplit("|", 1)[-1].strip())
    if header and cell is not None:
        col = header[cell] if cell < len(header) else ""
    elif header and not row_label:
        col = header[i] if i < len(header) else ""  # a row of numbers only: its cells start at the first column
    else:
        col = _column_label(header, i, n) if header else ""
    if own and (not col or catalog.match(CLASS_MARK.sub("", own))):
        return left, row_label  # the row names the number itself (or no header says more)
    if not col:
        return left, row_label  # a further column nobody names: dropped by _name
    if not row_label or TOTAL_ROW.fullmatch(row_label):
        return col, row_label  # the total row: the column says what the number is
    return f"{row_label}{COMPOSITE}{col}", row_label


def _column_label(labels: list[str], i: int, n: int) -> str:
    """The header cell above the i-th of n numbers in a row of numbers (aligned from the right)."""
    k = len(labels) - n + i
    return labels[k] if 0 <= k < len(labels) else ""


def _sentence(sentence: str, offset: int, ctx: Context, row_labels: list[str] | None = None):
    """Facts of one sentence (a line or a 。-delimited run)."""
    if (h := phrases.UNIT_HEADER.search(sentence)):
        ctx.unit_header = h.group("unit") or h.group("unit2")
    table = "|" in sentence or (bool(TABLE_LINE.search(sentence)) and not PROSE.search(sentence))
    default_unit = ctx.unit_header if table and ctx.unit_header else None
    period = _period(sentence)
    found = numbers.scan(sentence, default_unit=default_unit)
    kept = [_keep(q, sentence, table) for q in found]
    quantities = [q for q, k in zip(found, kept) if k]
    dropped_ends = [q.end for q, k in zip(found, kept) if not k]
    semicolons = [c.end() for c in CLAUSE_END.finditer(sentence)]
    ctx.subject = None
    ctx.family = None
    ctx.both = []
    ctx.offset = offset
    clause_start = 0
    prev_end = 0
    runs = _runs(sentence, quantities)
    region_mark = phrases.REGION_MARKERS.search(sentence)
    region_at = region_mark.start() if region_mark else len(sentence)
    run_left = (0, "")
    row_label = ""
    for i, q in enumerate(quantities):
        # a ；ends a clause: what came before no longer labels what follows
        semi = [e for e in semicolons if prev_end < e <= q.start] if semicolons else None
        if semi:
            clause_start = semi[-1]
        left_from = max(prev_end, clause_start, *(e for e in dropped_ends if e <= q.start))
        left = sentence[left_from : q.start]
        run = runs.get(i)
        if run and run[0] > 0:  # '各减少1267.86,2570.97万元': later members share the first one's words
            left_from, left = run_left
        elif run:
            run_left = (left_from, left)
        if table:
            cell = sentence.count("|", 0, q.start) if "|" in sentence else None
            left, row_label = _table_label(left, row_label, row_labels, i, len(quantities), ctx.catalog, cell)
            run = None
        clause = sentence[clause_start : q.start]
        region = region_at < q.start and not phrases.SELF_MARKERS.search(clause)
        fact = _classify(q, left, left_from, sentence, ctx, run, table)
        prev_end = q.end
        if fact is None:
            continue
        fact.update(period=period, scope="region" if region else "department")
        if region and fact["indicator"].startswith(("item.", "output.")):
            fact["indicator"] = "economy." + fact["indicator"].split(".", 1)[1]
        for key in ("start", "end", "raw_start", "raw_end"):
            fact[key] += offset
        yield from _each_of_both(fact, left, ctx)
    yield from _zero_statements(sentence, offset, ctx, period)


def _each_of_both(fact: dict, left: str, ctx: Context):
    """'收入总计与支出总计均为X万元，较上年增加Y万元': one number stated of two things gives one fact each."""
    m = BOTH.search(left) if ("均" in left or "都" in left) else None
    items = [ctx.catalog.match(w) for w in (m.group(1), m.group(2))] if m else []
    if len(items) == 2 and all(items) and items[0].code != items[1].code and fact["indicator"] in (i.code for i in items):
        ctx.both = [(ind.code, ind.name) for ind in items]
    elif not (ctx.both and fact["measure"] != "level" and fact["indicator"] == ctx.both[-1][0]):
        yield fact
        return
    for code, name in ctx.both:
        yield {**fact, "indicator": code, "name": name, "rule": fact["rule"] + ".both"}


def _keep(q, sentence: str, table: bool) -> bool:
    """Drop thresholds (单价100万元(含)以上, ≥50个) and bare integers in tables (subject codes)."""
    if THRESHOLD_AFTER.match(sentence, q.end) or THRESHOLD_BEFORE.search(sentence, 0, q.start):
        return False
    if q.kind == "count" and q.raw_value in ("一", "两", "兩"):
        return False  # 一个单位, 两个覆盖: an article or a slogan, not a count
    if q.kind != "bare" and q.raw_unit:
        return True
    if table:  # a table cell: decimals are values; an integer is a value after a row label, a code before one
        if "." in q.raw_value or "," in q.raw_value or q.raw_value == "0":
            return True
        row_start = sentence.rfind("\n", 0, q.start) + 1
        return bool(CJK.search(sentence, row_start, q.start)) and not CODE_BEFORE_LABEL.match(sentence, q.end)
    return True  # bare prose numbers survive only when a catalog label names them (see _classify)


def _runs(sentence: str, quantities) -> dict[int, tuple[int, int]]:
    """Groups of numbers separated only by list separators ('4125.49,4143.91万元'): index -> (position, size)."""
    runs: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(quantities):
        j = i
        while j + 1 < len(quantities) and LIST_GAP.fullmatch(sentence, quantities[j].end, quantities[j + 1].start):
            j += 1
        if j > i:
            for k in range(i, j + 1):
                runs[k] = (k - i, j - i + 1)
        i = j + 1
    return runs


def _period(sentence: str) -> str:
    if not ANY_PERIOD.search(sentence):  # one cheap look before the table of periods
        return "FY"
    for rx, name in phrases.PERIODS:
        if (m := rx.search(sentence)):
            return name.format(**m.groupdict())
    return "FY"


def _change_verb(left: str):
    """The change verb governing a number, if any: right before it, or before a short object."""
    for rx in (phrases.CHANGE_TAIL, phrases.CHANGE_WITH_OBJECT, phrases.COMPARED_TAIL):
        if (m := rx.search(left)):
            return m
    return None


def _sign(verb: str) -> int:
    return phrases.EXTRA_SIGNS.get(verb) or numbers.direction(verb) or 1


def _classify(q, left: str, left_from: int, sentence: str, ctx: Context, run, table: bool) -> dict | None:
    """Measure, indicator and sign of one number from the words before it."""
    value, unit, kind = q.value, q.unit, q.kind
    verb = None if table else _change_verb(left)
    if verb and _names_a_rate(left, ctx.catalog):
        verb = None  # 预决算增幅6.71%: the verb is part of an indicator's name
    year = ctx.year
    compared_to = None
    label_source = left
    if verb:
        word = verb.group("verb")
        if kind == "bare" and (word in phrases.RATE_VERBS or "." in q.raw_value):
            kind, unit = "percent", "%"  # '增长 13.95。', '减少100万元，减少9.52，': the % was forgotten
        if kind == "bare":
            return None
        measure = "change_rate" if kind in ("percent", "points") else "change"
        value = -abs(value) if _sign(word) < 0 else abs(value)
        cy = list(phrases.COMPARED_YEAR.finditer(sentence[: q.start]))
        compared_to = int(cy[-1].group("year")) if cy else (year - 1 if year else None)
        label_source = left[: verb.start()]
        rule = "change." + ("rate" if measure == "change_rate" else "amount")
    elif kind == "money" and (over := phrases.OVER_BUDGET_TAIL.search(left)):
        # '决算数大于预算数55.93万元': final accounts minus budget, a level of its own
        measure, rule = "level", "level.over_budget"
        value = -abs(value) if _sign(over.group("verb")) < 0 else abs(value)
        subject, name = ctx.last_money or ("spending.total", "本年支出合计")
        return _fact(q, sentence, f"{subject}.over_budget", f"{name}决算与预算之差", measure, value, unit, year,
                     None, rule, left_from + over.start())
    elif kind == "percent" and phrases.SHARE_TAIL.search(left) and not _catalog(left, "percent", ctx.catalog):
        measure, rule = "share", "share"
        label_source = ""
    elif kind in ("money", "count") and (prior := phrases.PRIOR_LEVEL_TAIL.search(left)):
        measure, rule = "level", "level.prior_year"
        year = int(prior.group("year")) if prior.group("year") else (year - 1 if year else None)
        label_source = left[: prior.start()]
    else:
        measure, rule = "level", "table.cell" if table else "level"
        if not table and kind in ("money", "count") and (earlier := phrases.EARLIER_YEAR_CLAUSE.search(left)):
            # '上年度列入此项的预留机动经费128.43万元', '2017年决算数为…' in a 2018 report: that year's level
            said = int(earlier.group("year")) if earlier.group("year") else (year - 1 if year else None)
            if year and said and year - 3 <= said < year:
                year, rule = said, "level.earlier_year"

    indicator, name, label_start = _name(q, label_source, left, left_from, measure, kind, ctx, run, sentence)
    if table and SCORE_LABEL.search(name or "") and not q.raw_unit:  # a 得分/分值 column counts points, not money
        value, unit = Decimal(q.raw_value.replace(",", "")), "分"
    if rule == "level.prior_year" and not ctx.catalog.match(CLASS_MARK.sub("", label_source)) and ctx.last_level:
        indicator, name, label_start = ctx.last_level, ctx.last_level_name, left_from  # 比上年7211.12万元: the subject's
    if indicator is None:
        return None
    if rule != "level.prior_year":  # what a following bare 增长x% is about
        ctx.last_level, ctx.last_level_name = indicator, name
        if measure in ("level", "change"):
            ctx.last_level_unit = unit
        if measure == "level" and unit == "万元":
            ctx.last_money = (indicator, name)
    return _fact(q, sentence, indicator, name, measure, value, unit, year, compared_to, rule, label_start)


def _fact(q, sentence: str, indicator: str, name: str, measure: str, value, unit: str, year, compared_to, rule: str,
          label_start: int) -> dict:
    """The fact's fields, its quote running from its label (at most MAX_QUOTE_LEFT back) to its number."""
    quote_start = max(label_start, q.start - MAX_QUOTE_LEFT)
    raw_at = sentence.find(q.raw_value, q.start, q.end)
    raw_start = raw_at if raw_at >= 0 else q.start
    after = _descriptive_after_span(sentence, q.end) if label_start == q.start else ""
    return {
        "indicator": indicator, "name": name, "measure": measure, "value": value, "unit": unit,
        "year": year, "compared_to": compared_to, "rule": rule, "approximate": q.approximate,
        "raw_unit": q.raw_unit, "start": min(quote_start, q.start), "end": q.end + len(after),
        "raw_start": raw_start, "raw_end": raw_start + len(q.raw_value),
    }


def _names_a_rate(left: str, catalog) -> bool:
    """Whether a percent-measured catalog name ends where the words before the number end."""
    tail = RATE_NAME_TAIL.sub("", left)
    return any(e == len(tail) and ind.unit_kind == "percent" for _, e, ind in catalog.matches(tail))


def _catalog(label: str, kind: str, catalog) -> Indicator | None:
    return catalog.match(label, kind)


def _name(q, label_source: str, left: str, left_from: int, measure: str, kind: str, ctx: Context, run, sentence: str):
    """The indicator code and name of a number, and where its label starts (relative to the sentence)."""
    catalog = ctx.catalog
    label_source = CLASS_MARK.sub("", label_source)
    label_kind = "percent" if measure in ("change_rate", "share") else kind
    if measure in ("change", "change_rate", "share"):
        found = [m for m in catalog.matches(label_source) if compatible(m[2].unit_kind, "money")] if label_source else []
        ind = max(found, key=lambda t: (t[1], t[1] - t[0]))[2] if found else None
        if ind and ctx.last_level and _restates(ctx.last_level_words, _words(label_source, found), ind):
            # '财政拨款收、支总预算…。与上年相比收、支预算总计各增加…': the shorter name means the last subject
            return ctx.last_level, ctx.last_level_name, left_from
        if ind and run and run[1] > 1:
            ind = _distribute(label_source, run, catalog) or ind
            ctx.listed[run[0] : run[0] + 1] = [ind.code]
        elif ind is None and run and run[1] > 1 and len(ctx.listed) == run[1]:
            code = ctx.listed[run[0]]  # '各下降23.51%、38.28%': the same list, in order
            return code, catalog.get(code).name if catalog.get(code) else code, left_from
        if ind:
            _set_subject(ind, ctx)
            code = _family(ind, ctx)
            return code, catalog.get(code).name if catalog.get(code) else ind.name, left_from
        whole = phrases.WHOLE_LABELS.get(re.sub(r"^.*[,:;]|(?:较上年|比上年|同比|与上年相比|决算数|预算数)+$", "", label_source.strip()))
        if whole and catalog.get(whole):
            code = _family(catalog.get(whole), ctx)
            return code, catalog.get(code).name, left_from
        if ctx.last_level:
            return ctx.last_level, ctx.last_level_name, left_from
        return None, "", 0
    all_matches = [] if COMPOSITE in label_source else catalog.matches(label_source)
    matches = [(s, e, ind) for s, e, ind in all_matches if compatible(ind.unit_kind, label_kind)]
    if matches:
        s, e, ind = max(matches, key=lambda t: (t[1], t[1] - t[0]))
        if run and run[1] > 1:
            ind = _distribute(label_source, run, catalog) or ind
            if run[0] == 0:
                ctx.listed = []
            ctx.listed.append(ind.code)
        if _is_aspect(ind, fold(label_source)[s:e]):
            aspect = _aspect_of(ind, [m for m in all_matches if m[1] <= s], ctx, left_from, fold(label_source)[s:e],
                                fold(label_source)[:s])
            if aspect:
                return aspect[0], aspect[1], left_from + _label_offset(left, label_source, s)
        _set_subject(ind, ctx)
        code = _family(ind, ctx)
        ind2 = catalog.get(code) or ind
        ctx.last_level_words = _words(label_source, [(s, e, ind)])
        return code, ind2.name, left_from + _label_offset(left, label_source, s)
    if kind == "bare":
        return None, "", 0
    label = _descriptive(label_source)
    whole = phrases.WHOLE_LABELS.get(COMPARISON_TAIL.sub("", label))
    if whole and kind == "money" and catalog.get(whole):
        code = _family(catalog.get(whole), ctx)
        ctx.last_level_words = ""
        return code, catalog.get(code).name, left_from + max(0, len(left) - len(label) - 2)
    if (not label or LABEL_BEFORE_OBJECT.search(label)) and measure == "level":
        # '完成56个鲲鹏适配测试认证方案', '对12个项目开展绩效自评', '30万元用于审计': the label follows
        after = _descriptive_after(sentence[q.end :])
        # the catalog names it only after a preposition ('对12个项目开展绩效自评'); '…职责和2名行政编制' is a transfer
        ind = catalog.match(after, kind) if after and (not label or PREPOSITION_END.search(label)) else None
        if ind:
            return ind.code, ind.name, q.start
        if after:
            prefix = "output" if kind == "count" else ("rate" if kind == "percent" else "item")
            return f"{prefix}.{after}", after, q.start
    if not label:
        return None, "", 0
    prefix = "output" if kind == "count" else "item"
    if kind == "percent":
        prefix = "rate"
    return f"{prefix}.{label}", label, left_from + max(0, len(left) - len(label) - 2)


def _is_aspect(ind: Indicator, words: str) -> bool:
    if ind.code not in ASPECTS:
        return False
    spellings = ASPECT_WORDS.get(ind.code)
    return spellings is None or words in spellings


def _aspect_of(ind: Indicator, before, ctx: Context, left_from: int, words: str = "",
               head: str = "") -> tuple[str, str] | None:
    """`<subject>.<aspect>` for a generic word, the subject being named before it, in the sentence or the section."""
    aspect = ASPECTS[ind.code]
    if aspect == "adjusted_budget" and ctx.doc_kind == "budget" and words in PLAIN_BUDGET_WORDS:
        aspect = None  # in a 部门预算 every figure is a budget: 会议费预算支出 is just 会议费
    subject = next((m[2] for m in reversed(before) if m[2].code not in ASPECTS and m[2].unit_kind == "money"), None)
    if subject is None and ctx.subject is not None and ctx.subject.code not in ASPECTS \
            and ctx.subject.unit_kind == "money":
        subject = ctx.subject
    if subject is not None and aspect is None and subject.code in SPENT_AS:
        spent = ctx.catalog.get(SPENT_AS[subject.code])
        return spent.code, spent.name
    if subject is not None:
        _set_subject(subject, ctx)
        code = subject.code if aspect is None else f"{subject.code}.{aspect}"
        return code, subject.name + ("" if aspect is None else ind.name)
    named = _descriptive(head) if head and not before else ""
    if named and not GENERIC_HEAD.fullmatch(named):  # '单位预留机动经费预算数为…': the words before name the item
        return f"item.{named}" + (f".{aspect}" if aspect else ""), named + ("" if aspect is None else ind.name)
    item = ctx.section_item(ctx.offset + left_from) if ctx.section_item else None
    if item:
        code = f"item.{item}." + (aspect or "final")
        return code, item + ind.name
    return None


def _restates(last_words: str, words: str, ind: Indicator) -> bool:
    """Whether a change's plain total words refer back to a fund-qualified subject just named."""
    if last_words.endswith(words) and len(last_words) > len(words):
        return True
    qualified = phrases.FUND_QUALIFIER.match(last_words)
    return bool(qualified) and not phrases.FUND_QUALIFIER.search(words) and ind.category in ("accounts", "budget", "revenue", "spending") and ind.code.endswith(("total", "income_total", "expenditure_total"))


def _words(label: str, found) -> str:
    """The catalog words a match covers, in folded form."""
    s, e, _ = max(found, key=lambda t: (t[1], t[1] - t[0]))
    return fold(label)[s:e]


def _label_offset(left: str, label_source: str, folded_start: int) -> int:
    """Start of a catalog match inside `left` (folding only drops quotes/spaces: close enough, clamped)."""
    return min(folded_start, len(left))


def _set_subject(ind: Indicator, ctx: Context) -> None:
    if ctx.subject is None:
        ctx.subject = ind
        ctx.family = FAMILIES.get(ind.code)


def _family(ind: Indicator, ctx: Context) -> str:
    """基本支出 under a 全年预算 subject is budget.basic; in a budget report it is budgeted too."""
    if ctx.doc_kind == "budget" and ind.code in IN_A_BUDGET:
        return IN_A_BUDGET[ind.code]
    if ind.code in REFINED_BY_SUBJECT and ctx.subject is not None:
        part = ctx.subject.code.rsplit(".", 1)[-1]
        return f"{ind.code.rsplit('.', 1)[0]}.{part}" if part in ("basic", "project") else ind.code
    child = FAMILY_CHILDREN.get(ind.code)
    if not child:
        return ind.code
    family = ctx.family or ("budget" if ctx.doc_kind == "budget" else None)
    if family and family != "spending":
        return f"{family}.{child}"
    return ind.code


def _distribute(label: str, run, catalog) -> Indicator | None:
    """'收、支总计各是A,B': the i-th number belongs to the i-th listed item (the last item carries the shared tail)."""
    position, size = run
    listed = re.sub(r"(?:各|分别)?(?:是|为|增加|减少|增长|下降)?$", "", label.rstrip())
    m = re.search(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+$", listed)
    if not m:
        return None
    items = m.group().split("、")
    if len(items) != size:
        return None
    head = len(items[0])
    last = items[-1]
    items[-1], suffix = last[:head], last[head:]
    item = items[position]
    return catalog.match(item + suffix) or catalog.match(item)


def _descriptive(left: str) -> str:
    """A short label from the words before a number: the last clause, minus fillers and verbs."""
    parts = [p for p in phrases.LABEL_BREAK.split(left) if p.strip()]
    label = parts[-1].strip() if parts else ""
    label = phrases.LABEL_LEAD.sub("", label)
    label = phrases.LABEL_TAIL.sub("", label).strip()
    label = LABEL_NOISE.sub("", label)
    if COMPOSITE in left:  # a table cell named by its row and its column
        return re.sub(r"[\s|]+", "", left)[-2 * MAX_LABEL :]
    if len(label) < 2 or not CJK.search(label):
        return ""
    return label[-MAX_LABEL:]


def _descriptive_after_span(sentence: str, end: int) -> str:
    """The text a label after a number covers, to end the quote with it ('56个' + '鲲鹏适配测试认证方案')."""
    label = _descriptive_after(sentence[end:])
    if not label:
        return ""
    i = sentence.find(label, end)
    return sentence[end : i + len(label)] if 0 <= i - end <= 4 else ""


def _descriptive_after(right: str) -> str:
    """A label from the words right after a number (up to the next break)."""
    m = LABEL_AFTER.match(right)
    return m.group(1) if m else ""


def _zero_statements(sentence: str, offset: int, ctx: Context, period: str):
    """Numbers a report states in words: 无结转结余 is a carry-over of 0; 持平 is a change of 0."""
    for m in re.finditer(r"无结转结余(?:资金)?|没有结转结余", sentence):
        yield {
            "indicator": "budget.carryover", "name": "结转结余", "measure": "level", "value": ZERO, "unit": "万元",
            "year": ctx.year, "compared_to": None, "rule": "zero.no_carryover", "approximate": False, "raw_unit": "",
            "start": offset + m.start(), "end": offset + m.end(), "raw_start": offset + m.start(),
            "raw_end": offset + m.end(), "period": period, "scope": "department",
        }
    for m in phrases.FLAT_WORDS.finditer(sentence):
        if not ctx.last_level or ctx.subject is None:  # flat of what? only of a subject this sentence named
            continue
        yield {
            "indicator": ctx.last_level, "name": ctx.last_level_name, "measure": "change", "value": ZERO,
            "unit": ctx.last_level_unit, "year": ctx.year, "compared_to": ctx.year - 1 if ctx.year else None,
            "rule": "zero.flat", "approximate": False, "raw_unit": "", "start": offset + m.start(),
            "end": offset + m.end(), "raw_start": offset + m.start(), "raw_end": offset + m.end(),
            "period": period, "scope": "department",
        }
