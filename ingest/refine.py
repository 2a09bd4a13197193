"""Refining the names of extracted facts by what their own words say, after the walk has named them.

Rules of reading, applied to the facts of one report:
- codes, document numbers, table and page numbers, ranges are not values (苏财预〔2018〕13号, 公开01表, 3-6岁);
- a count of people, bodies or vehicles is named by what it counts (ingest/data/naming.toml [[count]]), never
  `output.*`;
- a part never takes the code of its whole: after 其中/包括/含, a number whose code is the code of a level stated
  before the marker (in the sentence, or the sentence before when the marker opens a sentence) is that part,
  named by its own words (`现有编制人员205人。其中,局机关在职113人` is staff.局机关在职, not staff.actual).
The words and patterns these rules read are data: ingest/data/naming.toml ([[count]], [[follows]], [refine] and
[refine.patterns]), loaded and checked by ingest/rules.py; this module holds only the logic.
"""

from __future__ import annotations

import re
from dataclasses import replace

from yearwise.ingest.rules import naming

_NAMING = naming()
R = _NAMING.refine  # the reading rules, by name: R.lead is naming.toml's [refine.patterns] lead
COUNTS = _NAMING.counts  # [[count]]
FOLLOWS = _NAMING.follows  # [[follows]]: (code before, code) -> code
ITEM = "item"  # the descriptive money family: a part of a money figure is item.<its words>
STAFF_UNITS = frozenset(u for r in COUNTS if r.family == "staff" for u in r.units)  # 人, 名: the staff count's units


def refine(facts: list, text: str, doc_kind: str = "unknown") -> list:
    """The facts with non-values dropped, counts named by what they count, qualified totals named by their
    qualifier, parts no longer named as their whole, and a 部门预算's spending named as budget."""
    facts = [_weight(f, text) for f in facts if not _not_a_value(f, text) and not _unitless_money(f)]
    walked = facts
    facts = [_own_subject(_classification_line(_qualified_total(_labelled_part(_count(f, text), text), text), text),
                          text) for f in facts]
    facts = [_after_blank_level(f, text) for f in facts]
    facts = _follow_level(walked, facts, text)
    facts = _follows(facts, text)
    facts = _parts(facts, text)
    facts = [_titled(f, text) for f in facts]
    facts = [_equipment(_project_money(_scoped(_coded_row(_meaningful(f, text), text), text), text), text)
             for f in facts]
    facts = _count_amount(facts, text)
    return [_budget_twin(f) for f in facts] if doc_kind == "budget" else facts


def _meaningful(fact, text: str):
    """A descriptive code made of a function word, a verb, a scope or a column word (output.方面, economy.全区,
    output.汇聚, item.决算数) names nothing: it takes the words of the number's own clause that say what is counted
    ('绩效评级为“良”的项目0个' is output.绩效评级为良的项目), else the noun after the number, else `<family>.other`."""
    from yearwise.ingest.phrases import PATTERNS

    family, _, rest = fact.indicator.partition(".")
    if family not in R.descriptive_families or not rest or not PATTERNS["meaningless_label"].fullmatch(rest.split(".")[0]):
        return fact
    at = _number_at(fact)
    from yearwise.ingest.view import GLOSS, simplified

    before = simplified(GLOSS.sub("", text[max(0, at - 40) : at]))
    clause = R.label_break.split(before)[-1]
    words = "".join(re.findall(r"[\u4e00-\u9fff]+", clause))
    words = R.tail.sub("", R.lead.sub("", R.year_lead.sub("", words)))
    if R.comparison_in_label.search(words):
        words = ""  # a comparison names no subject
    _, after = _words_around(fact, text)
    after = "" if R.money_after.match(after) else R.approximate_lead.sub("", after)
    head = R.head_noun.match(text, at + len(fact.raw_value or ""))
    if after and head:  # '确定 30 个左右发展所需、群众所想、政协所能的课题': what is counted is the head, 课题
        after = head.group(1)
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
                and not R.clause_end.search(gap):
            out[k] = replace(rate, indicator=level.indicator, indicator_name=level.indicator_name,
                             rule=rate.rule + ".follows")
    return out


