"""The shapes that ingest hands to the rest of yearwise: a document, its facts, and the report that holds both."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

MEASURES = ("level", "change", "change_rate", "share")
SCOPES = ("department", "region")
DOC_KINDS = ("performance_evaluation", "final_accounts", "budget", "unknown")


@dataclass(frozen=True, slots=True)
class Document:
    """One file's normalised text; every span in every fact points into `text`."""

    source: str  # path as given
    sha256: str  # of the file's bytes
    text: str  # NFKC width-folded text, the only text spans refer to
    format: str  # txt | html | pdf | docx
    pages: int | None = None  # PDF page count, else None
    page_starts: tuple[int, ...] = ()  # offset in `text` where each PDF page starts


@dataclass(frozen=True, slots=True)
class Fact:
    """One number a report states, with what it measures and where it was found."""

    indicator: str  # catalog code (`spending.basic`) or a descriptive `output.*`/`economy.*`/`item.*` name
    indicator_name: str  # Chinese name as the report words it or the catalog names it
    measure: str  # level | change | change_rate | share
    value: Decimal  # normalised: money in 万元, rates in percent numbers
    unit: str  # normalised unit: 万元, %, 个, 人, 名, 分 ...
    year: int | None  # the fiscal year the value belongs to
    quote: str  # == document.text[start:end]; contains the number as written
    start: int
    end: int
    rule: str  # the rule that found it
    section: str = ""  # outline path, " > "-joined
    period: str = "FY"  # FY | H1 | Q1 | M1-8 ...
    scope: str = "department"  # department | region
    approximate: bool = False  # 余/多/超/近/约
    compared_to: int | None = None  # for change/change_rate: the year compared against
    raw_value: str = ""  # the number as written (`26,667.28`)
    raw_unit: str = ""  # the unit as written (`亿元`)


@dataclass(slots=True)
class Report:
    """A document plus what ingest learnt from it: kind, department, year and facts."""

    document: Document
    doc_kind: str = "unknown"
    department: str | None = None
    year: int | None = None
    facts: list[Fact] = field(default_factory=list)
    year_source: str = "text"  # text | option | file name: where the fiscal year came from

    @property
    def source(self) -> str:
        return self.document.source

    def records(self) -> list[dict]:
        """One flat dict per fact: the `yearwise extract` JSONL line and the warehouse row."""
        from yearwise.ingest.catalog import indicator_name

        base = {"source": self.document.source, "sha256": self.document.sha256,
                "department": self.department, "doc_kind": self.doc_kind}
        return [
            {**base, "year": f.year, "report_year": self.year, "indicator": f.indicator,
             "indicator_name": f.indicator_name or indicator_name(f.indicator), "measure": f.measure,
             "value": f.value, "unit": f.unit, "period": f.period, "scope": f.scope,
             "approximate": f.approximate, "compared_to": f.compared_to, "raw_value": f.raw_value,
             "raw_unit": f.raw_unit, "quote": f.quote, "start": f.start, "end": f.end,
             "section": f.section, "rule": f.rule}
            for f in self.facts
        ]


class IngestError(Exception):
    """A file that cannot be read; str() is one line naming the file and the cause."""

    def __init__(self, source: str, cause: str):
        self.source = source
        self.cause = cause
        super().__init__(f"{source}: {cause}")
