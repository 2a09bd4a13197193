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


def _least(names: dict[str, str], printings) -> None:
    """Add (code, name) printings to `names`, a code keeping the least of its names: no order decides."""
    for code, label in printings:
        if code not in names or label < names[code]:
            names[code] = label


def printed_names(reports) -> dict[tuple[str, int], dict[str, str]]:
    """(canonical department, year) -> code -> the name the reports' tables print for each 功能分类 类/款/项 code."""
    out: dict[tuple[str, int], dict[str, str]] = {}
    for r in reports:
        if r.department and r.year:
            _least(out.setdefault((canonical_department(r.department), r.year), {}),
                   ((c, n) for c, n in table_subjects(r.document.tables, r.year).items() if len(c) in (3, 5, 7)))
    return out


def _needs(report) -> bool:
    return bool(report.department and report.year) and any(
        not f.table and f.indicator.startswith("item.") and "(" in (f.quote or "") + f.indicator for f in report.facts)


def with_companion_subjects(con, reports: list, printed: dict | None = None) -> list:
    """The reports, each with the prose items its companions' tables name renamed (the others unchanged), from the
    names `printed` (default: printed_names(reports)) and those of the warehouse."""
    if not any(_needs(r) for r in reports):
        return reports
    printed = printed_names(reports) if printed is None else printed
    out = []
    for r in reports:
        if not _needs(r):
            out.append(r)
            continue
        name = canonical_department(r.department)
        names = dict(printed.get((name, r.year), {}))
        _least(names, con.execute(_PRINTED_SQL, [r.year, name, name]).fetchall())
        facts = name_by_companion_tables(r.facts, names)
        out.append(r if facts == r.facts else replace(r, facts=facts))
    return out


# the current reports of the given department-years, other than those just loaded (by sha256)
_EARLIER_SQL = """
WITH k AS (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::INTEGER[]) AS year),
deps AS (SELECT k.year, d.department_id FROM k JOIN department d ON d.name = k.name
         UNION SELECT k.year, a.department_id FROM k JOIN department_alias a ON a.alias = k.name)
SELECT DISTINCT r.report_id, coalesce(r.source_path, r.source), r.sha256, r.department_id, r.fiscal_year, r.doc_kind
FROM report r JOIN deps ON deps.department_id = r.department_id AND deps.year = r.fiscal_year
WHERE r.status = 'current' AND NOT (r.sha256 = ANY(?::VARCHAR[]))
ORDER BY r.report_id
"""
# of those, the ones with a prose item a level mark names
_NARRATIVES_SQL = """
SELECT DISTINCT report_id FROM fact
WHERE report_id = ANY(?::BIGINT[]) AND "table" IS NULL AND indicator_code LIKE 'item.%'
  AND (quote LIKE '%(%' OR indicator_code LIKE '%(%')
"""


def name_earlier_narratives(con, reports: list, printed: dict | None = None) -> int:
    """Narratives of the departments and years whose tables `reports` (just loaded) print, loaded before them (an
    earlier batch or run): extracted again from their files and named by those tables, so what is stored does not
    depend on where an ingest's batches fell. The number of reports renamed. Two queries a batch: the reports of
    those department-years first (the report table), their facts only when there are any."""
    from pathlib import Path

    from yearwise.ingest import IngestError, extract_document, read
    from yearwise.ingest.version import parser_version
    from yearwise.warehouse.reextract import _replace_facts

    printed = printed_names(reports) if printed is None else printed
    keys = sorted(k for k, names in printed.items() if any(len(c) in (5, 7) for c in names))
    if not keys:
        return 0
    earlier = con.execute(_EARLIER_SQL, [[n for n, _ in keys], [y for _, y in keys],
                                         [r.document.sha256 for r in reports]]).fetchall()
    if not earlier:
        return 0
    marked = {rid for (rid,) in con.execute(_NARRATIVES_SQL, [[row[0] for row in earlier]]).fetchall()}
    renamed = 0
    for rid, source, sha, dep_id, fiscal_year, kind in earlier:
        if rid not in marked:
            continue
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
