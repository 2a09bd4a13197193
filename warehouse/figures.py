"""The tables the canned queries read instead of every fact, kept in step with the facts, reports and checks they
are made from (issue 13: a trend over 10 million facts is then a filtered scan): `figure`, each department-year's
picked value per indicator, measure, unit and comparison year; `budget_figure`, the budget and spending levels
budget_trend shows, with their names, kept in its answer order; `department_budget`, those of the budget roles
pivoted by part (budget_variance); `department_year` and `indicator_year`, what each department-year (and each
indicator in it) holds, for the coverage query; `indicator_year` carries the names and is kept in coverage's answer
order, so that the query reads up to millions of rows without sorting them.

The pick is the canned queries' own: current reports, FY, department scope; a value no check doubts first, then
pick_rank (exact, the report of that year, the report family), then the largest value, then the source. A level
row also carries the same key's value a year earlier and the change to it.

`figure_stamp` holds a stamp of the state the tables were built from (counts and newest ids of fact and checks, a
hash of the reports' pick inputs, the department and indicator names, the family ranks). A writer that knows which
departments it changed wraps its work in `refreshed` and only their rows are made again; a query finding the stamp
stale (`ensure`: an ad-hoc write, an older file) rebuilds the whole tables, in the file when the connection may
write, else as temporary tables that this connection alone reads. Plain SQL: opening a warehouse imports no SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from yearwise.warehouse.results import first_row

_BUILD = """
WITH candidates AS (
    SELECT f.fact_id, f.report_id, f.department_id, f.indicator_code, f.measure, f.unit, f.compared_to, f.year,
           f.value, r.source,
           (coalesce(cf.checks_failed, 0) > 0)::INT * 16  -- a value a check doubts comes after every other
           + pick_rank(f.approximate, r.fiscal_year, f.year, r.doc_kind) AS pick_rank,  -- 0 is best
           coalesce(cf.checks_failed, 0) AS failed
    FROM fact f
    JOIN report r ON r.report_id = f.report_id
    LEFT JOIN fact_checks_failed cf ON cf.fact_id = f.fact_id
    WHERE r.status = 'current' AND f.scope = 'department' AND f.period = 'FY'
      AND f.department_id IS NOT NULL AND f.year IS NOT NULL AND f.value IS NOT NULL AND f.measure IS NOT NULL
      AND f.indicator_code IS NOT NULL{only}
),
picked AS (
    SELECT department_id, indicator_code, measure, unit, compared_to, year,
           arg_min({{'value': value, 'pick_rank': pick_rank, 'failed': failed, 'fact_id': fact_id,
                     'report_id': report_id, 'source': source}},
                   (pick_rank, -value, source, fact_id)) AS p
    FROM candidates
    GROUP BY department_id, indicator_code, measure, unit, compared_to, year
),
best AS (
    -- the first of an indicator's figures of one measure and year across units and comparison years (a change
    -- compared with the year before, or not saying with which): what growth_rates and department_ranking show
    SELECT department_id, indicator_code, measure, year,
           arg_min(p.fact_id, (p.pick_rank, -p.value, p.source, p.fact_id)) AS fact_id
    FROM picked
    WHERE measure = 'level' OR compared_to IS NULL OR compared_to = year - 1
    GROUP BY department_id, indicator_code, measure, year
)
SELECT c.department_id, c.indicator_code, c.measure, c.unit, c.compared_to, c.year,
       c.p.value AS value, c.p.pick_rank::SMALLINT AS pick_rank, c.p.failed::BIGINT AS checks_failed,
       c.p.fact_id AS fact_id, c.p.report_id AS report_id,
       pr.p.value AS prior_value, pr.p.failed::BIGINT AS prior_checks_failed,
       c.p.value - pr.p.value AS change,
       round((c.p.value - pr.p.value) * 100.0 / NULLIF(pr.p.value, 0), 2) AS change_rate,
       b.fact_id IS NOT NULL AS best
FROM picked c
LEFT JOIN best b ON b.fact_id = c.p.fact_id
LEFT JOIN picked pr
       ON c.measure = 'level' AND pr.measure = 'level' AND pr.department_id = c.department_id
      AND pr.indicator_code = c.indicator_code AND pr.unit IS NOT DISTINCT FROM c.unit
      AND pr.compared_to IS NOT DISTINCT FROM c.compared_to AND pr.year = c.year - 1
