"""Stage: the view's text cut into sentences worth reading, each knowing its table header, unit and period.

A sentence is a line or a 。-delimited run. What a sentence inherits from the lines before it (the last
单位：… header, the cells of the last line without numbers) is worked out here, once, and carried on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from yearwise.ingest import phrases
from yearwise.ingest.tables import NUMBER_CELL, header_cells
from yearwise.ingest.view import View

# a sentence worth reading: it has a digit, a Chinese numeral with a unit, or a number said in words
STATES_A_NUMBER = re.compile(r"\d|[〇零一二两兩三四五六七八九十百千]\s*(?:[万亿]?元|个|人|名|家|项|次|%)|持平|无增减|无结转|没有结转")
SENTENCE_END = re.compile(r"[。！？!?\n]")
TABLE_LINE = re.compile(r"\||\d\s+[-\d]|\d\s+[\u4e00-\u9fff]")
# prose: a comma (not a thousands separator), a 。, or a number with its unit or measure word ('12 期法制专刊')
PROSE = re.compile(r",(?!\d{3}(?:\D|$))|。|\d\s*(?:万元|亿元|元|%|人|个|名|家|项|期|次|批|件|场|篇|辆|台|套)")
# a line that ends in a number and a next line that starts with that number's unit, then punctuation
NUMBER_AT_END = re.compile(r"[\u4e00-\u9fff][ \t]*\d+(?:\.\d+)?[ \t]*$")
UNIT_WRAPPED = re.compile(r"[ \t]*(?:万元|亿元|辆|台\(套\)|人|名|个|家|项|次|台|套)(?=[,，。;；、)）]|[ \t]*$)")
ANY_PERIOD = re.compile(r"半年|季度|\d\s*[-~至到]\s*\d{1,2}\s*月")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence that states a number, with what the lines before it say about its numbers."""

    text: str
    offset: int  # where it starts in the view
    table: bool  # a table row ('|' cells, or numbers spaced out without prose)
    unit_header: str | None  # the unit of the last 单位：… header (this sentence's own included)
    header: tuple[str, ...]  # cells of the last line without numbers: column names or a row label
    period: str  # FY | H1 | Q1-3 | M1-8 …


def sentences(view: View) -> Iterator[Sentence]:
    """The sentences of the view that state a number, in order."""
    text = view.text
    pos = 0
    unit_header: str | None = None
    header: tuple[str, ...] = ()
    for m in SENTENCE_END.finditer(text + "\n"):
        if m.group() == "\n" and UNIT_WRAPPED.match(text, m.end()) and NUMBER_AT_END.search(text, pos, m.start()):
            continue  # '离退休干部用车 0 / 辆、其他用车 0 辆': the line broke between a number and its unit
        sentence = text[pos : m.start()]
        if (h := phrases.PATTERNS["unit_header"].search(sentence)):
            unit_header = h.group("unit") or h.group("unit2")
        if STATES_A_NUMBER.search(sentence):
            table = "|" in sentence or (bool(TABLE_LINE.search(sentence)) and not PROSE.search(sentence))
            yield Sentence(sentence, pos, table, unit_header, header, period(sentence))
            if not NUMBER_CELL.fullmatch(sentence) and "|" not in sentence and PROSE.search(sentence):
                header = ()  # prose ends a table; its rows keep the header
        else:
            header = tuple(header_cells(sentence)) or header
        pos = m.end()


def period(sentence: str) -> str:
    """The period a sentence speaks of, when narrower than the fiscal year (上半年 -> H1, 1-8月 -> M1-8)."""
    if not ANY_PERIOD.search(sentence):  # one cheap look before the table of periods
        return "FY"
    for rx, name in phrases.PERIODS:
        if (m := rx.search(sentence)):
            return name.format(**m.groupdict())
    return "FY"
