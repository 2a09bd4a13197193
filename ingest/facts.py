"""Extraction: from a document to a Report, through named stages, each a function of frozen values.

    read (readers) -> view (view.make_view) -> outline (outline.Outline) -> identity (metadata.detect)
    -> sentences (sentences.sentences) -> candidates (candidates.candidates) -> classify (classify.classify)
    -> name (naming.name) -> facts (here: drafts in view coordinates, then Facts with source spans)

The walk threads one `Memory` value from number to number (what the last level was, this sentence's subject);
no stage reaches back into another's state.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from yearwise.ingest import phrases
from yearwise.ingest.candidates import Candidate, candidates
from yearwise.ingest.catalog import load_catalog
from yearwise.ingest.classify import Reading, classify
from yearwise.ingest.context import Memory, Setting
from yearwise.ingest.metadata import PLACEHOLDER, detect
from yearwise.ingest.families import Family, FamilyNaming, family
from yearwise.ingest.model import Document, Fact, IngestError, Report
from yearwise.ingest.naming import Named, label_after_span, name
from yearwise.ingest.outline import Outline
from yearwise.ingest.rules import check_rules
from yearwise.ingest.refine import refine
from yearwise.ingest.version import parser_version
from yearwise.ingest.sentences import Sentence, sentences
from yearwise.ingest.table_checks import link, table_checks
from yearwise.ingest.subject_paths import name_subject_paths
from yearwise.ingest.table_facts import evaluation_cells, table_cells, without_table_lines
from yearwise.ingest.view import GLOSS, View, make_view

BOTH = re.compile(r"([\u4e00-\u9fff]{2,12})(?:与|和|及|、)([\u4e00-\u9fff]{2,12}?)(?:均|都)(?:为|是|达)?\s*$")
NO_CARRYOVER = re.compile(r"无结转结余(?:资金)?|没有结转结余")
MAX_QUOTE_LEFT = 40
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Draft:
    """A fact in progress: spans in view coordinates (quote `start:end`, the number as written `raw_start:raw_end`)."""

    indicator: str
    name: str
    measure: str
    value: Decimal
    unit: str
    year: int | None
    compared_to: int | None
    rule: str
    approximate: bool
    raw_unit: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    period: str = "FY"
    scope: str = "department"


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
    catalog = load_catalog()
    check_rules(catalog)
    fam = family(kind)
    setting = Setting(year=fiscal_year, doc_kind=kind, catalog=catalog, outline=outline, view=view,
                      family=fam.naming if fam else FamilyNaming())
    facts = [_fact(d, document, view, outline, fam) for d in drafts(setting)]
    facts = refine(facts, document.text, kind)  # prose: counts named by what they count; parts never take the whole's code
    if document.tables:  # cells of the tables a reader found replace what the walk made of their flattened lines
        cells, withheld = table_cells(document, document.tables, year=fiscal_year, doc_kind=kind, catalog=catalog,
                                      section_at=outline.section_at)
        facts = without_table_lines(facts, cells, document.text, withheld) + cells
        facts = evaluation_cells(facts, document, document.tables)
    # prose naming a 功能分类 subject by its printed path (…(类)…(款)…(项)) takes its code, as the tables' rows do
    facts = name_subject_paths(facts, document.text, document.tables, fiscal_year)
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
                  evidence=meta.evidence, flags=tuple(flags), table_checks=link(table_checks(document.tables, fiscal_year), facts),
                  parser_version=parser_version())


def drafts(setting: Setting) -> Iterator[Draft]:
    """Every fact the view states, in order: sentence by sentence, number by number, one Memory threaded through."""
    memory = Memory()
    for sentence in sentences(setting.view):
        memory = memory.new_sentence()
        for candidate in candidates(sentence, setting.catalog):
            reading, memory = classify(candidate, memory, setting)
            if reading is None:
                continue
            named, memory = name(reading, candidate, memory, setting)
            if named is None:
                continue
            found, memory = _each_of_both(_draft(candidate, reading, named), candidate.left, memory, setting)
            yield from found
        yield from _zero_statements(sentence, memory, setting)


def _draft(c: Candidate, r: Reading, n: Named) -> Draft:
    """The draft of a named number, its quote running from its label (at most MAX_QUOTE_LEFT back) to its number
    (and on over a label that follows it)."""
    q, sentence, offset = c.quantity, c.sentence.text, c.sentence.offset
    quote_start = max(n.label_start, q.start - MAX_QUOTE_LEFT)
    raw_at = sentence.find(q.raw_value, q.start, q.end)
    raw_start = raw_at if raw_at >= 0 else q.start
    after = label_after_span(sentence, q.end) if n.label_start == q.start else ""
    indicator = n.indicator
    if c.region and indicator.startswith(("item.", "output.")):
        indicator = "economy." + indicator.split(".", 1)[1]
    return Draft(indicator, n.name, r.measure, n.value, n.unit, r.year, r.compared_to, r.rule, q.approximate,
                 q.raw_unit, offset + min(quote_start, q.start), offset + q.end + len(after), offset + raw_start,
                 offset + raw_start + len(q.raw_value), c.sentence.period, "region" if c.region else "department")


def _each_of_both(draft: Draft, left: str, memory: Memory, setting: Setting) -> tuple[list[Draft], Memory]:
    """'收入总计与支出总计均为X万元，较上年增加Y万元': one number stated of two things gives one fact each."""
    m = BOTH.search(left) if ("均" in left or "都" in left) else None
    items = [i for i in (setting.catalog.match(w) for w in (m.group(1), m.group(2))) if i is not None] if m else []
    if len(items) == 2 and items[0].code != items[1].code and draft.indicator in (i.code for i in items):
        memory = replace(memory, both=tuple((ind.code, ind.name) for ind in items))
    elif not (memory.both and draft.measure != "level" and draft.indicator == memory.both[-1][0]):
        return [draft], memory
    return [replace(draft, indicator=code, name=label, rule=draft.rule + ".both") for code, label in memory.both], memory


def _zero_statements(sentence: Sentence, memory: Memory, setting: Setting) -> Iterator[Draft]:
    """Numbers a report states in words: 无结转结余 is a carry-over of 0; 持平 is a change of 0."""
    offset, year = sentence.offset, setting.year
    for m in NO_CARRYOVER.finditer(sentence.text):
        s, e = offset + m.start(), offset + m.end()
        yield Draft("budget.carryover", "结转结余", "level", ZERO, "万元", year, None, "zero.no_carryover", False, "",
                    s, e, s, e, sentence.period)
    for m in phrases.PATTERNS["flat_words"].finditer(sentence.text):
        # flat of what? the catalog subject named between the comparison and 持平, else a subject this sentence named
        what = m.group("what")
        named = setting.catalog.match(re.sub(r"\((?:类|款|项)\)", "", what)) if what else None
        if named is not None and setting.doc_kind == "budget" and named.code.startswith("spending."):
            named = None  # a budget's subject is named by the walk's own rules (budget.*), not here
        said = m.group("year") or m.group("year2")
        s, e = offset + m.start(), offset + m.end()
        own = _flat_subjects(sentence.text[: m.start()], setting) if what is None else []
        for code, label in own:  # the clause names its own subjects: each is flat
            yield Draft(code, label, "change", ZERO, "万元", year, int(said) if said else (year - 1 if year else None),
                        "zero.flat.own", False, "", s, e, s, e, sentence.period)
        if own:
            continue
        if named is not None:
            code, label = named.code, named.name
        elif memory.last_level and memory.subject is not None:
            code, label = memory.last_level, memory.last_level_name
        else:
            continue
        unit = "万元" if named and named.unit_kind == "money" else (named.unit if named else memory.last_level_unit)
        yield Draft(code, label, "change", ZERO, unit, year, int(said) if said else (year - 1 if year else None),
                    "zero.flat", False, "", s, e, s, e, sentence.period)


FLAT_SUBJECT_NOISE = re.compile(r"^(?:其中|此外|另外|同时|按支出用途分类|均|都)+|(?:均|都|数|的)+$")
GENERIC_FLAT = re.compile(r"^(?:本年|本年数|本年度|全年|年度|支出|收入|预算|决算|预算数|决算数|本年预算数|该项|此项)?$")


def _flat_subjects(before: str, setting: Setting) -> list[tuple[str, str]]:
    """The money subjects a clause names right before 与上年数一致 ('项目支出、单位预留机动经费'), each by the catalog
    or its own words; none when the words are generic (本年数与上年预算数一致 is about the subject named before)."""
    clause = re.split(r"[,;。:]", before)[-1].strip()
    clause = FLAT_SUBJECT_NOISE.sub("", re.sub(r"\s+", "", clause))
    if GENERIC_FLAT.match(clause) or not re.fullmatch(r"[\u4e00-\u9fff()、和及]{2,30}", clause):
        return []
    out = []
    for part in re.split(r"、|和|及", clause):
        named = setting.catalog.match(re.sub(r"\((?:类|款|项)\)", "", part))
        if named is not None and named.unit_kind == "money" and re.sub(r"\((?:类|款|项)\)", "", part) in (named.name, *named.synonyms):
            code = setting.family.renames.get(named.code, named.code)
            out.append((code, named.name))
        elif len(part) >= 2 and not GENERIC_FLAT.match(part):
            out.append((f"item.{part}", part))
        else:
            return []
    return out


def _fact(d: Draft, document: Document, view: View, outline: Outline, fam: Family | None) -> Fact:
    """The Fact of a draft: spans mapped back to the document's text, its section and page."""
    start, end = view.to_source(d.start, d.end)
    raw_start, raw_end = view.to_source(d.raw_start, d.raw_end)
    section = outline.section_at(start)
    indicator = d.indicator
    if fam and fam.naming.output_items and indicator.startswith("item.") and phrases.PATTERNS["output_sections"].search(section):
        indicator = "output." + indicator[5:]  # an evaluation's 产出/效益 sections count outputs
    # a district's finance report or a news article speaks of the region, not of one body
    scope = "region" if fam and fam.scope == "region" else d.scope
    return Fact(
        indicator=indicator, indicator_name=d.name, measure=d.measure, value=d.value, unit=d.unit, year=d.year,
        quote=document.text[start:end], start=start, end=end, rule=d.rule, section=section, period=d.period,
        scope=scope, approximate=d.approximate, compared_to=d.compared_to,
        raw_value=document.text[raw_start:raw_end], raw_unit=d.raw_unit,
        page=bisect_right(document.page_starts, start) if document.page_starts else None,
    )


def _year_in_name(source: str) -> int | None:
    m = re.search(r"(?<!\d)(20\d\d|19\d\d)(?!\d)", source.replace("\\", "/").rsplit("/", 1)[-1])
    return int(m.group(1)) if m else None


def _source_spelling(name: str | None, view: View, text: str) -> str | None:
    """The department as the document spells it (traditional characters stay traditional)."""
    if not name:
        return None
    i = view.text.find(name)
    if i < 0:
        return name
    s, e = view.to_source(i, i + len(name))
    return re.sub(r"\s+", "", GLOSS.sub("", text[s:e]))
