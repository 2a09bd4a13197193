"""Extraction: from a document's text to facts, each with its measure, scope, period and provenance.

The walk is sentence by sentence over the matching view (simplified, glosses removed). Every number
the numbers module finds is classified by the words just before it (level, change, rate or share, by
ingest/phrases.py) and named by ingest/naming.py (the catalog, aspects, descriptive codes); table
cells are named by ingest/tables.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from yearwise.ingest import numbers, phrases
from yearwise.ingest.catalog import Indicator, load_catalog
from yearwise.ingest.metadata import PLACEHOLDER, detect
from yearwise.ingest.model import REGION_KINDS, Document, Fact, IngestError, Report
from yearwise.ingest.naming import CLASS_MARK, SUBJECT_ITEM, catalog_match, label_after_span, name_number, names_a_rate
from yearwise.ingest.outline import Outline
from yearwise.ingest.tables import NUMBER_CELL, header_cells, table_label
from yearwise.ingest.view import GLOSS, View, make_view

# a sentence worth reading: it has a digit, a Chinese numeral with a unit, or a number said in words
STATES_A_NUMBER = re.compile(r"\d|[〇零一二两兩三四五六七八九十百千]\s*(?:[万亿]?元|个|人|名|家|项|次|%)|持平|无增减|无结转|没有结转")
SENTENCE_END = re.compile(r"[。！？!?\n]")
CLAUSE_END = re.compile(r"[;；]")
TABLE_LINE = re.compile(r"\||\d\s+[-\d]|\d\s+[\u4e00-\u9fff]")
PROSE = re.compile(r",(?!\d{3}(?:\D|$))|。|\d\s*(?:万元|亿元|元|%|人|个|名|家|项)")
THRESHOLD_AFTER = re.compile(r"\s*(?:\(含\))?\s*(?:及|或)?(?:以上|以下|以内)")
THRESHOLD_BEFORE = re.compile(r"(?:[≥≤><]=?|不低于|不高于|不少于|不超过|不足|低于|高于)\s*$")
# an integer right before a label in a table row is a subject code (201 一般公共服务支出), not a value
CODE_BEFORE_LABEL = re.compile(r"[\s|]*[\u4e00-\u9fff]")
SCORE_LABEL = re.compile(r"(?:得分|分值|权重|评分|分数)$")
BOTH = re.compile(r"([\u4e00-\u9fff]{2,12})(?:与|和|及|、)([\u4e00-\u9fff]{2,12}?)(?:均|都)(?:为|是|达)?\s*$")
LIST_GAP = re.compile(r"[\s,、和及]*")
ANY_PERIOD = re.compile(r"半年|季度|\d\s*[-~至到]\s*\d{1,2}\s*月")
MAX_QUOTE_LEFT = 40
ZERO = Decimal(0)


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
    last_level_words: str = ""  # the catalog words that named the last level (folded)
    both: list = field(default_factory=list)  # (code, name) of the two things a '均为' sentence is about
    offset: int = 0  # view offset of the sentence being read
    against_budget: bool = False  # this sentence's changes are stated against the budget (比年初预算增加…)
    catalog: object = None  # the indicator catalog, loaded once per report
    listed: list = field(default_factory=list)  # codes of the last '收、支…各' list, in order
    section_item: object = None  # view offset -> the 行政运行 of a '…(款)行政运行(项)' heading, or None


def extract_report(document: Document, *, department=None, year=None, doc_kind=None) -> Report:
    """Read department, year and kind from the text, then walk it for facts.

    A template (a placeholder for the department or the year, and no figures) is refused with that reason; a real
    report with a stray placeholder is kept and flagged; a department that is itself a placeholder is no department.
    """
    view = make_view(document.text, unwrap=document.format == "txt")  # PDF readers join their own wraps
    meta = detect(view.text, source=document.source)
    found = meta.department if meta.department and not PLACEHOLDER.search(meta.department) else None
    dept = department or _source_spelling(found, view, document.text)
    fiscal_year, year_source = (year, "option") if year else (meta.year, "text")
    if fiscal_year is None:  # the text never says (a bare table file): the file name is the last resort
        fiscal_year, year_source = _year_in_name(document.source), "file name"
    kind = doc_kind or meta.doc_kind
    outline = Outline.from_text(document.text)
    ctx = Context(year=fiscal_year, doc_kind=kind, catalog=load_catalog())
    ctx.section_item = lambda offset: _section_item(outline, view, offset)
    facts = []
    region_kind = kind in REGION_KINDS
    for fact in _walk(view, ctx):
        start, end = view.to_source(fact["start"], fact["end"])
        raw_start, raw_end = view.to_source(fact["raw_start"], fact["raw_end"])
        quote = document.text[start:end]
        section = outline.section_at(start)
        if kind == "performance_evaluation" and fact["indicator"].startswith("item.") and phrases.OUTPUT_SECTIONS.search(section):
            fact["indicator"] = "output." + fact["indicator"][5:]
        if region_kind:  # a district's finance report or a news article speaks of the region, not of one body
            fact["scope"] = "region"
        facts.append(
            Fact(
                indicator=fact["indicator"], indicator_name=fact["name"], measure=fact["measure"],
                value=fact["value"], unit=fact["unit"], year=fact["year"], quote=quote, start=start, end=end,
                rule=fact["rule"], section=section, period=fact["period"], scope=fact["scope"],
                approximate=fact["approximate"], compared_to=fact["compared_to"],
                raw_value=document.text[raw_start:raw_end], raw_unit=fact["raw_unit"],
                page=bisect_right(document.page_starts, start) if document.page_starts else None,
            )
        )
    flags = []
    if meta.placeholder:
        if not any(f.value for f in facts):
            raise IngestError(document.source, f"a template, not a report: placeholder '{meta.placeholder[:40]}' "
                                               "and no figures")
        flags.append(f"placeholder: {meta.placeholder[:60]}")
    if department:
        flags.append("department given")
    elif meta.department and not found:
        flags.append(f"placeholder department: {meta.department}")
    return Report(document=document, doc_kind=kind, department=dept, year=fiscal_year, facts=facts,
                  year_source=year_source if fiscal_year else "unknown", entity_level=meta.entity_level,
                  evidence=meta.evidence, flags=tuple(flags))


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
            header = header_cells(sentence) or header
        pos = m.end()






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
    ctx.against_budget = False
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
            left, row_label = table_label(left, row_label, row_labels, i, len(quantities), ctx.catalog, cell)
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
    if THRESHOLD_AFTER.match(sentence, q.end) or THRESHOLD_BEFORE.search(sentence, max(0, q.start - 8), q.start):
        return False
    if q.kind == "count" and q.raw_value in ("一", "两", "兩"):
        return False  # 一个单位, 两个覆盖: an article or a slogan, not a count
    if q.kind != "bare" and q.raw_unit:
        return True
    if table:  # a table cell: decimals are values; an integer is a value after a row label, a code before one
        if "." in q.raw_value or "," in q.raw_value or q.raw_value == "0":
            return True
        row_start = sentence.rfind("\n", 0, q.start) + 1
        return bool(phrases.CJK.search(sentence, row_start, q.start)) and not CODE_BEFORE_LABEL.match(sentence, q.end)
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
    if verb and names_a_rate(left, ctx.catalog):
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
        measure = "change_rate" if kind == "percent" else "change"  # 提高2.3个百分点 changes a rate by points
        value = -abs(value) if _sign(word) < 0 else value  # '增长-5.2%' keeps its own minus
        if phrases.AGAINST_LAST_YEAR.search(left):
            ctx.against_budget = False
        if phrases.AGAINST_BUDGET.search(left, 0, verb.start()) or ctx.against_budget:
            ctx.against_budget = True
            # '比年初预算增加100万元，增长8.8%': against the budget, not last year: a level of its own
            subject, name = ctx.last_money or ("spending.total", "本年支出合计")
            suffix, what = ("over_budget_rate", "超预算比率") if measure == "change_rate" else ("over_budget", "决算与预算之差")
            return _fact(q, sentence, f"{subject}.{suffix}", f"{name}{what}", "level", value, unit, year, None,
                         "level.against_budget", left_from)
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
    elif kind == "percent" and phrases.SHARE_TAIL.search(left) and not catalog_match(left, "percent", ctx.catalog):
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

    indicator, name, label_start = name_number(q, label_source, left, left_from, measure, kind, ctx, run, sentence)
    if kind == "bare" and indicator and (named := ctx.catalog.get(indicator)):
        value, unit = _unit_of_bare(q, named.unit_kind, ctx.unit_header, value, unit)
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


def _unit_of_bare(q, unit_kind: str, unit_header: str | None, value, unit):
    """A number written without its unit, named by the catalog: 总体得分为100 is in 分; a money figure takes the
    unit of the document's last 单位：… header, and stays unit-less where there was none."""
    if unit_kind == "score":
        return value, "分"
    if unit_kind == "money" and unit_header:
        parsed = numbers.parse_quantity(q.raw_value, default_unit=unit_header)
        if parsed is not None and parsed.kind == "money":
            return parsed.value, parsed.unit
    return value, unit


def _fact(q, sentence: str, indicator: str, name: str, measure: str, value, unit: str, year, compared_to, rule: str,
          label_start: int) -> dict:
    """The fact's fields, its quote running from its label (at most MAX_QUOTE_LEFT back) to its number."""
    quote_start = max(label_start, q.start - MAX_QUOTE_LEFT)
    raw_at = sentence.find(q.raw_value, q.start, q.end)
    raw_start = raw_at if raw_at >= 0 else q.start
    after = label_after_span(sentence, q.end) if label_start == q.start else ""
    return {
        "indicator": indicator, "name": name, "measure": measure, "value": value, "unit": unit,
        "year": year, "compared_to": compared_to, "rule": rule, "approximate": q.approximate,
        "raw_unit": q.raw_unit, "start": min(quote_start, q.start), "end": q.end + len(after),
        "raw_start": raw_start, "raw_end": raw_start + len(q.raw_value),
    }






























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