def _own_subject(fact, text: str):
    """'…收支总计增加X万元,社会保障和就业支出增加140.96万元': a change whose own clause names a subject of its own
    is about that subject, not about the subject it inherited from the sentence."""
    from yearwise.ingest.catalog import fold, load_catalog

    if fact.measure not in ("change", "change_rate") or fact.indicator.split(".", 1)[0] in R.own_subject_skips:
        return fact
    from yearwise.ingest.view import GLOSS, simplified

    at = _number_at(fact)
    before = R.wrap.sub("", simplified(GLOSS.sub("", text[max(0, at - 60) : at])))
    clause = R.own_clause_break.split(before)[-1]
    # '基本支出增加1447.63万元、单位预留机动经费增加3075.14万元': after a stated figure, 、 starts a clause of its own
    clause = R.after_figure.split(clause)[-1]
    base = load_catalog().get(".".join(fact.indicator.split(".")[:2])) or load_catalog().get(fact.indicator)
    if base is None:
        return fact
    folded = fold(re.sub(r"\s+", "", clause))
    if any(w in folded for w in {fold(x) for x in (base.name, *base.synonyms)} - R.generic_words):
        return fact  # the clause names the subject itself
    words = re.sub(r"\s+", "", clause)
    inner = R.verb_object.match(R.reason_lead.sub("", words)) if fact.measure == "change" else None
    if inner and inner.group(2) in R.generic_words:
        inner = None  # '实际较上年增加资金418.98万元': 资金 is no object of its own
    if inner and not inner.group(1):
        # '增加部门预算1464.3万元' after a reason: what was added, a part of the change, named by its own words
        obj = R.etc_tail.sub("", inner.group(2))
        named = load_catalog().match(obj)
        if named is not None and named.code not in R.totals and fold(obj) in {fold(x) for x in (named.name, *named.synonyms)}:
            return replace(fact, indicator=named.code, indicator_name=named.name, rule=fact.rule + ".own")
        if R.object_name.fullmatch(obj):
            return replace(fact, indicator=f"item.{obj}", indicator_name=obj, rule=fact.rule + ".own")
    elif inner:  # '基本支出增加人员经费1408.29万元': the subject stands before the verb, its object after
        words = inner.group(1)
    words = R.year_words.sub("", words)
    from yearwise.ingest.phrases import PATTERNS

    words = PATTERNS["comparison"].sub("", words)
    words = R.both_ways.sub("", words)  # 增加(减少): a template's both ways
    words = R.change_verb_tail.sub("", words)
    words = R.reason_lead.sub("", words)
    words = R.budget_tail.sub("", words)
    framed = R.subject_frame.fullmatch(words)  # '从会议费预算中(调减…)': the subject inside the preposition's frame
    if framed:
        words = R.budget_tail.sub("", framed.group(1))
    if not R.subject_name.fullmatch(words) or words in R.generic_words or R.not_a_subject.search(words):
        return fact
    named = load_catalog().match(words)
    if named is not None and fold(words) in {fold(x) for x in (named.name, *named.synonyms)}:
        return replace(fact, indicator=named.code, indicator_name=named.name, rule=fact.rule + ".own")
    return replace(fact, indicator=f"item.{words}", indicator_name=words, rule=fact.rule + ".own")


def _after_blank_level(fact, text: str):
    """'2019年政府性基金支出预算支出万元。与上年相比增加(减少)0万元': a template's level left blank still names the
    subject of the change after it (budget.gov_fund), which would otherwise inherit the figure named before
    (培训费)."""
    from yearwise.ingest.catalog import load_catalog

    if fact.measure not in ("change", "change_rate"):
        return fact
    at = _number_at(fact)
    line = text.rfind("\n", 0, at) + 1
    m = R.blank_level.search(text, line, at)
    if m is None:
        return fact
    named = load_catalog().match(R.year_words.sub("", m.group(1)))
    if named is None or named.unit_kind != "money" or named.code == fact.indicator.split(".")[0]:
        return fact
    family, _, rest = fact.indicator.partition(".")
    code = named.code
    if family == "budget" and load_catalog().get(f"budget.{code.partition('.')[2]}") is not None:
        code = f"budget.{code.partition('.')[2]}"
    return replace(fact, indicator=code, indicator_name=named.name, rule=fact.rule + ".blank")


