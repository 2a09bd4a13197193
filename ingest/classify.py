"""Stage: what a number states, from the words just before it: a level, a change (amount or rate) on an
earlier year, a share, a level of an earlier year, or final accounts against the budget.

The wording (change verbs, 占…比重, 比上年, 比年初预算) is in ingest/phrases.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from yearwise.ingest import phrases
from yearwise.ingest.candidates import Candidate
from yearwise.ingest.context import Memory, Setting

# a rate's catalog name may end the words before its number: 预决算增幅为…
RATE_NAME_TAIL = re.compile(r"(?:为|是|达|:)?\s*$")


@dataclass(frozen=True, slots=True)
class Reading:
    """A number classified, not yet named: its measure, value, unit, year, and which words may name it."""

    measure: str  # level | change | change_rate | share
    kind: str  # the quantity's kind, corrected ('增长 13.95。' is a percent)
    value: Decimal  # signed for a change
    unit: str
    year: int | None
    compared_to: int | None
    rule: str
    label_source: str  # the words before the number that name it (the verb and 比上年 cut off)
    budget_gap: tuple[str, str] | None = None  # (code suffix, name suffix) of a gap to the budget (决算数大于预算数…)
    label_start: int = 0  # for a budget gap: where its words start in the sentence


def classify(c: Candidate, memory: Memory, setting: Setting) -> tuple[Reading | None, Memory]:
    """Measure, sign and year of one number from the words before it; None for a number that states nothing."""
    q, left, sentence = c.quantity, c.left, c.sentence.text
    value, unit, kind = q.value, q.unit, q.kind
    verb = None if c.sentence.table else _change_verb(left)
    if verb is None and kind == "money" and not c.sentence.table:
        verb = phrases.PATTERNS["change_before_object"].search(left)  # 基本支出增加人员经费 1408.29 万元: a change, not a level
    if verb and names_a_rate(left, setting.catalog):
        verb = None  # 预决算增幅6.71%: the verb is part of an indicator's name
    year = setting.year
    compared_to = None
    label_source = left
    if verb:
        word = verb.group("verb")
        if kind == "bare" and (word in phrases.RATE_VERBS or "." in q.raw_value):
            kind, unit = "percent", "%"  # '增长 13.95。', '减少100万元，减少9.52，': the % was forgotten
        if kind == "bare":
            return None, memory
        measure = "change_rate" if kind == "percent" else "change"  # 提高2.3个百分点 changes a rate by points
        value = -abs(value) if _sign(word) < 0 else value  # '增长-5.2%' keeps its own minus
        if phrases.PATTERNS["against_last_year"].search(left):
            memory = replace(memory, against_budget=False)
        if phrases.PATTERNS["against_budget"].search(left, 0, verb.start()) or memory.against_budget:
            # '比年初预算增加100万元，增长8.8%': against the budget, not last year: a level of its own
            gap = ("over_budget_rate", "超预算比率") if measure == "change_rate" else ("over_budget", "决算与预算之差")
            return (Reading("level", kind, value, unit, year, None, "level.against_budget", left, gap, c.left_from),
                    replace(memory, against_budget=True))
        cy = list(phrases.PATTERNS["compared_year"].finditer(sentence[: q.start]))
        compared_to = int(cy[-1].group("year")) if cy else (year - 1 if year else None)
        # '会议费预算支出1469.73万元,比上年预算增加164.48万元': the 预算 of the comparison names no subject
        label_source = phrases.PATTERNS["comparison"].sub("", left[: verb.start()])
        rule = "change." + ("rate" if measure == "change_rate" else "amount")
    elif kind == "money" and (over := phrases.PATTERNS["over_budget_tail"].search(left)):
        # '决算数大于预算数55.93万元': final accounts minus budget, a level of its own
        value = -abs(value) if _sign(over.group("verb")) < 0 else abs(value)
        return (Reading("level", kind, value, unit, year, None, "level.over_budget", left,
                        ("over_budget", "决算与预算之差"), c.left_from + over.start()), memory)
    elif kind == "percent" and phrases.PATTERNS["share_tail"].search(left) and not setting.catalog.match(left, "percent"):
        measure, rule = "share", "share"
        label_source = ""
    elif kind in ("money", "count") and (prior := phrases.PATTERNS["prior_level_tail"].search(left)):
        measure, rule = "level", "level.prior_year"
        year = int(prior.group("year")) if prior.group("year") else (year - 1 if year else None)
        label_source = left[: prior.start()]
    else:
        measure, rule = "level", "table.cell" if c.sentence.table else "level"
        own = left[max((i + 1 for i, ch in enumerate(left) if ch in ",;:。("), default=0):]  # the number's own clause
        if not c.sentence.table and kind in ("money", "count") and (earlier := phrases.PATTERNS["earlier_year_clause"].search(own)):
            # '上年度列入此项的预留机动经费128.43万元', '2017年决算数为…' in a 2018 report: that year's level
            said = int(earlier.group("year")) if earlier.group("year") else (year - 1 if year else None)
            if year and said and year - 3 <= said < year:
                year, rule = said, "level.earlier_year"
    return Reading(measure, kind, value, unit, year, compared_to, rule, label_source), memory


def names_a_rate(left: str, catalog) -> bool:
    """Whether a percent-measured catalog name ends where the words before the number end."""
    tail = RATE_NAME_TAIL.sub("", left)
    return any(e == len(tail) and ind.unit_kind == "percent" for _, e, ind in catalog.matches(tail))


def _change_verb(left: str):
    """The change verb governing a number, if any: right before it, or before a short object."""
    for rx in (phrases.PATTERNS["change_tail"], phrases.PATTERNS["change_with_object"], phrases.PATTERNS["compared_tail"]):
        if (m := rx.search(left)):
            return m
    return None


def _sign(verb: str) -> int:
    return phrases.sign(verb) or 1
