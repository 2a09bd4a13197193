"""Refining the names of extracted facts by what their own words say, after the walk has named them.

Rules of reading, applied to the facts of one report:
- codes, document numbers, table and page numbers, ranges are not values (苏财预〔2018〕13号, 公开01表, 3-6岁);
- a count of people, bodies or vehicles is named by what it counts (ingest/data/counts.toml), never `output.*`;
- a part never takes the code of its whole: after 其中/包括/含, a number whose code is the code of a level stated
  before the marker (in the sentence, or the sentence before when the marker opens a sentence) is that part,
  named by its own words (`现有编制人员205人。其中,局机关在职113人` is staff.局机关在职, not staff.actual).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from yearwise.ingest.rules import RuleError, read_toml

COUNTS_FILE = Path(__file__).with_name("data") / "counts.toml"
SENTENCE_END = re.compile(r"[。!?\n]")
PART_MARK = re.compile(r"其中|包括|含有|主要有")
CLAUSE_BREAK = re.compile(r"[,，;；:：、。()\[\]|“”\"\n]|其中|包括|分别为|分别是")
LEAD = re.compile(r"^(?:其中|包括|主要|另有|另|以及|和|及|与|共有|共|计|有|为|是|达|截至\S*?年底?)+")
TAIL = re.compile(r"(?:为|是|达到|达|共计|共|计|约|近|超过|超|合计)+$")
# '…离退\n休人员': a line of 20 or more characters wrapped inside a word (a short line is a heading: a break)
WRAP = re.compile(r"(?<=[^\n]{20})(?<=[\u4e00-\u9fff])[ \t]*\n[ \t]*(?=[\u4e00-\u9fff])")
CJK_WORDS = re.compile(r"[\u4e00-\u9fff]{2,16}")
MONEY_FAMILIES = ("spending", "revenue", "budget", "accounts", "procurement", "item")


@dataclass(frozen=True, slots=True)
class CountRule:
    """Counts in `units` whose label holds one of `words` belong to `family`; `code` names the whole."""

    family: str
    units: tuple[str, ...]
    words: tuple[str, ...]
    code: str
    whole: tuple[str, ...]  # labels that state the whole count (the code); any other label is a part or a kind


@lru_cache(maxsize=4)
def count_rules(path: Path = COUNTS_FILE) -> tuple[CountRule, ...]:
    """The count rules, each code checked against the catalog (a code the catalog lacks is an error)."""
    from yearwise.ingest.catalog import load_catalog

    catalog = load_catalog()
    rules = []
    for n, row in enumerate(_entries(path, "count"), start=1):
        words = {k: _words(path, f"count #{n}", row, k) for k in ("units", "words", "whole")}
        rule = CountRule(_code(path, f"count #{n}", row, "family"), words["units"], words["words"],
                         _code(path, f"count #{n}", row, "code"), words["whole"])
        if catalog.get(rule.code) is None:
            raise RuleError(f"{path}: count #{n}: code {rule.code!r} is not in the catalog")
        rules.append(rule)
    return tuple(rules)


def _entries(path, key: str) -> list[dict]:
    entries = read_toml(path).get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise RuleError(f"{path}: `{key}` must be an array of tables ([[{key}]])")
    return entries


def _code(path, where: str, row: dict, key: str) -> str:
    if not isinstance(row.get(key), str) or not row[key]:
        raise RuleError(f"{path}: {where}: `{key}` must be a non-empty string")
    return row[key]


def _words(path, where: str, row: dict, key: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise RuleError(f"{path}: {where}: `{key}` must be a list of words")
    return tuple(value)


# numbers that are not values: a document number (京朝办字〔2019〕47号, 苏财预„2018‟13 号), a table or page number
# (公开 01 表, 表5, 第4页), an age or grade range (3-6岁), an index number (11500221009303972T/2024-00021)
NOT_VALUES = re.compile(
    r"[〔\[【„“\"(]\s*(?:19|20)\d\d\s*[〕\]】‟”\")]\s*(?:第\s*)?\d+\s*号"
    r"|[\u4e00-\u9fff]{1,6}(?:字|发|办|函|预|编)\s*(?:第\s*)?\d+\s*号"
    r"|(?:公开|附|附件)\s*\d+\s*表|表\s*\d+(?![\d.])|第\s*\d+\s*(?:页|部分|章|条)"
    r"|\d+\s*[-~—至到]\s*\d+\s*(?:周岁|岁|歲|年级|年級)"
    r"|[0-9A-Z]{12,}(?:/[\d-]+)?"
)


def refine(facts: list, text: str, doc_kind: str = "unknown") -> list:
    """The facts with non-values dropped, counts named by what they count, qualified totals named by their
    qualifier, parts no longer named as their whole, and a 部门预算's spending named as budget."""
    facts = [_weight(f, text) for f in facts if not _not_a_value(f, text)]
    walked = facts
    facts = [_own_subject(_classification_line(_qualified_total(_labelled_part(_count(f, text), text), text), text),
                          text) for f in facts]
    facts = _follow_level(walked, facts, text)
    facts = _follows(facts, text)
    facts = _parts(facts, text)
    facts = [_meaningful(f, text) for f in facts]
    return [_budget_twin(f) for f in facts] if doc_kind == "budget" else facts


