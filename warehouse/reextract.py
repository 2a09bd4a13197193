"""Re-extraction: the reports whose facts came from other extraction code or rules (their `parser_version`
differs from ingest.version.parser_version()) are read again from their source file and their facts replaced,
each report in one transaction; what changed is returned fact by fact, so a user sees what the new rules did.

The report keeps its identity (department, fiscal year, kind, status): re-ingest a file to re-identify it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from yearwise.ingest import IngestError, extract_document, read
from yearwise.ingest.version import parser_version
from yearwise.warehouse.companions import with_companion_subjects
from yearwise.warehouse.load import _fact_columns, _facts_frame, _insert_facts, frame_transaction, sync_indicators
from yearwise.warehouse.schema import settle


@dataclass(frozen=True, slots=True)
class FactKey:
    """What makes a fact the same fact in two versions: indicator, measure, year, period, scope, value and quote."""

    indicator: str
    measure: str
    year: int | None
    period: str
    scope: str
    value: Decimal
    unit: str
    quote: str

    def line(self) -> str:
        return f"{self.indicator} {self.measure} {self.year} {self.period} {self.scope} {self.value:f} {self.unit}  " \
               f"{' '.join(self.quote.split())!r}"


@dataclass(frozen=True, slots=True)
class Reextraction:
    """What re-extracting one report did: status re-extracted | missing | changed | failed, and the fact changes."""

    source: str
    report_id: int
    old_version: str | None
    new_version: str
    status: str
    message: str = ""
    removed: tuple[FactKey, ...] = ()
    added: tuple[FactKey, ...] = ()


def stale(con, version: str | None = None) -> list[tuple]:
    """(report_id, source, sha256, department_id, fiscal_year, doc_kind, parser_version) of every report whose
    parser_version is not `version` (default: the current one)."""
    settle(con)
    return con.execute(
        "SELECT report_id, source, sha256, department_id, fiscal_year, doc_kind, parser_version FROM report "
        "WHERE parser_version IS DISTINCT FROM ? ORDER BY report_id", [version or parser_version()]).fetchall()


def _key(indicator, measure, year, period, scope, value, unit, quote) -> FactKey:
    return FactKey(indicator, measure, year, period, scope, Decimal(value).normalize(), unit or "", quote or "")


def reextract(con) -> list[Reextraction]:
    """Re-extract every stale report (see `stale`); the checks of the departments touched are evaluated again."""
    version = parser_version()
    out = []
    touched = set()
    sync_indicators(con)
    for rid, source, sha, dep_id, year, kind, old in stale(con, version):
        path = Path(source)
        if not path.is_file():
            out.append(Reextraction(source, rid, old, version, "missing", "the source file is no longer there"))
            continue
        try:
            doc = read(path)
            if doc.sha256 != sha:
                out.append(Reextraction(source, rid, old, version, "changed",
                                        "the file's bytes changed: ingest it again to load the new version"))
                continue
            report = extract_document(doc, year=year, doc_kind=kind if kind != "unknown" else None)
            report = with_companion_subjects(con, [report])[0]  # as an ingest names it (warehouse.companions)
        except IngestError as e:
            out.append(Reextraction(source, rid, old, version, "failed", e.cause))
            continue
        before = Counter(_key(*row) for row in con.execute(
            "SELECT indicator_code, measure, year, period, scope, value, unit, quote FROM fact WHERE report_id = ?",
            [rid]).fetchall())
        _replace_facts(con, rid, dep_id, year, report, version)
        after = Counter(_key(f.indicator, f.measure, f.year if f.year is not None else year, f.period, f.scope,
                             f.value, f.unit, f.quote) for f in report.facts)
        out.append(Reextraction(source, rid, old, version, "re-extracted", f"{len(report.facts)} facts",
                                tuple(sorted((before - after).elements(), key=str)),
                                tuple(sorted((after - before).elements(), key=str))))
        if dep_id is not None:
            touched.add(dep_id)
    if touched:
        from yearwise.warehouse.checks import run_checks

        run_checks(con, sorted(touched))
    return out


def _replace_facts(con, report_id: int, department_id, year, report, version: str) -> None:
    """One transaction: the report's facts (and what refers to them) out, the new ones in, its version set."""
    from yearwise.warehouse.checks import record_restatements, record_table_sums

    with frame_transaction(con, _facts_frame([_fact_columns(report)]), "_yw_reextract") as name:
        con.execute("DELETE FROM check_fact WHERE fact_id IN (SELECT fact_id FROM fact WHERE report_id = ?)",
                    [report_id])
        con.execute("DELETE FROM restatement WHERE report_id = ?", [report_id])
        con.execute("DELETE FROM table_sum WHERE report_id = ?", [report_id])
        con.execute("DELETE FROM fact WHERE report_id = ?", [report_id])
        if report.facts:
            _insert_facts(con, name, [0], [report_id], [department_id], [year])
        record_restatements(con, [(report_id, report)])
        record_table_sums(con, [(report_id, report)])
        con.execute("UPDATE report SET parser_version = ? WHERE report_id = ?", [version, report_id])
