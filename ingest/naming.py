"""Naming a number: which indicator the words around it make it, by the catalog and a few rules of reading.

Catalog words nearest the number win; generic words (年初预算, 支出决算, 预算数) are aspects of the subject named
before them; 基本支出 under a budget subject is budgeted; a listed 收、支 gives each number its own item; what the
catalog does not know gets a descriptive code made of the report's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from yearwise.ingest import numbers, phrases
from yearwise.ingest.candidates import Candidate
from yearwise.ingest.catalog import Indicator, compatible, fold
from yearwise.ingest.classify import Reading
from yearwise.ingest.context import Memory, Setting
from yearwise.ingest.rules import naming as naming_rules
from yearwise.ingest.sentences import Sentence
from yearwise.ingest.tables import COMPOSITE

# a label ending in a preposition or a bare verb names nothing: the noun follows the number
LABEL_BEFORE_OBJECT = re.compile(
    r"(?:对|向|为|给|把|将|从|在|与|和|及|或|等|共|有|现有|共有|拥有|下设|设有|关于|完成|实现|开展|组织|举办|培训|服务|新增|达到|支持"
    r"|联办|合办|召开)$"  # '与新华日报社联办12期法制专刊' counts 法制专刊, '组织召开 2 次…座谈会' the 座谈会
)
# verbs whose object stands after the count ('拟制定和修改 11 件法规'): the label is the verb and its object
VERB_BEFORE_OBJECT = re.compile(r"(?:修改|修订|审议|制定|听取)$")
ABOUT_OBJECT = re.compile(r"\s*[次件个项]?\s*关于([\u4e00-\u9fff、和及]{2,24}?)(?=[,，;；。]|$)")
# only after a preposition may the words after a number name a catalog indicator ('对12个项目开展绩效自评')
PREPOSITION_END = re.compile(r"(?:对|向|为|给|把|将|从|在)$")
LABEL_NOISE = re.compile(r"[\s\d.%]+")
PURPOSE_AFTER = re.compile(r"\s*(?:用于|作为)")
LABEL_AFTER = re.compile(r"\s*(?:用于|作为|的)?([\u4e00-\u9fff]{2,14}?)(?=[为是的和及与,;:。、(]|[^\u4e00-\u9fff]|$)")
COMPARISON_TAIL = re.compile(r"(?:较上年|比上年|同比|与上年相比).*$")
YEAR_LEAD = re.compile(r"^.*\d\s*年度?")  # '2022年度收、支总计': the list starts after the year
LIST_VERB_TAIL = re.compile(r"(?:各|分别)?(?:是|为|增加|减少|增长|下降)?$")
# a label is kept whole up to 40 characters: a 款 and its 项 run to 26 (党委办公厅(室)及相关机构事务 + 一般行政管理事务支出),
# and a label cut to its last characters names a word nobody wrote (item.公厅(室)…, item.位离退休…)
MAX_LABEL = 40
MAX_COMPOSITE = 36  # a table cell's row · column words
SCORE_LABEL = re.compile(r"(?:得分|分值|权重|评分|分数)$")

# aspects and families keyed by catalog code: ingest/data/naming.toml (what a report family changes is in
# ingest/data/families.toml and reaches here as setting.family)
_RULES = naming_rules()
FAMILY_CHILDREN = _RULES.family_children
FAMILIES = _RULES.subject_families
REFINED_BY_SUBJECT = _RULES.refined_by_subject
ASPECTS = _RULES.aspects
ASPECT_WORDS = _RULES.aspect_words
SPENT_AS = _RULES.spent_as
# words before an aspect that name the whole department, not an item of it
GENERIC_HEAD = re.compile(r"(?:本?部门|本?单位|我部门|我单位|整体|部门整体(?:支出)?|全年|年度|总体|合计|总计|支出|收入|收支)+")
# the budget subject a section heading names: '…财政事务(款)行政运行(项)'
SUBJECT_ITEM = re.compile(r"([\u4e00-\u9fff]+)\((?:项|款)\)[^()]*$")


@dataclass(frozen=True, slots=True)
class Named:
    """A classified number named: its indicator code and name, where its label starts, its final value and unit."""

    indicator: str
    name: str
    label_start: int  # in the sentence
    value: Decimal
    unit: str


def name(r: Reading, c: Candidate, memory: Memory, setting: Setting) -> tuple[Named | None, Memory]:
    """The indicator a classified number is about; the memory of the last level named moves on."""
    q, catalog = c.quantity, setting.catalog
    value, unit = r.value, r.unit
    if r.budget_gap:  # a gap to the budget is about the last money level named (本年支出 when none was)
        subject, subject_name = memory.last_money or ("spending.total", "本年支出合计")
        suffix, what = r.budget_gap
        return Named(f"{subject}.{suffix}", f"{subject_name}{what}", r.label_start, value, unit), memory
    indicator, label, label_start, memory = _name_number(q, r.label_source, c.left, c.left_from, r.measure, r.kind,
                                                         memory, setting, c.run, c.sentence)
    if r.kind == "bare" and indicator and (named := catalog.get(indicator)):
        value, unit = _unit_of_bare(q, named.unit_kind, c.sentence.unit_header, value, unit)
    if c.sentence.table and SCORE_LABEL.search(label or "") and not q.raw_unit:
        value, unit = Decimal(q.raw_value.replace(",", "")), "分"  # a 得分/分值 column counts points, not money
    if r.rule == "level.prior_year" and not catalog.match(phrases.PATTERNS["class_mark"].sub("", r.label_source)) and memory.last_level:
        indicator, label, label_start = memory.last_level, memory.last_level_name, c.left_from  # 比上年7211.12万元
    if indicator is None:
        return None, memory
    if r.rule != "level.prior_year":  # what a following bare 增长x% is about
        memory = replace(memory, last_level=indicator, last_level_name=label)
        if r.measure in ("level", "change"):
            memory = replace(memory, last_level_unit=unit)
        if r.measure == "level" and unit == "万元":
            memory = replace(memory, last_money=(indicator, label))
    return Named(indicator, label, label_start, value, unit), memory


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


def _name_number(q, label_source: str, left: str, left_from: int, measure: str, kind: str, memory: Memory,
                 setting: Setting, run, sentence: Sentence):
    """The indicator code and name of a number, where its label starts (in the sentence), and the memory after."""
    catalog = setting.catalog
    marked = label_source
    label_source = phrases.PATTERNS["class_mark"].sub("", label_source)
    label_kind = "percent" if measure in ("change_rate", "share") else kind
    if measure in ("change", "change_rate", "share"):
        found = [m for m in catalog.matches(label_source) if compatible(m[2].unit_kind, "percent" if kind == "points" else "money")] if label_source else []
        ind = max(found, key=lambda t: (t[1], t[1] - t[0]))[2] if found else None
        if ind and memory.last_level and _restates(memory.last_level_words, _words(label_source, found), ind):
            # '财政拨款收、支总预算…。与上年相比收、支预算总计各增加…': the shorter name means the last subject
            return memory.last_level, memory.last_level_name, left_from, memory
        if ind and run and run[1] > 1:
            ind = _distribute(label_source, run, catalog) or ind
            listed = list(memory.listed)
            listed[run[0] : run[0] + 1] = [ind.code]
            memory = replace(memory, listed=tuple(listed))
        elif ind is None and run and run[1] > 1 and len(memory.listed) == run[1]:
            code = memory.listed[run[0]]  # '各下降23.51%、38.28%': the same list, in order
            known = catalog.get(code)
            return code, known.name if known else code, left_from, memory
        if ind:
            memory = _set_subject(ind, memory)
            code = _family(ind, memory, setting)
            known = catalog.get(code)
            return code, known.name if known else ind.name, left_from, memory
        whole = phrases.WHOLE_LABELS.get(re.sub(r"^.*[,:;]|(?:较上年|比上年|同比|与上年相比|决算数|预算数)+$", "", label_source.strip()))
        known = catalog.get(whole) if whole else None
        if known:
            code = _family(known, memory, setting)
            return code, catalog.by_code[code].name, left_from, memory
        if memory.last_level:
            return memory.last_level, memory.last_level_name, left_from, memory
        return None, "", 0, memory
    all_matches = [] if COMPOSITE in label_source else catalog.matches(label_source)
    matches = [(s, e, ind) for s, e, ind in all_matches if compatible(ind.unit_kind, label_kind)]
    if matches:
        s, e, ind = max(matches, key=lambda t: (t[1], t[1] - t[0]))
        if run and run[1] > 1:
            ind = _distribute(label_source, run, catalog) or ind
            memory = replace(memory, listed=(*(memory.listed if run[0] else ()), ind.code))
        if _is_aspect(ind, fold(label_source)[s:e]):
            aspect, memory = _aspect_of(ind, [m for m in all_matches if m[1] <= s], memory, setting,
                                        sentence.offset + left_from, fold(label_source)[s:e], fold(label_source)[:s])
            if aspect:
                return aspect[0], aspect[1], left_from + _label_offset(left, label_source, s), memory
        memory = _set_subject(ind, memory)
        code = _family(ind, memory, setting)
        ind2 = catalog.get(code) or ind
        memory = replace(memory, last_level_words=_words(label_source, [(s, e, ind)]))
        return code, ind2.name, left_from + _label_offset(left, label_source, s), memory
    if kind == "bare":
        return None, "", 0, memory
    label = _with_its_kuan(marked, _descriptive(label_source), setting, sentence.offset + left_from)
    whole = phrases.WHOLE_LABELS.get(COMPARISON_TAIL.sub("", label))
    known = catalog.get(whole) if whole and kind == "money" else None
    if known:
        code = _family(known, memory, setting)
        memory = replace(memory, last_level_words="")
        return code, catalog.by_code[code].name, left_from + max(0, len(left) - len(label) - 2), memory
    if (not label or LABEL_BEFORE_OBJECT.search(label)) and measure == "level":
        # '完成56个鲲鹏适配测试认证方案', '对12个项目开展绩效自评', '30万元用于审计': the label follows
        after = _descriptive_after(sentence.text[q.end :])
        # the catalog names it only after a preposition ('对12个项目开展绩效自评'); '…职责和2名行政编制' is a transfer
        # and never after 用于/作为: '30万元用于基建工程项目预算编制' is that purpose's money (item.…), no budget total
        ind = catalog.match(after, kind) if after and (not label or PREPOSITION_END.search(label)) \
            and not PURPOSE_AFTER.match(sentence.text, q.end) else None
        if ind:
            return ind.code, ind.name, q.start, memory
        if after:
            prefix = "output" if kind == "count" else ("rate" if kind == "percent" else "item")
            return f"{prefix}.{after}", after, q.start, memory
    if not label:
        return None, "", 0, memory
    prefix = "output" if kind == "count" else "item"
    if kind == "percent":
        prefix = "rate"
    at = left_from + max(0, len(left) - len(label) - 2)  # where the label before the number starts
    if kind == "count" and measure == "level" and VERB_BEFORE_OBJECT.search(label):
        # '拟制定和修改 11 件法规', '继续审议5件法规': a count after a verb is of its object, named with the verb that
        # tells the counts of one sentence apart (output.拟制定和修改法规, output.继续审议法规)
        about = ABOUT_OBJECT.match(sentence.text, q.end)  # '5 次关于计划、预算决算和审计工作报告': the whole list
        obj = about.group(1) if about else _descriptive_after(sentence.text[q.end :])
        if obj:
            label = f"{label}{obj}"
    return f"{prefix}.{label}", label, at, memory


def _is_aspect(ind: Indicator, words: str) -> bool:
    if ind.code not in ASPECTS:
        return False
    spellings = ASPECT_WORDS.get(ind.code)
    return spellings is None or words in spellings


def _aspect_of(ind: Indicator, before, memory: Memory, setting: Setting, offset: int, words: str = "",
               head: str = "") -> tuple[tuple[str, str] | None, Memory]:
    """`<subject>.<aspect>` for a generic word, the subject being named before it, in the sentence or the section
    (`offset`: where the words are in the view)."""
    aspect = ASPECTS[ind.code]
    if aspect == "adjusted_budget" and words in setting.family.plain_words:
        aspect = None  # in a 部门预算 every figure is a budget: 会议费预算支出 is just 会议费
    subject = next((m[2] for m in reversed(before) if m[2].code not in ASPECTS and m[2].unit_kind == "money"), None)
    if subject is None and aspect in RATE_OF_LAST_LEVEL and memory.subject is not None and memory.last_money:
        # '三公经费…完成预算的13.68%,其中:因公出国(境)费决算为0.00万元,完成预算的0.00%': the rate of the figure the
        # sentence has just named (the overseas trips), not of its subject (三公经费)
        last = setting.catalog.get(memory.last_money[0])
        if last is not None and last.unit_kind == "money" and last.code not in ASPECTS:
            subject = last
    if subject is None and memory.subject is not None and memory.subject.code not in ASPECTS \
            and memory.subject.unit_kind == "money":
        subject = memory.subject
    if subject is not None and aspect is None and subject.code in SPENT_AS:
        spent = setting.catalog.by_code[SPENT_AS[subject.code]]
        return (spent.code, spent.name), memory
    if subject is not None:
        memory = _set_subject(subject, memory)
        code = subject.code if aspect is None else f"{subject.code}.{aspect}"
        return (code, subject.name + ("" if aspect is None else ind.name)), memory
    named = _descriptive(head) if head and not before else ""
    if named and not GENERIC_HEAD.fullmatch(named):  # '单位预留机动经费预算数为…': the words before name the item
        return (f"item.{named}" + (f".{aspect}" if aspect else ""), named + ("" if aspect is None else ind.name)), memory
    item = _line_item(setting, offset) or _section_item(setting, offset)
    if item:
        code = f"item.{item}." + (aspect or "final")
        return (code, item + ind.name), memory
    return None, memory


# rates of a figure against its budget: about the money level named last in the sentence
RATE_OF_LAST_LEVEL = frozenset({"completion_rate", "execution_rate"})
GENERIC_ITEM = re.compile(r"([\u4e00-\u9fff]{2,12})[(（]项[)）]")
KUAN = re.compile(r"([\u4e00-\u9fff]{2,30})[(（]款[)）]")
CLASS_HEADING = re.compile(r"[(（]类[)）]")


def _with_its_kuan(marked: str, label: str, setting: Setting, offset: int) -> str:
    """'2.一般行政管理事务(项)支出 3,666 万元' under '检察(款): …': a 项 every 款 has, named without its 款, takes the
    款 named above it under the same 类 (item.检察一般行政管理事务支出, as '检察(款)一般行政管理事务(项)' names it)."""
    m = GENERIC_ITEM.search(marked)
    if not m or KUAN.search(marked) or not phrases.PATTERNS["generic_items"].fullmatch(m.group(1)) \
            or not label.startswith(m.group(1)):
        return label
    window = setting.view.text[max(0, offset - 1500) : offset]
    heading = max((h.end() for h in CLASS_HEADING.finditer(window)), default=0)
    kuans = [k.group(1) for k in KUAN.finditer(window, heading)]
    if not kuans:
        return label
    kuan = re.split(r"[(（)）]", kuans[-1])[-1]
    return (kuan + label)[-MAX_LABEL:] if len(kuan) >= 2 else label


LINE_ITEM = re.compile(r"([\u4e00-\u9fff]{2,30})\((?:项|款)\)")


def _line_item(setting: Setting, offset: int) -> str | None:
    """'…其他行政事业单位养老支出(项)。主要用于:…。年初预算为0.94万元': the 项/款 the line names before a figure."""
    lo = max(0, offset - 200)
    window = setting.view.text[lo:offset]
    window = window[window.rfind("\n") + 1 :]
    return _class_item(window)


def _class_item(words: str) -> str | None:
    """The last 项/款 some words name; '财政事务(款)行政运行(项)': a 项 every 款 has keeps the 款 named before it."""
    found = list(LINE_ITEM.finditer(words))
    if not found:
        return None
    last = found[-1]
    if last.group(0).endswith("(项)") and phrases.PATTERNS["generic_items"].fullmatch(last.group(1)) \
            and len(found) > 1 and found[-2].end() == last.start() and found[-2].group(0).endswith("(款)"):
        return found[-2].group(1) + last.group(1)
    return last.group(1)


def _section_item(setting: Setting, offset: int) -> str | None:
    """The budget subject the section at a view offset is about, when its heading names one with (项)/(款)."""
    section = setting.outline.section_at(setting.view.to_source(offset, offset + 1)[0])
    heading = section.rsplit(" > ", 1)[-1]
    m = SUBJECT_ITEM.search(heading)
    return (_class_item(heading[: m.end()]) or m.group(1)) if m else None


def _restates(last_words: str, words: str, ind: Indicator) -> bool:
    """Whether a change's plain total words refer back to a fund-qualified subject just named."""
    if last_words.endswith(words) and len(last_words) > len(words):
        return True
    qualified = phrases.PATTERNS["fund_qualifiers"].match(last_words)
    return bool(qualified) and not phrases.PATTERNS["fund_qualifiers"].search(words) and ind.category in ("accounts", "budget", "revenue", "spending") and ind.code.endswith(("total", "income_total", "expenditure_total"))


