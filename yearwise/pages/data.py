"""What the pages show, read once from a warehouse: departments, reports (all versions), facts and check counts.

Facts are read from the base tables (not the `facts` view) so superseded versions have their review pages too
and optional columns (page, table, row_code, row_label, column, x0..y1) are used when the warehouse has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# fact columns the pages use when a warehouse has them (table cells: the table, its row and column, the box)
OPTIONAL_FACT_COLUMNS = ("page", "table", "row_code", "row_label", "column", "x0", "y0", "x1", "y1")

KIND_NAMES = {"final_accounts": "决算", "budget": "预算", "performance_evaluation": "绩效评价", "unknown": "未知"}
MEASURE_NAMES = {"level": "数值", "change": "增减额", "change_rate": "增减率", "share": "占比"}


@dataclass(frozen=True, slots=True)
class Department:
    department_id: int | None  # None: reports whose department could not be told
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Doc:
    """One ingested document version (a `report` row) and how many facts it holds."""

    report_id: int
    department_id: int | None
    department: str | None
    doc_kind: str
    fiscal_year: int | None
    source: str
    sha256: str
    format: str | None
    pages: int | None
    status: str
    superseded_by: int | None
    ingested_at: str
    facts: int

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.doc_kind, self.doc_kind)

    @property
    def file_name(self) -> str:
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class FactRow:
    """One fact with its report's kind, year and status; table fields and box are None when unknown."""

    fact_id: int
    report_id: int
    department_id: int | None
    year: int | None
    indicator: str
    indicator_name: str
    category: str | None
    measure: str
    period: str
    scope: str
    value: Decimal
    unit: str | None
    approximate: bool
    compared_to: int | None
    raw_value: str | None
    raw_unit: str | None
    quote: str | None
    start: int | None
    end: int | None
    section: str | None
    rule: str | None
    doc_kind: str
    report_year: int | None
    status: str
    page: int | None = None
    table: str | None = None
    row_code: str | None = None
    row_label: str | None = None
    column: str | None = None
    box: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 in PDF points

    @property
    def current(self) -> bool:
        return self.status == "current"

    @property
    def anchor(self) -> str:
        """The id of this fact's highlight on its review page."""
        return f"f{self.fact_id}"