def _classification_line(fact, text: str):
    """'(7)会议费(款)支出 66.72 万元' is a line of the economic classification (the 款 of basic spending), not the
    department's 会议费: a catalog code gives way to the class item, its level kept (item.会议费(款))."""
    family = fact.indicator.split(".", 1)[0]
    if family in R.econ_line_skips or fact.unit != "万元":
        return fact
    at = _number_at(fact)
    m = R.class_line.search(text, max(0, at - 40), at)
    if not m:
        return fact
    econ = _economic_line(m, fact.year, text)
    if econ is not None:
        return econ if fact.indicator == econ[0] else replace(fact, indicator=econ[0], indicator_name=econ[1],
                                                               rule=fact.rule + ".econ")
    if family in R.class_line_skips:
        return fact
    name = R.class_name_lead.sub("", m.group(1))
    if len(name) < 2:
        return fact
    return replace(fact, indicator=f"item.{name}({m.group(2)})", indicator_name=f"{name}({m.group(2)})",
                   rule=fact.rule + ".class")


def _economic_line(m: re.Match, year: int | None, text: str) -> tuple[str, str] | None:
    """'(4)邮电费(款)支出 70 万元', '商品和服务支出(类)1,131.92 万元': a line of the economic classification (the
    basic spending listed by 经济分类 款) whose name and level print a 部门经济分类 code of the report's year
    (ingest/data/subjects.csv) is that code, econ.30207 / econ.302, as the rows of the tables are; a 款 is looked
    up among the children of the 类 its section states above it ('对个人和家庭的补助支出(类)' … '(3)医疗费(款)' is
    30307, not 30114), and a line under a 功能分类 类 is none."""
    from yearwise.ingest.subjects import ORDINAL, economic_code

    level = m.group(2)
    name = ORDINAL.sub("", re.sub(r"^.*[,，;；:：、。]", "", m.group(1)).lstrip(")）")).strip()
    if level not in ("类", "款") or len(name) < 2:
        return None
    within = None
    if level == "款":
        section = max((h.end() for h in R.section_heading.finditer(text, max(0, m.start() - 3000), m.start())),
                      default=max(0, m.start() - 3000))
        above = list(R.class_context.finditer(text, section, m.start()))
        if above:
            head = ORDINAL.sub("", re.sub(r"^.*[,，;；:：、。]", "", above[-1].group(1)).lstrip(")）")).strip()
            within = economic_code(head, "类", year)
            if within is None:
                return None  # a 款 under a 功能分类 类 (社会保障和就业支出(类) … 行政事业单位离退休(款))
    code = economic_code(name, level, year, within) or (economic_code(name, level, year) if within else None)
    return (f"econ.{code}", name) if code else None


def _coded_row(fact, text: str):
    """'30211 差旅费 230.00': a flattened table row that prints its 科目编码 is named by the code (econ.30211), as the
    cells of a table the reader found are, not by its words (item.差旅费); the code must be a classification's."""
    from yearwise.ingest.subjects import subject

    if fact.rule != "table.cell" or not fact.indicator.startswith(ITEM + ".") or "·" in fact.indicator:
        return fact
    at = _number_at(fact)
    m = R.coded_row.fullmatch(text, text.rfind("\n", 0, at) + 1, at)
    if m is None:
        return fact
    sub = subject(m.group(1), fact.year)
    if sub is None:
        return fact
    return replace(fact, indicator=sub.indicator, indicator_name=m.group(2).strip(), rule=fact.rule + ".code")


def _scoped(fact, text: str):
    """'在面向小微企业预留政府采购项目中,由小微企业供应商中标或成交的,采购金额 164.87 万元': a vague label (采购金额)
    takes the scope its sentence opens before it, and who won it (item.面向小微企业预留政府采购项目小微企业中标采购金额),
    so the figures of one sentence's clauses are told apart; without a scope it stays as it is."""
    family, _, rest = fact.indicator.partition(".")
    word, dot, aspect = rest.partition(".")
    if family != ITEM or word not in R.vague_labels:
        return fact
    at = _number_at(fact)
    start = max(text.rfind(c, 0, at) for c in "。;；\n") + 1
    scopes = list(R.scope_clause.finditer(text, start, at))
    if not scopes:
        return fact
    scope = re.sub(r"[“”的]", "", scopes[-1].group(1))
    winner = R.scope_winner.search(text, scopes[-1].end(), at)
    scope += f"{winner.group(1)}中标" if winner else ""
    return replace(fact, indicator=f"{ITEM}.{scope}{word}{dot}{aspect}", indicator_name=f"{scope}{word}",
                   rule=fact.rule + ".scoped")


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