DESCRIPTIVE = ("output", "economy", "item", "rate")


def _meaningful(fact, text: str):
    """A descriptive code made of a function word, a verb, a scope or a column word (output.方面, economy.全区,
    output.汇聚, item.决算数) names nothing: it takes the words of the number's own clause that say what is counted
    ('绩效评级为“良”的项目0个' is output.绩效评级为良的项目), else the noun after the number, else `<family>.other`."""
    from yearwise.ingest.phrases import PATTERNS

    family, _, rest = fact.indicator.partition(".")
    if family not in DESCRIPTIVE or not rest or not PATTERNS["meaningless_label"].fullmatch(rest.split(".")[0]):
        return fact
    at = _number_at(fact)
    from yearwise.ingest.view import GLOSS, simplified

    before = simplified(GLOSS.sub("", text[max(0, at - 40) : at]))
    clause = re.split(r"[,，;；。:：、()\n]|其中|包括", before)[-1]
    words = "".join(re.findall(r"[\u4e00-\u9fff]+", clause))
    words = TAIL.sub("", LEAD.sub("", re.sub(r"^[年度]+", "", words)))
    if re.search(r"上年|相比|增加|减少|增长|下降", words):
        words = ""  # a comparison names no subject
    _, after = _words_around(fact, text)
    after = "" if re.match(r"(?:万元|亿元|元)", after) else re.sub(r"^(?:左右|余|多)", "", after)
    for label in (words if len(words) >= 4 else "", after):
        if label and not PATTERNS["meaningless_label"].fullmatch(label):
            return replace(fact, indicator=f"{family}.{label[-16:]}", indicator_name=label[-16:], rule=fact.rule + ".named")
    return replace(fact, indicator=f"{family}.other", indicator_name="其他", rule=fact.rule + ".named")


def _follow_level(walked: list, facts: list, text: str) -> list:
    """'货物类政府采购支出预算259.32万元,占20.40%': a share or change right after a level, in the same clause and of
    the same walked name, is about that level: when the level's name was refined, the rate follows it."""
    out = list(facts)
    for k in range(1, len(out)):
        level, was, rate = out[k - 1], walked[k - 1], out[k]
        if rate.measure == "level" or level.measure != "level" or level.indicator == was.indicator:
            continue
        gap = text[level.end : rate.start] if level.end <= rate.start else "。"
        if walked[k].indicator == was.indicator and rate.indicator == was.indicator and len(gap) <= 12 \
                and not re.search(r"[。;；\n]", gap):
            out[k] = replace(rate, indicator=level.indicator, indicator_name=level.indicator_name,
                             rule=rate.rule + ".follows")
    return out


# words that name no subject of their own: a change stated with them is about the subject named before
GENERIC_WORDS = {"预算", "预算数", "决算", "决算数", "支出", "收入", "收支", "总计", "合计", "金额", "资金", "经费"}
CHANGE_VERB_TAIL = re.compile(
    r"(?:各|分别|共|累计)?(?:增加|减少|增长|下降|降低|上升|提高|压减|调减|调增|缩减|节约|节省|增|减)(?:了)?(?:幅度)?(?:为|是)?$")
VERB_OBJECT = re.compile(r"^(.*?)(?:增加|减少|调增|调减|压减|缩减)(?!了?$)(.+)$")
REASON_LEAD = re.compile(r"^(?:主要|其中|此外|另外|同时)?(?:原因|是由于|由于|因为|主要是|是)*(?:是|为|:)?(?:由于|因为|因|按规定|根据)?")