def _words(label: str, found) -> str:
    """The catalog words a match covers, in folded form."""
    s, e, _ = max(found, key=lambda t: (t[1], t[1] - t[0]))
    return fold(label)[s:e]


def _label_offset(left: str, label_source: str, folded_start: int) -> int:
    """Start of a catalog match inside `left` (folding only drops quotes/spaces: close enough, clamped)."""
    return min(folded_start, len(left))


def _set_subject(ind: Indicator, memory: Memory) -> Memory:
    """The first catalog indicator a sentence names is its subject."""
    if memory.subject is None:
        return replace(memory, subject=ind, family=FAMILIES.get(ind.code))
    return memory


def _family(ind: Indicator, memory: Memory, setting: Setting) -> str:
    """基本支出 under a 全年预算 subject is budget.basic; in a budget report it is budgeted too."""
    if ind.code in setting.family.renames:
        return setting.family.renames[ind.code]
    if ind.code in REFINED_BY_SUBJECT and memory.subject is not None:
        part = memory.subject.code.rsplit(".", 1)[-1]
        return f"{ind.code.rsplit('.', 1)[0]}.{part}" if part in ("basic", "project") else ind.code
    child = FAMILY_CHILDREN.get(ind.code)
    if not child:
        return ind.code
    family = memory.family or setting.family.child_family
    if family and family != "spending":
        return f"{family}.{child}"
    return ind.code


