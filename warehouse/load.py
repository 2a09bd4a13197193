"""Loading reports: one transaction per document, facts inserted in bulk from a polars DataFrame.

A document is identified by its sha256 (loading it again changes nothing); a different file for the
same department, fiscal year and kind becomes the current version and the earlier ones are kept as
'superseded', so `facts` shows one version and `all_facts` the history.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from warehouse.departments import department_id
from warehouse.schema import first_row, settle

_synced: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # connection -> catalog synced into it
_names = itertools.count()

_FACT_SCHEMA = {
    "year": pl.Int64, "indicator": pl.String, "indicator_name": pl.String, "measure": pl.String,
    "value": pl.String, "unit": pl.String, "period": pl.String, "scope": pl.String, "approximate": pl.Boolean,
    "compared_to": pl.Int64, "raw_value": pl.String, "raw_unit": pl.String, "quote": pl.String,
    "start": pl.Int64, "end": pl.Int64, "section": pl.String, "rule": pl.String,
}

UNIT_KINDS = {"万元": "money", "元": "money", "亿元": "money", "%": "percent", "分": "score"}


@dataclass
class LoadResult:
    """What load_report did with one document."""

    source: str
    department: str | None  # canonical name
    year: int | None
    doc_kind: str
    facts: int  # facts of this document now in the warehouse
    status: str  # loaded | unchanged | replaced
    superseded: list[str] = field(default_factory=list)  # sources of the versions this one replaced


def _parser_version() -> str | None:
    try:
        import ingest

        v = getattr(ingest, "PARSER_VERSION", None) or getattr(ingest, "__version__", None)
        if v:
            return str(v)
        import yearwise

        return f"yearwise {yearwise.__version__}"
    except Exception:  # a half-installed checkout: the report row just lacks it
        return None


def _value_text(v) -> str:
    """The exact decimal text DuckDB casts to DECIMAL(20,6) (never via float)."""
    if not isinstance(v, Decimal):
        v = Decimal(str(v))
    return format(v, "f")


def sync_indicators(con, *, force: bool = False) -> int:
    """Upsert the indicator catalog into `indicator` (once per connection unless forced); rows written."""
    from ingest.catalog import load_catalog

    catalog = load_catalog()
    try:
        if not force and _synced.get(con) is catalog:
            return 0
    except TypeError:  # connection type not weak-referenceable: sync every time
        pass
    rows = [{"code": i.code, "name": i.name, "category": i.category, "unit_kind": i.unit_kind,
             "unit": i.unit, "additive": bool(i.additive)} for i in catalog]
    if rows:
        df = pl.DataFrame(rows, schema={"code": pl.String, "name": pl.String, "category": pl.String,
                                        "unit_kind": pl.String, "unit": pl.String, "additive": pl.Boolean})
        name = f"_yw_indicators_{next(_names)}"
        con.register(name, df)  # outside the transaction: an aborted one refuses even unregister
        try:
            con.begin()
            try:
                con.execute(
                    f"INSERT INTO indicator (code, name, category, unit_kind, unit, additive) "
                    f"SELECT code, name, category, unit_kind, unit, additive FROM {name} "
                    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, "
                    "unit_kind = excluded.unit_kind, unit = excluded.unit, additive = excluded.additive")
                con.commit()
            except BaseException:
                _rollback(con)
                raise
        finally:
            con.unregister(name)
    try:
        _synced[con] = catalog
    except TypeError:
        pass
    return len(rows)


def _rollback(con) -> None:
    try:
        con.rollback()
    except Exception:  # no transaction left to roll back (e.g. the error ended it)
        pass


def _facts_frame(report) -> pl.DataFrame:
    rows = report.records()
    cols = {k: [r[k] for r in rows] for k in _FACT_SCHEMA}  # column-wise: several times faster than row dicts
    cols["value"] = [_value_text(v) for v in cols["value"]]
    return pl.DataFrame(cols, schema=_FACT_SCHEMA).with_row_index("rn")  # rn: the report's order


def load_report(con, report, *, region: str | None = None) -> LoadResult:
    """Load one Report in one transaction: department, report row, unknown indicators, facts in bulk.

    On any error the transaction is rolled back (nothing of the document is written) and the error raised.
    """
    settle(con)
    sync_indicators(con)
    df = _facts_frame(report)  # before BEGIN: a bad record fails without touching the database
    name = f"_yw_facts_{next(_names)}"
    con.register(name, df)  # outside the transaction: an aborted one refuses even unregister
    try:
        return _load(con, report, df, name, region)
    finally:
        con.unregister(name)


def _load(con, report, df: pl.DataFrame, name: str, region: str | None) -> LoadResult:
    doc = report.document
    con.begin()
    try:
        row = first_row(con, "SELECT report_id, (SELECT name FROM department d "
                        "WHERE d.department_id = r.department_id) FROM report r WHERE sha256 = ?", [doc.sha256])
        if row is not None:
            con.rollback()
            n = first_row(con, "SELECT count(*) FROM fact WHERE report_id = ?", [row[0]])[0]
            return LoadResult(doc.source, row[1], report.year, report.doc_kind, n, "unchanged")

        dep_id = department_id(con, report.department, region=region)
        dep_name = None
        if dep_id is not None:
            dep_name = first_row(con, "SELECT name FROM department WHERE department_id = ?", [dep_id])[0]

        earlier: list[tuple[int, str]] = []
        if dep_id is not None and report.year is not None and report.doc_kind != "unknown":
            earlier = con.execute(
                "SELECT report_id, source FROM report WHERE department_id = ? AND fiscal_year = ? "
                "AND doc_kind = ? AND status = 'current' ORDER BY report_id",
                [dep_id, report.year, report.doc_kind]).fetchall()
            earlier = _versions_of(con, name, earlier)

        report_id = first_row(con,
            "INSERT INTO report (sha256, source, doc_kind, department_id, fiscal_year, pages, format, "
            "parser_version, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'current') RETURNING report_id",
            [doc.sha256, doc.source, report.doc_kind, dep_id, report.year, doc.pages, doc.format,
             _parser_version()])[0]
        if earlier:
            con.execute(
                "UPDATE report SET status = 'superseded', superseded_by = ? WHERE report_id IN "
                f"({', '.join('?' * len(earlier))})", [report_id, *(rid for rid, _ in earlier)])

        if df.height:
            _insert_facts(con, name, report_id, dep_id, report.year)
        con.commit()
    except BaseException:
        _rollback(con)
        raise
    return LoadResult(doc.source, dep_name, report.year, report.doc_kind, df.height,
                      "replaced" if earlier else "loaded", [src for _, src in earlier])


# a document that states at least this share of another's figures is a new version of it; less, and it is a
# companion (the 表格 file beside the 文件 of a Jiangsu budget) that stays current beside it
VERSION_OVERLAP = 0.5


def _versions_of(con, name: str, earlier: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Those earlier reports of the same department, year and kind that the new one restates, figure for figure."""
    if not earlier:
        return []
    ids = [rid for rid, _ in earlier]
    new_total = first_row(con, f"SELECT count(DISTINCT (indicator, CAST(value AS DECIMAL(20, 6)))) FROM {name}")[0]
    rows = con.execute(
        "SELECT f.report_id, count(DISTINCT (f.indicator_code, f.value)), "
        "count(DISTINCT (f.indicator_code, f.value)) FILTER (WHERE n.indicator IS NOT NULL) "
        f"FROM fact f LEFT JOIN (SELECT DISTINCT indicator, CAST(value AS DECIMAL(20, 6)) AS v FROM {name}) n "
        "ON n.indicator = f.indicator_code AND n.v = f.value "
        f"WHERE f.report_id IN ({', '.join('?' * len(ids))}) GROUP BY f.report_id", ids).fetchall()
    overlap = {rid: (total, shared) for rid, total, shared in rows}
    versions = []
    for rid, source in earlier:
        total, shared = overlap.get(rid, (0, 0))
        smaller = min(total, new_total)
        if smaller == 0 or shared >= VERSION_OVERLAP * smaller:
            versions.append((rid, source))
    return versions