-- clustered by indicator: a query for a few indicators reads a few row groups (their min/max skip the rest)
ORDER BY c.indicator_code, c.measure, c.unit, c.department_id, c.year
"""

# budget_trend's rows: the budget and spending levels in 万元 with their names, stored in its answer order (department
# name, indicator code, year), so that the query reads them in order instead of sorting 400,000 rows at 10M facts
_BUDGET_CODES = ("budget.total", "budget.basic", "budget.project", "spending.total", "spending.basic",
                 "spending.project")
_BUDGET_FIGURE_ORDER = "department, indicator_code, year"
_BUDGET_FIGURE = f"""
SELECT f.department_id, d.name AS department, f.indicator_code, i.name AS indicator_name, f.year,
       f.value, f.prior_value, f.change, f.change_rate,
       -- the picked values' failed checks: non-zero only when every candidate is doubted
       f.checks_failed + coalesce(f.prior_checks_failed, 0) AS checks_failed,
       f.fact_id
FROM figure f
JOIN department d ON d.department_id = f.department_id
LEFT JOIN indicator i ON i.code = f.indicator_code
WHERE f.measure = 'level' AND f.unit = '万元' AND f.compared_to IS NULL
  AND f.indicator_code = ANY([{", ".join(f"'{c}'" for c in _BUDGET_CODES)}]){{only}}
ORDER BY {_BUDGET_FIGURE_ORDER}
"""

# what each department-year holds, counted over every fact of a current report (coverage.sql)
_CORE = ("['budget.total', 'budget.basic', 'budget.project', 'budget.initial.total', 'budget.initial.basic', "
         "'budget.initial.project', 'spending.total', 'spending.basic', 'spending.project']")
_COUNTED = """
    FROM fact f
    JOIN report r ON r.report_id = f.report_id
    WHERE r.status = 'current'{only}"""
_LEVEL = "f.measure = 'level' AND f.scope = 'department' AND f.period = 'FY'"
_DEPARTMENT_YEAR = f"""
SELECT department_id, year, indicators, facts, level_facts, documents, doc_kinds,
       list_filter({_CORE}, lambda code: NOT list_contains(level_codes, code)) AS missing_core
FROM (
    SELECT f.department_id, f.year,
           count(DISTINCT f.indicator_code) AS indicators,
           count(*) AS facts,
           count(*) FILTER (WHERE {_LEVEL}) AS level_facts,
           count(DISTINCT r.source) AS documents,
           array_to_string(list_sort(list_distinct(list(r.doc_kind))), ',') AS doc_kinds,
           coalesce(list(DISTINCT f.indicator_code) FILTER (WHERE {_LEVEL}), []) AS level_codes
    {{{{counted}}}}
    GROUP BY f.department_id, f.year
)
ORDER BY department_id, year
""".replace("{{counted}}", _COUNTED)
# ... and each indicator in it, with the names coverage shows, stored in coverage's answer order (department name,
# year, indicator code: `Derived.ordered`), so that an indicator query reads its rows in order instead of sorting
_INDICATOR_YEAR_ORDER = "department NULLS LAST, year NULLS LAST, indicator_code"
_INDICATOR_YEAR = f"""
SELECT c.department_id, d.name AS department, c.year, c.indicator_code, i.name AS indicator_name,
       c.facts, c.level_facts, c.documents, c.doc_kinds