def _qualified_total(fact, text: str):
    """A total whose own clause puts a fund before it (其他资金收入预算总计) is that fund's figure, not the total."""
    from yearwise.ingest.catalog import fold, load_catalog

    if fact.indicator not in R.totals or fact.measure not in ("level", "share"):
        return fact
    words, _ = _words_around(fact, text)
    catalog = load_catalog()
    spans = [(s, e) for s, e, ind in catalog.matches(words) if ind.code == fact.indicator or ind.code in R.totals]
    if not words or not spans:
        return fact
    start = min(s for s, _ in spans)
    total = catalog.get(fact.indicator)
    narrower = [ind for s, e, ind in catalog.matches(words) if s < start < e and ind.code not in R.totals
                and total is not None and ind.category == total.category and ind.unit_kind == "money"]
    if narrower:  # '货物类政府采购支出预算 259.32': the goods of the procurement total, not the total
        return replace(fact, indicator=narrower[0].code, indicator_name=narrower[0].name, rule=fact.rule + ".qualified")
    qualifier = R.generic_qualifier.sub("", fold(words)[:start])
    if len(qualifier) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", qualifier):
        return fact
    kind = "收入" if "income" in fact.indicator or fact.indicator.startswith("revenue") else "支出"
    named = catalog.match(qualifier + kind) or catalog.match(qualifier)
    if named is not None and named.code not in R.totals and named.unit_kind == "money":
        return replace(fact, indicator=named.code, indicator_name=named.name, rule=fact.rule + ".qualified")
    return fact


def _weight(fact, text: str):
    """'预算执行情况(10分)': the points an evaluation indicator weighs, not an output or a score."""
    if fact.unit != "分" or fact.measure != "level" or not fact.raw_value:
        return fact
    at = _number_at(fact)
    end = at + len(fact.raw_value)
    before = R.weight_before.search(text, max(0, at - 24), at)
    if not before or not R.weight_after.match(text, end):
        return fact
    from yearwise.ingest.view import simplified

    label = simplified(before.group(1))
    return replace(fact, indicator=f"evaluation.weight.{label}", indicator_name=f"{label}分值",
                   rule=fact.rule + ".weight")


def _unitless_money(fact) -> bool:
    """A number of prose named as money with no unit at all is no money figure: a list's 序号 ('并入本级3 上海市…'), the
    year of a garbled document number (苏财预 2016 〔 〕53 号), the first digits of a figure an excerpt cut off
    ('其他收入3.'). Table cells take the unit their header states and are not concerned."""
    family = fact.indicator.split(".", 1)[0]
    return not fact.unit and not fact.raw_unit and fact.table is None and (family in R.money_families or family == ITEM)


def _not_a_value(fact, text: str) -> bool:
    at = _number_at(fact)
    if not fact.raw_value:
        return False
    end = at + len(fact.raw_value)
    return any(m.start() <= at and end <= m.end() for m in R.not_values.finditer(text, max(0, at - 24), end + 8))


def _follows(facts: list, text: str) -> list:
    """'行政编制0人,实有人数0人': a count right after another, in the same clause (a comma between), is that one's."""
    out = list(facts)
    for k in range(1, len(out)):
        new = FOLLOWS.get((facts[k - 1].indicator, out[k].indicator))
        gap = text[facts[k - 1].end : out[k].start] if facts[k - 1].end <= out[k].start else "?"
        if new and out[k].measure == "level" and R.count_gap.fullmatch(gap):
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
    before = R.wrap.sub("", simplified(GLOSS.sub("", text[max(0, at - 60, line - 30) : at])))  # 實有人數(shù) -> 实有人数
    before = before.rstrip(":： \t")  # '参照公务员管理事业单位:1个': the words before the colon
    cut = [m.end() for m in R.clause_break.finditer(before)]
    words = before[cut[-1]:] if cut else before
    words = R.tail.sub("", R.lead.sub("", re.sub(r"\s+", "", words)))
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,16}", words or ""):
        words = ""
    after = simplified(GLOSS.sub("", text[at + len(fact.raw_value) : at + len(fact.raw_value) + 30]))
    m = R.noun_after.match(after)
    return words, (m.group(1) if m else "")