def _own_subject(fact, text: str):
    """'…收支总计增加X万元,社会保障和就业支出增加140.96万元': a change whose own clause names a subject of its own
    is about that subject, not about the subject it inherited from the sentence."""
    from yearwise.ingest.catalog import fold, load_catalog

    if fact.measure not in ("change", "change_rate") or fact.indicator.split(".", 1)[0] in ("item", "output", "economy"):
        return fact
    from yearwise.ingest.view import GLOSS, simplified

    at = _number_at(fact)
    before = WRAP.sub("", simplified(GLOSS.sub("", text[max(0, at - 60) : at])))
    clause = re.split(r"[,，;；。:：\n]", before)[-1]
    # '基本支出增加1447.63万元、单位预留机动经费增加3075.14万元': after a stated figure, 、 starts a clause of its own
    clause = re.split(r"(?<=[元%\d])\s*、", clause)[-1]
    base = load_catalog().get(".".join(fact.indicator.split(".")[:2])) or load_catalog().get(fact.indicator)
    if base is None:
        return fact
    folded = fold(re.sub(r"\s+", "", clause))
    if any(w in folded for w in {fold(x) for x in (base.name, *base.synonyms)} - GENERIC_WORDS):
        return fact  # the clause names the subject itself
    words = re.sub(r"\s+", "", clause)
    inner = VERB_OBJECT.match(REASON_LEAD.sub("", words)) if fact.measure == "change" else None
    if inner and inner.group(2) in GENERIC_WORDS:
        inner = None  # '实际较上年增加资金418.98万元': 资金 is no object of its own
    if inner and not inner.group(1):
        # '增加部门预算1464.3万元' after a reason: what was added, a part of the change, named by its own words
        obj = re.sub(r"等$", "", inner.group(2))
        named = load_catalog().match(obj)
        if named is not None and named.code not in TOTALS and fold(obj) in {fold(x) for x in (named.name, *named.synonyms)}:
            return replace(fact, indicator=named.code, indicator_name=named.name, rule=fact.rule + ".own")
        if re.fullmatch(r"[\u4e00-\u9fff()、]{2,20}", obj):
            return replace(fact, indicator=f"item.{obj}", indicator_name=obj, rule=fact.rule + ".own")
    elif inner:  # '基本支出增加人员经费1408.29万元': the subject stands before the verb, its object after
        words = inner.group(1)
    words = re.sub(r"\d{4}\s*年度?", "", words)
    from yearwise.ingest.phrases import PATTERNS

    words = PATTERNS["comparison"].sub("", words)
    words = re.sub(r"\((?:增加|减少|增长|下降|降低)\)", "", words)  # 增加(减少): a template's both ways
    words = CHANGE_VERB_TAIL.sub("", words)
    words = REASON_LEAD.sub("", words)
    words = re.sub(r"(?:预算安排|安排|预算|的|统一)+$", "", words)
    if not re.fullmatch(r"[\u4e00-\u9fff()]{2,20}", words) or words in GENERIC_WORDS \
            or re.search(r"上年|本年|去年|增减|相抵|同比|合计|总计|总体|小于|大于|高于|低于|增幅|降幅|减幅", words):
        return fact
    named = load_catalog().match(words)
    if named is not None and fold(words) in {fold(x) for x in (named.name, *named.synonyms)}:
        return replace(fact, indicator=named.code, indicator_name=named.name, rule=fact.rule + ".own")
    return replace(fact, indicator=f"item.{words}", indicator_name=words, rule=fact.rule + ".own")


# '会议费(款)支出 66.72', '检察(款): 2018 年预算支出合计 16,444.36', '住房公积金(项):支出 1,073.77'
CLASS_LINE = re.compile(r"([\u4e00-\u9fff()（）]{2,24}?)[(（](类|款|项)[)）]\s*[:：]?\s*(?:\d{4}\s*年度?)?\s*"
                        r"(?:预算)?\s*(?:支出)?\s*(?:合计)?\s*(?:为|是)?\s*$")


def _classification_line(fact, text: str):
    """'(7)会议费(款)支出 66.72 万元' is a line of the economic classification (the 款 of basic spending), not the
    department's 会议费: a catalog code gives way to the class item, its level kept (item.会议费(款))."""
    family = fact.indicator.split(".", 1)[0]
    if family in ("item", "output", "economy", "rate", "func", "econ") or fact.unit != "万元":
        return fact
    at = _number_at(fact)
    m = CLASS_LINE.search(text, max(0, at - 40), at)
    if not m:
        return fact
    name = re.sub(r"^.*[,，;；:：、。)）]", "", m.group(1))
    if len(name) < 2:
        return fact
    return replace(fact, indicator=f"item.{name}({m.group(2)})", indicator_name=f"{name}({m.group(2)})",
                   rule=fact.rule + ".class")