FROM (
    SELECT f.department_id, f.year, f.indicator_code,
           count(*) AS facts,
           count(*) FILTER (WHERE {_LEVEL}) AS level_facts,
           count(DISTINCT r.source) AS documents,
           array_to_string(list_sort(list_distinct(list(r.doc_kind))), ',') AS doc_kinds
    {{{{counted}}}} AND f.indicator_code IS NOT NULL
    GROUP BY f.department_id, f.year, f.indicator_code
) c
LEFT JOIN department d ON d.department_id = c.department_id
LEFT JOIN indicator i ON i.code = c.indicator_code
ORDER BY {_INDICATOR_YEAR_ORDER}
""".replace("{{counted}}", _COUNTED)


# budget_variance's roles, each a column of department_budget
_ROLES = (("initial", "initial_budget"), ("budget", "full_year_budget"), ("spending", "final_spending"),
          ("stated_variance_rate", "stated_variance_rate"), ("stated_execution_rate", "stated_execution_rate"))
_ORDER = "value - pick_rank * 1000000000000000"  # best pick_rank first, then the largest value


def _role_picks() -> str:
    """Per role: its picked value, and the failed checks on it (non-zero only when every candidate is doubted)."""
    return ",\n".join(f"""           CAST(max({_ORDER}) FILTER (WHERE role = '{role}')
                + min(pick_rank) FILTER (WHERE role = '{role}') * 1000000000000000
                AS DECIMAL(26, 12)) AS {column},
           CASE WHEN min(pick_rank) FILTER (WHERE role = '{role}') >= 16  -- every candidate doubted
                THEN arg_max(failed, {_ORDER}) FILTER (WHERE role = '{role}' AND failed > 0)
                ELSE 0 END AS {column}_failed""" for role, column in _ROLES)


# the figures of budget_variance: per department, year and part, the role picks pivoted, and what they give
_DEPARTMENT_BUDGET = f"""
WITH roles (code, part_order, role, money) AS (  -- part_order: 1 total, 2 basic, 3 project
    VALUES ('budget.initial.total', 1, 'initial', true),
           ('budget.initial.basic', 2, 'initial', true),
           ('budget.initial.project', 3, 'initial', true),
           ('budget.total', 1, 'budget', true),
           ('budget.basic', 2, 'budget', true),
           ('budget.project', 3, 'budget', true),
           ('spending.total', 1, 'spending', true),
           ('spending.basic', 2, 'spending', true),
           ('spending.project', 3, 'spending', true),
           ('budget.final_variance_rate.total', 1, 'stated_variance_rate', false),
           ('budget.final_variance_rate.basic', 2, 'stated_variance_rate', false),
           ('budget.final_variance_rate.project', 3, 'stated_variance_rate', false),
           ('budget.execution_rate', 1, 'stated_execution_rate', false)
),
candidates AS (
    -- picked figures (warehouse.figures): per role the best of a department-year's figures is picked again below
    SELECT f.department_id, f.year, m.part_order, m.role, f.value, f.pick_rank, f.checks_failed AS failed
    FROM figure f
    JOIN roles m ON m.code = f.indicator_code
    WHERE f.unit = ANY(['万元', '%'])
      AND CASE WHEN m.money THEN f.measure = 'level' AND f.unit = '万元' ELSE f.unit = '%' END
      {{only}}
),
wide AS (
    -- per role, the largest value among those of the best (smallest) pick_rank: value - pick_rank * 1e15
    -- orders by pick_rank first because |value| < 1e14 (DECIMAL(26, 12)); max/min run far faster than arg_min
    SELECT department_id, year, part_order,
{_role_picks()}
    FROM candidates
    GROUP BY department_id, year, part_order
)
SELECT w.department_id, w.year, w.part_order,
       CASE w.part_order WHEN 1 THEN 'total' WHEN 2 THEN 'basic' ELSE 'project' END AS part,
       initial_budget, full_year_budget, final_spending,
       full_year_budget - initial_budget AS adjustment,
       final_spending - initial_budget AS variance,
       round((final_spending - initial_budget) * 100.0 / NULLIF(initial_budget, 0), 2) AS variance_rate,
       stated_variance_rate,
       round(final_spending * 100.0 / NULLIF(full_year_budget, 0), 2) AS execution_rate,
       stated_execution_rate,
       {' + '.join(f"coalesce({column}_failed, 0)" for _, column in _ROLES)} AS checks_failed
