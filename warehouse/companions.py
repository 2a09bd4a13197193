"""A narrative 文件 whose tables are a separate 表格 file of the same department and year: its 款/项 lines are named
by the codes the companion prints (ingest.subject_paths.name_by_companion_tables), from the reports loaded with it
and those already in the warehouse. Extraction stays pure; this only supplies the companions' printed names."""

from __future__ import annotations

from dataclasses import replace

from yearwise.ingest.subject_paths import name_by_companion_tables, table_subjects
from yearwise.warehouse.departments import canonical_department

_PRINTED_SQL = """
SELECT f.row_code, min(f.row_label)
FROM fact f JOIN report r ON r.report_id = f.report_id
WHERE r.status = 'current' AND f.year = ? AND f.row_code IS NOT NULL AND f.row_label IS NOT NULL
  AND left(f.row_code, 1) = '2' AND length(f.row_code) IN (3, 5, 7)
  AND f.department_id IN (SELECT department_id FROM department WHERE name = ?
                          UNION SELECT department_id FROM department_alias WHERE alias = ?)
GROUP BY f.row_code
"""


def _needs(report) -> bool:
    return bool(report.department and report.year) and any(
        not f.table and f.indicator.startswith("item.") and "(" in (f.quote or "") + f.indicator for f in report.facts)


def with_companion_subjects(con, reports: list) -> list:
    """The reports, each with the prose items its companions' tables name renamed (the others unchanged). A code's
    name is the least of its printings (min), so the outcome does not depend on which file came first."""
    if not any(_needs(r) for r in reports):
        return reports
    printed: dict[tuple[str, int], dict[str, str]] = {}
    for r in reports:
        if r.department and r.year:
            names = printed.setdefault((canonical_department(r.department), r.year), {})
            for code, label in table_subjects(r.document.tables, r.year).items():
                if len(code) in (3, 5, 7) and (code not in names or label < names[code]):
                    names[code] = label
    out = []
    for r in reports:
        if not _needs(r):
            out.append(r)
            continue
        name = canonical_department(r.department)
        names = dict(printed.get((name, r.year), {}))
        for code, label in con.execute(_PRINTED_SQL, [r.year, name, name]).fetchall():
            if code not in names or label < names[code]:
                names[code] = label
        facts = name_by_companion_tables(r.facts, names)
        out.append(r if facts == r.facts else replace(r, facts=facts))
    return out


_EARLIER_SQL = """
SELECT DISTINCT r.report_id, coalesce(r.source_path, r.source), r.sha256, r.department_id, r.fiscal_year, r.doc_kind
FROM report r JOIN fact f ON f.report_id = r.report_id
WHERE r.status = 'current' AND r.fiscal_year = ? AND NOT (r.sha256 = ANY(?::VARCHAR[]))
  AND r.department_id IN (SELECT department_id FROM department WHERE name = ?
                          UNION SELECT department_id FROM department_alias WHERE alias = ?)
  AND f."table" IS NULL AND f.indicator_code LIKE 'item.%' AND (f.quote LIKE '%(%' OR f.indicator_code LIKE '%(%')
ORDER BY r.report_id
"""


def name_earlier_narratives(con, reports: list) -> int:
    """Narratives of the departments and years whose tables `reports` (just loaded) print, loaded before them (an
    earlier batch or run): extracted again from their files and named by those tables, so what is stored does not
    depend on where an ingest's batches fell. The number of reports renamed."""
    from pathlib import Path

    from yearwise.ingest import IngestError, extract_document, read
    from yearwise.ingest.version import parser_version
    from yearwise.warehouse.reextract import _replace_facts

    keys = sorted({(canonical_department(r.department), r.year) for r in reports if r.department and r.year
                   and any(len(c) in (5, 7) for c in table_subjects(r.document.tables, r.year))})
    shas = [r.document.sha256 for r in reports]
    renamed = 0
    for name, year in keys:
        for rid, source, sha, dep_id, fiscal_year, kind in con.execute(_EARLIER_SQL, [year, shas, name, name]).fetchall():
            try:
                doc = read(Path(source))
                if doc.sha256 != sha:
                    continue  # the file changed since: its next ingest loads it as a new version
                report = extract_document(doc, year=fiscal_year, doc_kind=kind if kind != "unknown" else None)
            except (IngestError, OSError):
                continue
            named = with_companion_subjects(con, [report])[0]
            if named is not report:
                _replace_facts(con, rid, dep_id, fiscal_year, named, parser_version())
                renamed += 1
    return renamed