def _budget_twin(fact):
    """In a 部门预算 every figure is a budget: 因公出国(境)费预算 180 is budget.overseas_trips, not spending."""
    from yearwise.ingest.catalog import load_catalog

    family, _, rest = fact.indicator.partition(".")
    if family != "spending" or not rest:
        return fact
    head, dot, aspect = rest.partition(".")
    twin = load_catalog().get(f"budget.{head}")
    if twin is None:
        return fact
    return replace(fact, indicator=f"budget.{head}{dot}{aspect}", rule=fact.rule + ".budget")


# totals a qualifier can narrow: 其他资金收入预算总计 80 is other income, 财政专户管理资金收入预算总计 0 is that fund's
TOTALS = ("accounts.income_total", "accounts.expenditure_total", "accounts.total", "revenue.total", "budget.total",
          "procurement.total")
GENERIC_QUALIFIER = re.compile(
    r"^(?:.*?(?:厅|局|院|委员会|委|会|中心|部|办|政府|馆|所|站|园|校))?(?:本级)?"
    r"(?:\d{4}\s*年度?|本年度?|全年|年度|部门|单位|本部门|本单位|总体|合计|总|的|及|和|、|\d+\.|[(（][一二三四五六七八九十\d]+[)）])*"
)


def _qualified_total(fact, text: str):
    """A total whose own clause puts a fund before it (其他资金收入预算总计) is that fund's figure, not the total."""
    from yearwise.ingest.catalog import fold, load_catalog

    if fact.indicator not in TOTALS or fact.measure not in ("level", "share"):
        return fact
    words, _ = _words_around(fact, text)
    catalog = load_catalog()
    spans = [(s, e) for s, e, ind in catalog.matches(words) if ind.code == fact.indicator or ind.code in TOTALS]
    if not words or not spans:
        return fact
    start = min(s for s, _ in spans)
    total = catalog.get(fact.indicator)
    narrower = [ind for s, e, ind in catalog.matches(words) if s < start < e and ind.code not in TOTALS
                and total is not None and ind.category == total.category and ind.unit_kind == "money"]
    if narrower:  # '货物类政府采购支出预算 259.32': the goods of the procurement total, not the total
        return replace(fact, indicator=narrower[0].code, indicator_name=narrower[0].name, rule=fact.rule + ".qualified")
    qualifier = GENERIC_QUALIFIER.sub("", fold(words)[:start])
    if len(qualifier) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", qualifier):
        return fact
    kind = "收入" if "income" in fact.indicator or fact.indicator.startswith("revenue") else "支出"
    named = catalog.match(qualifier + kind) or catalog.match(qualifier)
    if named is not None and named.code not in TOTALS and named.unit_kind == "money":
        return replace(fact, indicator=named.code, indicator_name=named.name, rule=fact.rule + ".qualified")
    return fact