FROM wide w
ORDER BY w.department_id, w.year, w.part_order
"""

@dataclass(frozen=True)
class Derived:
    """A derived table: its name, the SELECT that makes it ({only} is where a department filter goes), whether it
    keeps rows without a department (refreshed with every department's, since a writer never names them), and the
    ORDER BY its rows are stored in when a query reads them in that order with no sort of its own (`ordered`)."""

    table: str
    build: str
    unidentified: bool = False
    ordered: str = ""

    def only(self, ids: list[int] | None) -> str:
        """The filter on the facts for these departments (None: all)."""
        if ids is None:
            return ""
        if self.unidentified:
            return " AND (f.department_id = ANY($ids::BIGINT[]) OR f.department_id IS NULL)"
        return " AND f.department_id = ANY($ids::BIGINT[])"

    def mine(self, ids: list[int]) -> str:
        """The condition on this table's rows that belong to these departments (and to none, if it keeps those)."""
        # list_contains, not `= ANY(…)`: DuckDB plans ANY over a list as a join, which may reorder the rows kept
        null = " OR department_id IS NULL" if self.unidentified else ""
        return f"(list_contains($ids::BIGINT[], department_id){null})"

    def remake(self, con, ids: list[int] | None, params: dict) -> None:
        """Make the rows of these departments again (None: every row). Rows made again are appended, so for an
        ordered table the rows from the first of these departments by name on are written again, in order, with
        them: DuckDB keeps a table's rows in the order they were written, and a DELETE leaves the others in place."""
        build = self.build.format(only=self.only(ids))
        if ids is None or not self.ordered:
            con.execute(f"DELETE FROM {self.table}" + ("" if ids is None else f" WHERE {self.mine(ids)}"), params)
            con.execute(f"INSERT INTO {self.table} BY NAME {build}", params)
            return
        made, kept = f"_{self.table}_made", f"_{self.table}_kept"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {made} AS {build}", params)
        try:
            columns = ", ".join(c[0] for c in con.execute(f"SELECT * FROM {made} LIMIT 0").description)
            if _same_rows(con, made, self.table, columns, self.mine(ids), params):
                return  # nothing to move (their checks ran again, say): the tail stays as written
            # their names as values, not a subquery: a subquery is a join, and a join may deliver the kept rows out
            # of their stored order (only a scan of one table, WHERE, SELECT and UNION ALL are sure to keep it)
            names = [n for (n,) in con.execute("SELECT name FROM department WHERE department_id = ANY($ids::BIGINT[]) "
                                               "ORDER BY name", params).fetchall()]
            tail = f"(department >= $first OR department IS NULL OR {self.mine(ids)})"  # no department: last
            bounds = {**params, "first": names[0] if names else None}
            con.execute(f"CREATE OR REPLACE TEMP TABLE {kept} AS SELECT * FROM {self.table} "
                        f"WHERE {tail} AND NOT {self.mine(ids)}", bounds)
            con.execute(f"DELETE FROM {self.table} WHERE {tail}", bounds)
            sql, names_params = _interleaved(made, kept, columns, names, self.ordered)
            con.execute(f"INSERT INTO {self.table} BY NAME {sql}", names_params)
        finally:
            con.execute(f"DROP TABLE IF EXISTS {made}")
            con.execute(f"DROP TABLE IF EXISTS {kept}")


_INTERLEAVED_UP_TO = 16  # touched departments; past this many, one sort of the tail is cheaper than the scans


def _interleaved(made: str, kept: str, columns: str, names: list[str], order: str) -> tuple[str, dict]:
    """The SELECT that writes a tail again in order, and its parameters: both tables are stored in that order, so
    for a few departments (`names`, sorted) their rows are placed between the kept rows by name, each piece a
    filtered scan of one table joined by UNION ALL (DuckDB keeps that order), far cheaper than sorting millions."""
    if len(names) > _INTERLEAVED_UP_TO:
        return (f"SELECT {columns} FROM (SELECT * FROM {kept} UNION ALL BY NAME SELECT * FROM {made}) "
                f"ORDER BY {order}"), {}
    parts = []  # the tail begins at the first of these names: nothing kept sorts before it
    for i in range(len(names)):
        upper = f"department < $n{i + 1}" if i + 1 < len(names) else "department IS NOT NULL"
        parts += [f"SELECT {columns} FROM {made} WHERE department = $n{i}",
                  f"SELECT {columns} FROM {kept} WHERE department > $n{i} AND {upper}"]
    if not names:
        parts.append(f"SELECT {columns} FROM {kept} WHERE department IS NOT NULL")
    parts += [f"SELECT {columns} FROM {kept} WHERE department IS NULL",  # rows without a department sort last
              f"SELECT {columns} FROM {made} WHERE department IS NULL"]
    return "\nUNION ALL\n".join(parts), {f"n{i}": name for i, name in enumerate(names)}


def _same_rows(con, made: str, table: str, columns: str, mine: str, params: dict) -> bool:
    """True when `made` holds exactly the rows of `table` that satisfy `mine` (as multisets, NULLs equal)."""
    old = f"SELECT {columns} FROM {table} WHERE {mine}"
    new = f"SELECT {columns} FROM {made}"
    return first_row(con, f"SELECT count(*) FROM (({new} EXCEPT ALL {old}) UNION ALL ({old} EXCEPT ALL {new}))",
                     params)[0] == 0


DERIVED = (  # in build order: budget_figure and department_budget read figure
    Derived("figure", _BUILD),
    Derived("budget_figure", _BUDGET_FIGURE, ordered=_BUDGET_FIGURE_ORDER),
    Derived("department_budget", _DEPARTMENT_BUDGET),
    Derived("department_year", _DEPARTMENT_YEAR, unidentified=True),
    Derived("indicator_year", _INDICATOR_YEAR, unidentified=True, ordered=_INDICATOR_YEAR_ORDER),
)

_STAMP = """
SELECT (SELECT count(*) || ':' || coalesce(max(fact_id), 0) FROM fact)
    -- what a pick reads of a report (a source is never rewritten; hashing it would double the stamp's cost)
    || '/' || (SELECT count(*) || ':' || coalesce(sum(hash(report_id, status, department_id, fiscal_year, doc_kind)), 0)
               FROM report)
    || '/' || (SELECT count(*) || ':' || coalesce(max(check_id), 0) FROM checks)
    || '/' || (SELECT count(*) FROM check_fact)
    -- the names indicator_year holds (a few thousand rows)
    || '/' || (SELECT count(*) || ':' || coalesce(sum(hash(department_id, name)), 0) FROM department)
    || '/' || (SELECT count(*) || ':' || coalesce(sum(hash(code, name)), 0) FROM indicator)
"""


def _ranks() -> str:
    """The family ranks pick_rank uses (a family registered later ranks differently): part of the stamp."""
    from yearwise.ingest.families import rank_sql

    return hashlib.sha256(rank_sql("doc_kind").encode()).hexdigest()[:16]


def stamp(con) -> str:
    """The state of the tables `figure` is picked from: equal stamps, equal picks (one query, a few ms at 10M facts)."""
    return f"{first_row(con, _STAMP)[0]}/{_ranks()}"


def stored_stamp(con) -> str | None:
    """The stamp `figure` was built from; None when it was never built (or the file has no such table)."""
    try:
        row = first_row(con, "SELECT max(stamp) FROM figure_stamp")
    except Exception:  # duckdb.CatalogException: a file from before schema v11, opened read-only
        return None
    return row[0] if row else None


def refresh(con, department_ids: Iterable[int] | None = None) -> None:
    """Make the rows of these departments again (default: all, the tables rebuilt) and record the stamp, in one
    transaction of its own (or the caller's, when one is open)."""
    ids = None if department_ids is None else sorted({int(i) for i in department_ids})
    own = _begin(con)
    try:
        if ids is None or ids:
            params = {} if ids is None else {"ids": ids}
            for d in DERIVED:
                d.remake(con, ids, params)
        con.execute("DELETE FROM figure_stamp")
        con.execute("INSERT INTO figure_stamp (stamp) VALUES (?)", [stamp(con)])
        if own:
            con.commit()
    except BaseException:
        if own:
            con.rollback()
        raise


def forget(con) -> None:
    """Mark `figure` stale (after writes no stamp sees, such as an ad-hoc UPDATE of a value): the next query
    rebuilds it."""
    con.execute("DELETE FROM figure_stamp")


@contextmanager
def refreshed(con) -> Iterator[set[int]]:
    """For a writer: yields a set to add the ids of the departments it changes to; on the way out their rows are made
    again, or every row is when the tables were already stale before the writer began (what else changed is
    unknown). Runs even when the writer fails part-way (what it committed is counted); a refresh that fails then
    leaves the stamp stale, for the next query to rebuild, and the writer's own error is the one raised."""
    fresh = stored_stamp(con) == stamp(con)
    touched: set[int] = set()

    def _refresh() -> None:
        # rows made again are appended at the end: past half the departments, a whole rebuild keeps every table
        # clustered by indicator, so a query for a few indicators still skips most row groups
        most = fresh and 2 * len(touched) >= first_row(con, "SELECT count(*) FROM department")[0]
        refresh(con, touched if fresh and not most else None)

    try:
        yield touched
    except BaseException:
        try:
            _refresh()
        except Exception:  # noqa: BLE001  (the stamp stays stale: the next query rebuilds)
            pass
        raise
    _refresh()


def ensure(con) -> None:
    """Make the derived tables current for the queries on `con`: nothing when the stamp matches; rebuilt in the file
    when the connection may write; else built as temporary tables that shadow the file's for this connection only."""
    from yearwise.warehouse.connection import is_read_only

    now = stamp(con)
    if stored_stamp(con) == now:
        return
    if is_read_only(con):
        temp = first_row(con, "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'figure_stamp'")[0]
        if not temp:
            for d in DERIVED:  # the columns and types of the build itself; `AND false` reads no fact
                con.execute(f"CREATE TEMP TABLE {d.table} AS {d.build.format(only=' AND false')}")
            con.execute("CREATE TEMP TABLE figure_stamp (stamp VARCHAR)")
    refresh(con)


def reads_figures(sql: str) -> bool:
    """True when a query's SQL reads one of the derived tables."""
    return re.search(rf"\b({'|'.join(d.table for d in DERIVED)})\b(?!_)", sql) is not None


def _begin(con) -> bool:
    """BEGIN a transaction unless one is open; True when this call began it."""
    try:
        con.begin()
    except Exception as e:  # duckdb.TransactionException: "cannot start a transaction within a transaction"
        if "within a transaction" not in str(e):
            raise
        return False
    return True