def _distribute(label: str, run, catalog) -> Indicator | None:
    """'收、支总计各是A,B' / '基本支出和项目支出分别为A和B': the i-th number belongs to the i-th listed item.

    Items split on 、 first; on 和/及/与 only when that gives the right count (社会保障和就业支出 is one item).
    """
    position, size = run
    listed = LIST_VERB_TAIL.sub("", YEAR_LEAD.sub("", label.rstrip()))
    for separator in ("、", "[和及与]"):
        m = re.search(rf"[\u4e00-\u9fff]+(?:{separator}[\u4e00-\u9fff]+)+$", listed)
        items = re.split(separator, m.group()) if m else []
        if len(items) == size:
            break
    else:
        return None
    head = len(items[0])
    last = items[-1]
    if catalog.match(items[0]) and catalog.match(last) and not catalog.match(last[:head]):
        suffix = ""  # 基本支出和项目支出: each item is whole
    else:
        items[-1], suffix = last[:head], last[head:]  # 收、支总计: the last item carries the shared tail
    item = items[position]
    return catalog.match(item + suffix) or catalog.match(item)


# a bracket inside a word is part of it: 维修(护)费, 因公出国(境)费 (not a break before 费支出)
IN_WORD_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])\((?![一二三四五六七八九十]+\))([\u4e00-\u9fff]{1,3})\)(?=[\u4e00-\u9fff])")