def _insert_facts(con, name: str, report_id: int, dep_id: int | None, year: int | None) -> None:
    """Unknown indicator codes get a row named by their first fact; then every fact in one INSERT ... SELECT."""
    con.execute(
        "INSERT INTO indicator (code, name, category, unit_kind, unit, additive) "
        "SELECT indicator, arg_min(coalesce(nullif(indicator_name, ''), indicator), rn), "
        "split_part(indicator, '.', 1), "
        "CASE arg_min(unit, rn) " + " ".join(f"WHEN '{u}' THEN '{k}'" for u, k in UNIT_KINDS.items())
        + " ELSE 'count' END, arg_min(unit, rn), false "
        f"FROM {name} GROUP BY indicator "
        "ON CONFLICT (code) DO NOTHING")
    con.execute(
        "INSERT INTO fact (report_id, department_id, year, indicator_code, measure, period, scope, value, "
        "unit, approximate, compared_to, raw_value, raw_unit, quote, start_offset, end_offset, section, rule) "
        "SELECT ?, ?, coalesce(year, ?), indicator, measure, period, scope, CAST(value AS DECIMAL(20, 6)), "
        "unit, approximate, compared_to, raw_value, raw_unit, quote, \"start\", \"end\", section, rule "
        f"FROM {name} ORDER BY rn", [report_id, dep_id, year])


def load_reports(con, reports, *, region: str | None = None) -> list[LoadResult]:
    """load_report for each report in turn (each its own transaction); stops at the first error."""
    return [load_report(con, r, region=region) for r in reports]