WEIGHT_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,16})\s*[(（]\s*$")
WEIGHT_AFTER = re.compile(r"\s*分\s*[)）]")


def _weight(fact, text: str):
    """'预算执行情况(10分)': the points an evaluation indicator weighs, not an output or a score."""
    if fact.unit != "分" or fact.measure != "level" or not fact.raw_value:
        return fact
    at = _number_at(fact)
    end = at + len(fact.raw_value)
    before = WEIGHT_BEFORE.search(text, max(0, at - 24), at)
    if not before or not WEIGHT_AFTER.match(text, end):
        return fact
    from yearwise.ingest.view import simplified

    label = simplified(before.group(1))
    return replace(fact, indicator=f"evaluation.weight.{label}", indicator_name=f"{label}分值",
                   rule=fact.rule + ".weight")


def _not_a_value(fact, text: str) -> bool:
    at = _number_at(fact)
    if not fact.raw_value:
        return False
    end = at + len(fact.raw_value)
    return any(m.start() <= at and end <= m.end() for m in NOT_VALUES.finditer(text, max(0, at - 24), end + 8))


@lru_cache(maxsize=4)
def follow_rules(path: Path = COUNTS_FILE) -> dict[tuple[str, str], str]:
    """(code before, code) -> code: what a count means right after another (实有人数 after 行政编制)."""
    from yearwise.ingest.catalog import load_catalog

    catalog = load_catalog()
    out = {}
    for n, row in enumerate(_entries(path, "follows"), start=1):
        after, code, becomes = (_code(path, f"follows #{n}", row, k) for k in ("after", "code", "becomes"))
        for c in (after, code, becomes):
            if catalog.get(c) is None:
                raise RuleError(f"{path}: follows #{n}: code {c!r} is not in the catalog")
        out[(after, code)] = becomes
    return out


def _follows(facts: list, text: str) -> list:
    """'行政编制0人,实有人数0人': a count right after another, in the same clause (a comma between), is that one's."""
    rules = follow_rules()
    out = list(facts)
    for k in range(1, len(out)):
        new = rules.get((facts[k - 1].indicator, out[k].indicator))
        gap = text[facts[k - 1].end : out[k].start] if facts[k - 1].end <= out[k].start else "?"
        if new and out[k].measure == "level" and re.fullmatch(r"[人名个\s]*[,，]\s*", gap):
            from yearwise.ingest.catalog import indicator_name

            out[k] = replace(out[k], indicator=new, indicator_name=indicator_name(new), rule=out[k].rule + ".follows")
    return out


def own_words(fact, text: str) -> str:
    """The words of a number's own clause: those right before it, or right after its unit when none stand before."""
    before, after = _words_around(fact, text)
    return before or after


def _words_around(fact, text: str) -> tuple[str, str]:
    """(the words of the clause before the number, the noun right after its unit), simplified, glosses out."""
    from yearwise.ingest.view import GLOSS, simplified

    at = _number_at(fact)
    line = text.rfind("\n", 0, max(0, at - 60))
    before = WRAP.sub("", simplified(GLOSS.sub("", text[max(0, at - 60, line - 30) : at])))  # 實有人數(shù) -> 实有人数
    before = before.rstrip(":： \t")  # '参照公务员管理事业单位:1个': the words before the colon
    cut = [m.end() for m in CLAUSE_BREAK.finditer(before)]
    words = before[cut[-1]:] if cut else before
    words = TAIL.sub("", LEAD.sub("", re.sub(r"\s+", "", words)))
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,16}", words or ""):
        words = ""
    after = simplified(GLOSS.sub("", text[at + len(fact.raw_value) : at + len(fact.raw_value) + 30]))
    m = re.match(r"\s*(?:余|多)?\s*[个人名辆家项次]?\s*([\u4e00-\u9fff]{2,12}?)(?=[,，;；、。:(\s]|和|及|$)", after)
    return words, (m.group(1) if m else "")


def _number_at(fact) -> int:
    i = fact.quote.rfind(fact.raw_value) if fact.raw_value else -1
    return fact.start + (i if i >= 0 else len(fact.quote))


def _count(fact, text: str):
    """A count named `output.*`/`item.*` (or by a catalog code of another family) gets its family's code."""
    if fact.measure != "level" or fact.scope != "department":
        return fact
    family = fact.indicator.split(".", 1)[0]
    if family not in ("output", "item", "org"):  # a catalog code the walk gave stays (parts are _parts' business)
        return fact
    before, after = _words_around(fact, text)
    if family == "org":  # '无下属预算单位,下设0个处室': the noun after the number is what is counted
        rule = next((r for r in count_rules() if r.family == "org" and fact.unit in r.units and after
                     and any(w in after for w in r.words)), None)
        listed = re.search(r"(?:包括|和|及|、)\s*$", text[max(0, _number_at(fact) - 8) : _number_at(fact)])
        if rule is None and listed and after and fact.unit in ("个", "家"):
            # '内设机构包括办公厅、研究室和3个专门委员会': what is counted is the noun after the number
            return replace(fact, indicator=f"org.{after}", indicator_name=after, rule=fact.rule + ".count")
        if rule is None or rule.code == fact.indicator:
            return fact
        return replace(fact, indicator=rule.code, indicator_name=after, rule=fact.rule + ".count")
    for rule, label in ((r, w) for w in (before, after) if w for r in count_rules()):
        if fact.unit not in rule.units or not any(w in label for w in rule.words):
            continue
        exact = _exact_code(label, rule.family) if label == before else None  # '2名行政编制…划入' is no quota
        if rule.family == "org" or label in rule.whole:
            code, name = rule.code, label
        elif exact:
            code, name = exact, label
        else:
            code, name = f"{rule.family}.{label}", label
        return replace(fact, indicator=code, indicator_name=name, rule=fact.rule + ".count")
    return fact