def _number_at(fact) -> int:
    i = fact.quote.rfind(fact.raw_value) if fact.raw_value else -1
    return fact.start + (i if i >= 0 else len(fact.quote))


def _count(fact, text: str):
    """A count named `output.*`/`item.*` (or by a catalog code of another family) gets its family's code."""
    if fact.measure != "level" or fact.scope != "department":
        return fact
    family = fact.indicator.split(".", 1)[0]
    if family == "staff" and fact.unit not in STAFF_UNITS:
        family = "output"  # '离退休干部用车 0 辆': no count of people, whatever word the walk read (离退休)
    elif family not in R.recounted_families:  # a catalog code the walk gave stays (parts are _parts' business)
        return fact
    before, after = _words_around(fact, text)
    if family == "org":  # '无下属预算单位,下设0个处室': the noun after the number is what is counted
        rule = next((r for r in COUNTS if r.family == "org" and fact.unit in r.units and after
                     and any(w in after for w in r.words)), None)
        listed = R.listed_before.search(text[max(0, _number_at(fact) - 8) : _number_at(fact)])
        if rule is None and listed and after and fact.unit in R.listed_units:
            # '内设机构包括办公厅、研究室和3个专门委员会': what is counted is the noun after the number
            return replace(fact, indicator=f"org.{after}", indicator_name=after, rule=fact.rule + ".count")
        if rule is None or rule.code == fact.indicator:
            return fact
        return replace(fact, indicator=rule.code, indicator_name=after, rule=fact.rule + ".count")
    for rule, label in ((r, w) for w in (before, after) if w for r in COUNTS):
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
        marks = [m.start() for m in R.part_mark.finditer(text, a, b)]
        if not marks:
            continue
        opens = R.part_opens.match(text[a:b]) is not None
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
                    and not R.another_year.search(text[mark:at]):
                # '2022年支出总计7100万元,包括本年支出合计7033.15万元': a part of a whole of another year is of that year
                f = out[k] = replace(f, year=whole[-1].year, rule=f.rule + ".year")
            wholes = {out[j].indicator: out[j].value for j in [*earlier, *members]
                      if out[j].measure == "level" and (j in earlier or _number_at(out[j]) < mark)}
            family = f.indicator.split(".", 1)[0]
            words = own_words(f, text)
            if len(words) < 2:
                continue
            stated = [out[j] for j in members if _number_at(out[j]) < mark]
            if stated and stated[-1].measure == "change" and family == "staff" and f.unit in STAFF_UNITS:
                # '比上年末增加2人(其中:新入职在编3人、调入3人、退休4人)': the parts of a change are movements
                # (staff.退休), not the staff the catalog counts (退休4人 is no staff.retired)
                prefix = "staff"
            elif f.indicator in wholes and f.value != wholes[f.indicator]:  # the same figure restated is no part
                prefix = ITEM if family in R.money_families or family == ITEM else _count_family(f.indicator)
            elif family in ("output", ITEM) and f.unit in STAFF_UNITS and any(c.startswith("staff.") for c in wholes):
                prefix = "staff"
            else:
                continue
            out[k] = replace(f, indicator=f"{prefix}.{words}", indicator_name=words, rule=f.rule + ".part")
    return out


def _equipment(fact, text: str):
    """'单价20万元(含)以上的设备69台(套)', '单价100万元(含)以上设备(不含车辆)2台(套)': the count of equipment above a
    unit price is assets.equipment, named by its threshold (assets.equipment.单价20万元以上: reports use different
    ones), not output.设备, and never the vehicles a (不含车辆) excludes."""
    if fact.measure != "level" or fact.unit not in R.equipment_units:
        return fact
    at = _number_at(fact)
    m = R.equipment_count.search(text, max(0, at - 48), at)
    if m is None:
        return fact
    name = f"单价{m.group(1)}万元以上"
    return replace(fact, indicator=f"assets.equipment.{name}", indicator_name=f"{name}设备", rule=fact.rule + ".equipment")