@dataclass(frozen=True, slots=True)
class Check:
    """One evaluated check from the `checks` table, reduced to what the pages show."""

    check_id: int | None
    name: str
    status: str  # fail | doubtful | pass | cannot
    department: str | None
    year: int | None
    indicator: str | None
    detail: str = ""

    @property
    def doubting(self) -> bool:
        return self.status in ("fail", "doubtful")

    @property
    def text(self) -> str:
        return f"{self.name}: {self.status}" + (f" — {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class SiteData:
    departments: tuple[Department, ...]
    docs: tuple[Doc, ...]
    facts: tuple[FactRow, ...]
    checks: tuple[Check, ...] | None  # None: the warehouse has no checks table
    indicator_names: dict[str, str] = field(default_factory=dict)
    doubts: dict[int, tuple[Check, ...]] = field(default_factory=dict)  # fact_id -> failed/doubtful checks blaming it

    def docs_of(self, department_id: int | None) -> list[Doc]:
        return [d for d in self.docs if d.department_id == department_id]

    def facts_of_department(self, department_id: int | None, *, current: bool = True) -> list[FactRow]:
        return [f for f in self.facts if f.department_id == department_id and (f.current or not current)]

    def facts_of_report(self, report_id: int) -> list[FactRow]:
        return [f for f in self.facts if f.report_id == report_id]

    def checks_of(self, department: str) -> list[Check]:
        return [c for c in self.checks or () if c.department == department]


def _columns(con, table: str) -> list[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                       "ORDER BY ordinal_position", [table]).fetchall()
    return [r[0] for r in rows]


def _dicts(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def load(con, departments: list[str] | None = None) -> SiteData:
    """Everything the site shows; `departments` (canonical names) limits it to those departments' reports."""
    deps = _dicts(con, "SELECT department_id, name FROM department ORDER BY name")
    aliases: dict[int, list[str]] = {}
    for a in _dicts(con, "SELECT alias, department_id FROM department_alias ORDER BY alias"):
        aliases.setdefault(a["department_id"], []).append(a["alias"])
    if departments is not None:
        wanted = set(departments)
        deps = [d for d in deps if d["name"] in wanted]
    dep_ids = {d["department_id"] for d in deps}
    names = {d["department_id"]: d["name"] for d in deps}

    docs = [Doc(report_id=r["report_id"], department_id=r["department_id"], department=names.get(r["department_id"]),
                doc_kind=r["doc_kind"], fiscal_year=r["fiscal_year"], source=r["source"], sha256=r["sha256"],
                format=r["format"], pages=r["pages"], status=r["status"], superseded_by=r["superseded_by"],
                ingested_at=str(r["ingested_at"] or "")[:19], facts=r["n"])
            for r in _dicts(con, "SELECT r.*, (SELECT count(*) FROM fact f WHERE f.report_id = r.report_id) AS n "
                                 "FROM report r ORDER BY r.fiscal_year NULLS LAST, r.doc_kind, r.report_id")
            if departments is None or r["department_id"] in dep_ids]
    report_ids = {d.report_id for d in docs}

    present = set(_columns(con, "fact"))
    extra = [c for c in OPTIONAL_FACT_COLUMNS if c in present]
    extra_sql = "".join(f', f."{c}"' for c in extra)
    rows = _dicts(con, f"""
        SELECT f.fact_id, f.report_id, f.department_id, f.year, f.indicator_code AS indicator,
               coalesce(i.name, f.indicator_code) AS indicator_name, i.category, f.measure, f.period, f.scope,
               f.value, f.unit, f.approximate, f.compared_to, f.raw_value, f.raw_unit, f.quote,
               f.start_offset, f.end_offset, f.section, f.rule, r.doc_kind, r.fiscal_year AS report_year,
               r.status{extra_sql}
        FROM fact f JOIN report r ON r.report_id = f.report_id LEFT JOIN indicator i ON i.code = f.indicator_code
        ORDER BY f.report_id, f.start_offset NULLS LAST, f.fact_id""")
    facts = []
    for r in rows:
        if r["report_id"] not in report_ids:
            continue
        box = None
        if all(r.get(k) is not None for k in ("x0", "y0", "x1", "y1")):
            box = (float(r["x0"]), float(r["y0"]), float(r["x1"]), float(r["y1"]))
        facts.append(FactRow(
            fact_id=r["fact_id"], report_id=r["report_id"], department_id=r["department_id"], year=r["year"],
            indicator=r["indicator"], indicator_name=r["indicator_name"], category=r["category"],
            measure=r["measure"], period=r["period"], scope=r["scope"], value=r["value"], unit=r["unit"],
            approximate=bool(r["approximate"]), compared_to=r["compared_to"], raw_value=r["raw_value"],
            raw_unit=r["raw_unit"], quote=r["quote"], start=r["start_offset"], end=r["end_offset"],
            section=r["section"], rule=r["rule"], doc_kind=r["doc_kind"], report_year=r["report_year"],
            status=r["status"], page=_int(r.get("page")), table=r.get("table"),
            row_code=_str(r.get("row_code")), row_label=r.get("row_label"), column=r.get("column"), box=box))

    # departments that have reports or facts; reports with no department get a page of their own
    used = {d.department_id for d in docs} | {f.department_id for f in facts}
    out_deps = [Department(d["department_id"], d["name"], tuple(a for a in aliases.get(d["department_id"], [])
                                                                  if a != d["name"]))
                for d in deps if d["department_id"] in used]
    if None in used and departments is None:
        out_deps.append(Department(None, "（未识别部门）"))
    ind_names = {r["code"]: r["name"] for r in _dicts(con, "SELECT code, name FROM indicator")}
    all_names = {d["department_id"]: d["name"] for d in _dicts(con, "SELECT department_id, name FROM department")}
    checks = load_checks(con, all_names)
    if checks is not None and departments is not None:
        checks = tuple(c for c in checks if c.department in set(departments))
    return SiteData(tuple(out_deps), tuple(docs), tuple(facts), checks, ind_names, blamed_facts(con, checks))


def _int(v) -> int | None:
    return None if v is None else int(v)


def _str(v) -> str | None:
    return None if v is None or v == "" else str(v)


DETAIL_NAMES = {"message": "", "stated": "所述", "expected": "应为", "difference": "差"}


def load_checks(con, department_names: dict[int, str]) -> tuple[Check, ...] | None:
    """Rows of the `checks` table (None when the warehouse has none: an older warehouse shows no counts)."""
    cols = set(_columns(con, "checks"))
    if not {"check", "status"} <= cols:
        return None
    out = []
    for r in _dicts(con, "SELECT * FROM checks"):
        bits = [f"{DETAIL_NAMES[c]} {_plain(r[c])}".strip() for c in DETAIL_NAMES if r.get(c) is not None]
        dep = r.get("department_id")
        out.append(Check(r.get("check_id"), str(r["check"]), str(r["status"] or "").lower(),
                         None if dep is None else department_names.get(dep), _int(r.get("year")), r.get("indicator"),
                         "；".join(b for b in bits if b)))
    return tuple(out)


def _plain(v) -> str:
    return f"{v.normalize():f}" if isinstance(v, Decimal) else str(v)


def blamed_facts(con, checks: tuple[Check, ...] | None) -> dict[int, tuple[Check, ...]]:
    """fact_id -> the failed or doubtful checks that doubt that fact as a stated figure (check_fact.blamed)."""
    if not checks or not {"check_id", "fact_id", "blamed"} <= set(_columns(con, "check_fact")):
        return {}
    by_id = {c.check_id: c for c in checks if c.doubting}
    out: dict[int, list[Check]] = {}
    for fact_id, check_id in con.execute("SELECT fact_id, check_id FROM check_fact WHERE blamed").fetchall():
        if check_id in by_id:
            out.setdefault(fact_id, []).append(by_id[check_id])
    return {k: tuple(v) for k, v in out.items()}