def _exact_code(label: str, family: str) -> str | None:
    """The catalog code of `family` that the label spells exactly (行政编制 is staff.admin_quota), if any."""
    from yearwise.ingest.catalog import fold, load_catalog

    folded = fold(label)
    return next((ind.code for ind in load_catalog() if ind.code.startswith(family + ".")
                 and folded in {fold(s) for s in (ind.name, *ind.synonyms)}), None)


def _parts(facts: list, text: str) -> list:
    """After 其中/包括, a level with the code of a level stated before that marker is a part, named by its own words;
    a count of people after a marker that follows a staff count is staff, not an output."""
    out = list(facts)
    sentences = _sentences(text)
    by_sentence: dict[int, list[int]] = {}
    for k, f in enumerate(out):
        by_sentence.setdefault(_sentence_of(sentences, _number_at(f)), []).append(k)
    for s, members in sorted(by_sentence.items()):
        a, b = sentences[s]
        marks = [m.start() for m in PART_MARK.finditer(text, a, b)]
        if not marks:
            continue
        opens = re.match(r"\s*(?:其中|包括)", text[a:b]) is not None
        earlier = [k for k in by_sentence.get(s - 1, ()) if out[k].measure == "level"] if opens else []
        for k in members:
            f = out[k]
            at = _number_at(f)
            mark = max((m for m in marks if m < at), default=None)
            if f.measure != "level" or mark is None or f.unit == "%":
                continue
            whole = [out[j] for j in [*earlier, *members] if out[j].measure == "level"
                     and (j in earlier or _number_at(out[j]) < mark)]
            if whole and whole[-1].rule.endswith("earlier_year") and f.year != whole[-1].year \
                    and not re.search(r"20\d\d|上年|本年度?(?!支出|收入)|去年", text[mark:at]):
                # '2022年支出总计7100万元,包括本年支出合计7033.15万元': a part of a whole of another year is of that year
                f = out[k] = replace(f, year=whole[-1].year, rule=f.rule + ".year")
            wholes = {out[j].indicator: out[j].value for j in [*earlier, *members]
                      if out[j].measure == "level" and (j in earlier or _number_at(out[j]) < mark)}
            family = f.indicator.split(".", 1)[0]
            words = own_words(f, text)
            if len(words) < 2:
                continue
            if f.indicator in wholes and f.value != wholes[f.indicator]:  # the same figure restated is no part
                prefix = "item" if family in MONEY_FAMILIES else _count_family(f.indicator)
            elif family in ("output", "item") and f.unit in ("人", "名") and any(c.startswith("staff.") for c in wholes):
                prefix = "staff"
            else:
                continue
            out[k] = replace(f, indicator=f"{prefix}.{words}", indicator_name=words, rule=f.rule + ".part")
    return out


def _labelled_part(fact, text: str):
    """'项目支出包括委员活动经费36.3万元': the catalog words name the whole, the number is the part after 包括."""
    from yearwise.ingest.catalog import load_catalog

    if fact.measure != "level" or fact.unit != "万元" or fact.indicator.split(".", 1)[0] not in MONEY_FAMILIES[:-1]:
        return fact
    at = _number_at(fact)
    clause = text[fact.start : at]
    m = re.search(r"(?:包括|其中)[:：]?\s*([\u4e00-\u9fff]{2,16})\s*$", clause)
    if not m or m.start() == 0:
        return fact
    words = m.group(1)
    if load_catalog().match(words) is not None:
        return fact
    return replace(fact, indicator=f"item.{words}", indicator_name=words, rule=fact.rule + ".part")


def _count_family(code: str) -> str:
    """The prefix of a part of a count: staff.局机关在职, assets.vehicles.执法执勤用车, org.…"""
    return next((r.family for r in count_rules() if r.code == code), code.split(".", 1)[0])


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentences: ended by 。!? or by a line break after a short line (a heading); a long line wraps."""
    spans, pos = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.group() == "\n" and m.start() - (text.rfind("\n", 0, m.start()) + 1) >= 20 \
                and not re.search(r"[。!?;:,、]\s*$", text[max(0, m.start() - 2) : m.start()]):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], at: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= at:
            lo = mid
        else:
            hi = mid - 1
    return lo