def _titled(fact, text: str):
    """'《财政拨款支出预算表(功能科目)》增加了“事业运行”项级科目分流315万元': a document or table title in 《》 names
    no figure (not budget.fiscal); the words after it do, the subject in quotes kept
    (item.事业运行项级科目分流, apart from the “其他检察支出” one)."""
    family = fact.indicator.split(".", 1)[0]
    if fact.measure != "level" or fact.unit != "万元" or (family not in R.money_families and family != ITEM):
        return fact
    at = _number_at(fact)
    start = max(text.rfind(c, 0, at) for c in "。;；\n,，") + 1
    clause = text[start:at]
    if "》" not in clause:
        return fact
    words = R.title_lead.sub("", re.sub(r"[\s“”\"]", "", clause.rsplit("》", 1)[-1]))  # quotes dropped, words kept
    if not R.subject_name.fullmatch(words) or not re.search(r"[\u4e00-\u9fff]{2}", words):
        return fact
    if fact.indicator == f"{ITEM}.{words}":
        return fact
    return replace(fact, indicator=f"{ITEM}.{words}", indicator_name=words, rule=fact.rule + ".titled")


def _project_money(fact, text: str):
    """'本项目共申请预算资金90万元': money its own clause gives to one project (本项目, 该项目) is that project's, named by
    its words (item.本项目共申请预算资金), not the department's budget, revenue or spending."""
    family = fact.indicator.split(".", 1)[0]
    if family not in R.money_families or fact.unit != "万元":
        return fact
    at = _number_at(fact)
    start = max(text.rfind(c, 0, at) for c in "。;；\n,，") + 1
    clause = re.sub(r"\s+", "", text[start:at])
    found = list(R.project_self.finditer(clause))
    label = clause[found[-1].start():] if found else ""
    if not label or not R.subject_name.fullmatch(label):
        return fact
    return replace(fact, indicator=f"{ITEM}.{label}", indicator_name=label, rule=fact.rule + ".project")


def _count_amount(facts: list, text: str) -> list:
    """'编报绩效目标的 2024 年度项目 4 个,涉及预算金额 598.42 万元': an amount right after a count of projects, its
    clause saying 涉及…, is those projects' amount: of the self-evaluated projects (performance.projects) it is
    performance.projects_amount; of another count (output.编报绩效目标的年度项目) it is named by that count
    (item.编报绩效目标的年度项目金额), so the amounts of one sentence's counts are told apart."""
    out = list(facts)
    order = sorted(range(len(out)), key=lambda k: _number_at(out[k]))
    for prev, k in zip(order, order[1:]):
        count, f = out[prev], out[k]
        if f.measure != "level" or f.unit != "万元" or count.measure != "level" or count.unit not in R.listed_units \
                or count.end > _number_at(f) or not R.count_amount.fullmatch(text, count.end, _number_at(f)):
            continue
        family, _, label = count.indicator.partition(".")
        if count.indicator == "performance.projects":
            code, name = "performance.projects_amount", "绩效自评项目金额"
        elif family == "output" and label and label != "other":
            code, name = f"{ITEM}.{label}金额", f"{label}金额"
        else:
            continue
        if code != f.indicator:
            out[k] = replace(f, indicator=code, indicator_name=name, rule=f.rule + ".of_count")
    return out


def _labelled_part(fact, text: str):
    """'项目支出包括委员活动经费36.3万元': the catalog words name the whole, the number is the part after 包括."""
    from yearwise.ingest.catalog import load_catalog

    if fact.measure != "level" or fact.unit != "万元" or fact.indicator.split(".", 1)[0] not in R.money_families:
        return fact
    at = _number_at(fact)
    clause = text[fact.start : at]
    m = R.labelled_part.search(clause)
    if not m or m.start() == 0:
        return fact
    words = m.group(1)
    if load_catalog().match(words) is not None:
        return fact
    return replace(fact, indicator=f"item.{words}", indicator_name=words, rule=fact.rule + ".part")


def _count_family(code: str) -> str:
    """The prefix of a part of a count: staff.局机关在职, assets.vehicles.执法执勤用车, org.…"""
    return next((r.family for r in COUNTS if r.code == code), code.split(".", 1)[0])


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentences: ended by 。!? or by a line break after a short line (a heading); a long line wraps."""
    spans, pos = [], 0
    for m in R.sentence_end.finditer(text):
        if m.group() == "\n" and m.start() - (text.rfind("\n", 0, m.start()) + 1) >= 20 \
                and not R.heading_end.search(text[max(0, m.start() - 2) : m.start()]):
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