def _descriptive(left: str) -> str:
    """A short label from the words before a number: the last clause, minus fillers and verbs."""
    kept = IN_WORD_BRACKET.sub("\x01\\1\x02", left)
    listed = phrases.PATTERNS["etc_list"].search(kept) or phrases.PATTERNS["shared_head"].search(kept)
    if listed:  # '公诉、审判、侦查、执行等检察监督支出', '主任、副主任联席会议': one label, its 、 kept
        kept = kept[: listed.start()] + "、" + listed.group(0).replace("、", "\x03")
    parts = [p.replace("\x01", "(").replace("\x02", ")").replace("\x03", "、")
             for p in phrases.PATTERNS["label_break"].split(kept) if p.strip()]
    label = parts[-1].strip() if parts else ""
    label = phrases.PATTERNS["label_lead"].sub("", label)
    label = phrases.PATTERNS["label_tail"].sub("", label).strip()
    label = LABEL_NOISE.sub("", label)
    if COMPOSITE in left:  # a table cell named by its row and its column
        return re.sub(r"[\s|]+", "", left)[-MAX_COMPOSITE:]
    if len(label) < 2 or not phrases.CJK.search(label):
        return ""
    return label[-MAX_LABEL:]


def label_after_span(sentence: str, end: int) -> str:
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
