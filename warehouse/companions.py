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
  AND left(f.row_code, 1) = '2' AND length(f.row_code) IN (5, 7)
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
                if len(code) in (5, 7) and (code not in names or label < names[code]):
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
