"""The shapes that ingest hands to the rest of yearwise: a document, its facts, and the report that holds both.

`Fact` is the one column spec of a fact: its fields (name, type, meaning in the field's metadata) are what
`fact_columns()` lists, and the JSONL record, the warehouse table, the load frame, the insert and the views
are all derived from it. Adding a field here adds it everywhere (the warehouse needs a migration step).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from yearwise.ingest.families import doc_kinds, region_kinds
from yearwise.ingest.table import Table, TableCheck

MEASURES = ("level", "change", "change_rate", "share")
SCOPES = ("department", "region")

ENTITY_LEVELS = ("department", "unit")  # a consolidated 部门 report | one 单位 (本级)


def __getattr__(name: str):
    """DOC_KINDS: the report kinds, the registered report families (ingest/data/families.toml and
    YEARWISE_FAMILIES) then unknown; REGION_KINDS: documents that are no department's report, whose figures are
    the region's (a district's budget report, news). Read on use, not at import, so a broken families file is an
    error where the caller can report it, and a family registered later counts."""
    if name == "DOC_KINDS":
        return doc_kinds()
    if name == "REGION_KINDS":
        return region_kinds()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Document:
    """One file's normalised text; every span in every fact points into `text`."""

    source: str  # path as given
    sha256: str  # of the file's bytes
    text: str  # NFKC width-folded text, the only text spans refer to
    format: str  # txt | html | pdf | docx
    pages: int | None = None  # PDF page count, else None
    page_starts: tuple[int, ...] = ()  # offset in `text` where each PDF page starts
    tables: tuple[Table, ...] = ()  # the tables a reader found, in page order (ingest/table.py)
    warnings: tuple[str, ...] = ()  # what the reader had to repair (undecodable bytes replaced, where)


def _col(meaning: str, default=dataclasses.MISSING):
    """A fact field with its meaning (the README's field table is checked against it)."""
    return field(default=default, metadata={"meaning": meaning})


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """One number a report states, with what it measures and where it was found."""

    indicator: str = _col("catalog code (`spending.basic`) or a descriptive `output.*`/`economy.*`/`item.*` name")
    indicator_name: str = _col("Chinese name as the report words it or the catalog names it")
    measure: str = _col("level | change | change_rate | share")
    value: Decimal = _col("normalised: money in 万元, rates in percent numbers")
    unit: str = _col("normalised unit: 万元, %, 个, 人, 名, 分 …")
    year: int | None = _col("the fiscal year the value belongs to")
    quote: str = _col("== document.text[start:end]; contains the number as written")
    start: int = _col("start of the quote in the document's text")
    end: int = _col("end of the quote in the document's text")
    rule: str = _col("the extraction rule that found it")
    section: str = _col("outline path of the quote, ' > '-joined", "")
    period: str = _col("FY | H1 | Q1 | M1-8 …", "FY")
    scope: str = _col("department | region", "department")
    approximate: bool = _col("the report qualifies it: 余/多/超/近/约", False)
    compared_to: int | None = _col("for change/change_rate: the year compared against", None)
    raw_value: str = _col("the number as written (`26,667.28`)", "")
    raw_unit: str = _col("the unit as written (`亿元`)", "")
    # where a table cell stood (None for prose, or where the reader does not know)
    page: int | None = _col("1-based PDF page of the quote", None)
    table: str | None = _col("table the cell is in: standard table code or printed title", None)
    row_code: str | None = _col("the row's classification code (科目编码, `2080501`)", None)
    row_label: str | None = _col("the row's label as printed", None)
    column: str | None = _col("the cell's column, as a normalised key", None)
    x0: float | None = _col("the cell's box on the page, left edge (PDF points from the top-left corner)", None)
    y0: float | None = _col("the cell's box on the page, top edge (PDF points from the top-left corner)", None)
    x1: float | None = _col("the cell's box on the page, right edge (PDF points from the top-left corner)", None)
    y1: float | None = _col("the cell's box on the page, bottom edge (PDF points from the top-left corner)", None)


@dataclass(frozen=True, slots=True)
class Column:
    """One field of the fact spec: name, type (str | int | float | bool | decimal), meaning, nullable."""

    name: str
    type: str
    meaning: str
    nullable: bool


# the Python annotation of a Fact field -> the spec's type name
_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "Decimal": "decimal"}


def _column(f: dataclasses.Field) -> Column:
    annotation = str(f.type).replace(" ", "")
    nullable = annotation.endswith("|None")
    base = annotation.removesuffix("|None")
    if base not in _TYPES or "meaning" not in f.metadata:
        raise TypeError(f"Fact.{f.name}: a fact field needs a type of {sorted(_TYPES)} and a meaning")
    return Column(f.name, _TYPES[base], f.metadata["meaning"], nullable)


FACT_COLUMNS: tuple[Column, ...] = tuple(_column(f) for f in dataclasses.fields(Fact))

# what a fact's record carries from its report, before the fact's own fields
REPORT_COLUMNS: tuple[Column, ...] = (
    Column("source", "str", "the file the fact was read from, as given", False),
    Column("sha256", "str", "SHA-256 of the file's bytes", False),
    Column("department", "str", "the department the report is about", True),
    Column("doc_kind", "str", "performance_evaluation | final_accounts | budget | unknown", False),
    Column("report_year", "int", "the fiscal year the report is about", True),
)


def fact_columns() -> tuple[Column, ...]:
    """The fact's fields, in order: the one column spec everything else is derived from."""
    return FACT_COLUMNS


@dataclass(slots=True)
class Report:
    """A document plus what ingest learnt from it: kind, department, year and facts."""

    document: Document
    doc_kind: str = "unknown"
    department: str | None = None
    year: int | None = None
    facts: list[Fact] = field(default_factory=list)
    year_source: str = "text"  # text | option | file name: where the fiscal year came from
    entity_level: str = "department"  # department (consolidated 部门) | unit (单位, 本级): such reports never merge
    evidence: tuple = ()  # metadata.Evidence per identity field: which place and line said it
    flags: tuple[str, ...] = ()  # doubts about the identity: 'placeholder: <line>', 'department given', …
    warnings: list[str] = field(default_factory=list)  # the reader's repairs, values refused: the report is flagged
    parser_version: str = ""  # the extraction code and data that found the facts (ingest.version)

    @property
    def identified(self) -> bool:
        """A report whose department was found (or given): only those reach the `facts` view."""
        return bool(self.department and self.department.strip())
    table_checks: tuple[TableCheck, ...] = ()  # table arithmetic evaluated as the tables were read

    @property
    def source(self) -> str:
        return self.document.source

    def records(self) -> list[dict]:
        """One flat dict per fact (REPORT_COLUMNS, then FACT_COLUMNS): the `yearwise extract` JSONL line and the
        warehouse row."""
        from yearwise.ingest.catalog import indicator_name

        base = {"source": self.document.source, "sha256": self.document.sha256,
                "department": self.department, "doc_kind": self.doc_kind, "report_year": self.year}
        out = []
        for f in self.facts:
            rec = {**base, **{name: getattr(f, name) for name in _FACT_NAMES}}
            rec["indicator_name"] = f.indicator_name or indicator_name(f.indicator)
            out.append(rec)
        return out


_FACT_NAMES = tuple(c.name for c in FACT_COLUMNS)


class IngestError(Exception):
    """A file that cannot be read; str() is one line naming the file and the cause."""

    def __init__(self, source: str, cause: str):
        self.source = source
        self.cause = cause
        super().__init__(f"{source}: {cause}")
