"""Time the canned queries on a warehouse of N generated facts, in DuckDB and in SQLite for comparison.

Run by hand:  .venv/bin/python benchmarks/bench_queries.py --facts 100000   (default 10,000,000)
Facts are bulk-inserted (numpy -> polars -> Arrow) straight into the warehouse tables; no report files are parsed.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parents[1]

from yearwise import warehouse  # noqa: E402
from yearwise.warehouse import figures  # noqa: E402
from yearwise.ingest.standard_tables import rank_sql as table_rank_sql  # noqa: E402
from yearwise.queries.runner import get_query, list_queries, run_query  # noqa: E402

YEARS = np.arange(2005, 2025)
SECTORS = ["教育局", "卫生健康委员会", "交通运输局", "文化和旅游局", "科学技术局", "民政局", "财政局", "生态环境局",
           "农业农村局", "体育局", "商务局", "司法局", "水务局", "城市管理委员会", "统计局", "审计局"]
UNITS = {"money": "万元", "percent": "%", "score": "分", "count": "个"}
# the query parameters timed (defaults otherwise); department-specific variants added at run time
PARAMS = {"growth_rates": {"indicator": "spending.total"},
          "department_ranking": {"indicator": "spending.total"},
          "output_trend": {"indicator": "output.m01"}}


# The SQLite side runs a portable formulation of each canned query on its flat `facts` table: the window-based
# SQL the canned queries used before they were rewritten for DuckDB's star tables (row_number picks,
# first_value over a RANGE frame for the previous year). Same rows and values; tests/test_queries.py checks the
# canned queries' results, and the row counts are compared here on every run.
_LEVEL = "measure = 'level' AND scope = 'department' AND period = 'FY'"
_CORE = ["budget.total", "budget.basic", "budget.project", "budget.initial.total", "budget.initial.basic",
         "budget.initial.project", "spending.total", "spending.basic", "spending.project"]
# coverage's missing_core as 'a,b,…' text: SQLite has no lists
_MISSING_CORE = " || ".join(f"CASE WHEN max(indicator = '{c}' AND {_LEVEL}) THEN '' ELSE '{c},' END" for c in _CORE)

# the canned queries' pick order (see warehouse.schema's pick_rank macro), as SQLite's window ORDER BY
PICK_ORDER = """ORDER BY approximate ASC,
                        (report_year IS NOT DISTINCT FROM year) DESC,
                        CASE doc_kind WHEN 'final_accounts' THEN 1 WHEN 'performance_evaluation' THEN 2
                                      WHEN 'budget' THEN 3 ELSE 4 END,
                        value DESC, source"""

SQLITE_SQL = {
    "budget_trend": """
WITH candidates AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           row_number() OVER (
               PARTITION BY department, year, indicator
               {PICK_ORDER}
           ) AS pick
    FROM facts
    WHERE measure = 'level' AND scope = 'department' AND period = 'FY' AND unit = '万元'
      AND department IS NOT NULL AND year IS NOT NULL
      AND indicator IN ('budget.total', 'budget.basic', 'budget.project',
                        'spending.total', 'spending.basic', 'spending.project')
      AND ($department IS NULL OR department = $department)
),
series AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           first_value(value) OVER (
               PARTITION BY department, indicator ORDER BY year
               RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING
           ) AS prior_value
    FROM candidates
    WHERE pick = 1
)
SELECT department, year, indicator, indicator_name, value, unit, prior_value,
       value - prior_value AS change,
       round((value - prior_value) * 100.0 / NULLIF(prior_value, 0), 2) AS change_rate
FROM series
WHERE ($from_year IS NULL OR year >= $from_year)
  AND ($to_year IS NULL OR year <= $to_year)
ORDER BY department, indicator, year
""",
    "budget_variance": """
WITH candidates AS (
    SELECT department, year, indicator, value,
           row_number() OVER (
               PARTITION BY department, year, indicator
               {PICK_ORDER}
           ) AS pick
    FROM facts
    WHERE scope = 'department' AND period = 'FY'
      AND department IS NOT NULL AND year IS NOT NULL
      AND ((measure = 'level' AND unit = '万元' AND indicator IN (
                'budget.initial.total', 'budget.initial.basic', 'budget.initial.project',
                'budget.total', 'budget.basic', 'budget.project',
                'spending.total', 'spending.basic', 'spending.project'))
           OR (unit = '%' AND indicator IN (
                'budget.final_variance_rate.total', 'budget.final_variance_rate.basic',
                'budget.final_variance_rate.project', 'budget.execution_rate')))
      AND ($department IS NULL OR department = $department)
      AND ($year IS NULL OR year = $year)
),
picked AS (
    SELECT department, year,
           CASE WHEN indicator = 'budget.execution_rate' THEN 'total'
                ELSE split_part(indicator, '.', -1) END AS part,
           CASE WHEN indicator LIKE 'budget.initial.%' THEN 'initial'
                WHEN indicator LIKE 'budget.final_variance_rate.%' THEN 'stated_variance_rate'
                WHEN indicator = 'budget.execution_rate' THEN 'stated_execution_rate'
                WHEN indicator LIKE 'budget.%' THEN 'budget'
                ELSE 'spending' END AS role,
           value
    FROM candidates WHERE pick = 1
),
wide AS (
    SELECT department, year, part,
           max(value) FILTER (WHERE role = 'initial') AS initial_budget,
           max(value) FILTER (WHERE role = 'budget') AS full_year_budget,
           max(value) FILTER (WHERE role = 'spending') AS final_spending,
           max(value) FILTER (WHERE role = 'stated_variance_rate') AS stated_variance_rate,
           max(value) FILTER (WHERE role = 'stated_execution_rate') AS stated_execution_rate
    FROM picked GROUP BY department, year, part
)
SELECT department, year, part,
       initial_budget, full_year_budget, final_spending,
       full_year_budget - initial_budget AS adjustment,
       final_spending - initial_budget AS variance,
       round((final_spending - initial_budget) * 100.0 / NULLIF(initial_budget, 0), 2) AS variance_rate,
       stated_variance_rate,
       round(final_spending * 100.0 / NULLIF(full_year_budget, 0), 2) AS execution_rate,
       stated_execution_rate
FROM wide
ORDER BY department, year, CASE part WHEN 'total' THEN 1 WHEN 'basic' THEN 2 ELSE 3 END
""",
    "department_ranking": """
WITH candidates AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           row_number() OVER (
               PARTITION BY department, year
               {PICK_ORDER}
           ) AS pick
    FROM facts
    WHERE indicator = $indicator
      AND measure = 'level' AND scope = 'department' AND period = 'FY'
      AND department IS NOT NULL AND year IS NOT NULL
),
chosen AS (
    SELECT * FROM candidates
    WHERE pick = 1
      AND year = coalesce($year, (SELECT max(year) FROM candidates))
)
SELECT rank() OVER (ORDER BY CASE WHEN $order = 'asc' THEN value ELSE -value END) AS rank,
       department, year, indicator, indicator_name, value, unit,
       round(value * 100.0 / NULLIF(sum(value) OVER (), 0), 2) AS share,
       count(*) OVER () AS departments
FROM chosen
ORDER BY rank, department
""",
    "growth_rates": """
WITH candidates AS (
    SELECT department, year, measure, value, unit,
           row_number() OVER (
               PARTITION BY department, year, measure
               {PICK_ORDER}
           ) AS pick
    FROM facts
    WHERE indicator = $indicator
      AND scope = 'department' AND period = 'FY'
      AND department IS NOT NULL AND year IS NOT NULL
      AND (measure = 'level'
           OR (measure IN ('change', 'change_rate') AND (compared_to IS NULL OR compared_to = year - 1)))
      AND ($department IS NULL OR department = $department)
),
picked AS (SELECT * FROM candidates WHERE pick = 1),
levels AS (
    SELECT department, year, value, unit,
           first_value(value) OVER (
               PARTITION BY department ORDER BY year
               RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING
           ) AS prior_value
    FROM picked WHERE measure = 'level'
),
span AS (
    SELECT department,
           min(year) AS first_year, max(year) AS last_year,
           arg_min(value, year) AS first_value, arg_max(value, year) AS last_value
    FROM levels GROUP BY department
),
keys AS (SELECT DISTINCT department, year FROM picked)
SELECT k.department, k.year, $indicator AS indicator,
       l.value, l.unit, l.prior_value,
       l.value - l.prior_value AS change,
       round((l.value - l.prior_value) * 100.0 / NULLIF(l.prior_value, 0), 2) AS change_rate,
       sc.value AS stated_change,
       sr.value AS stated_change_rate,
       s.first_year, s.last_year,
       CASE WHEN s.last_year > s.first_year AND s.first_value > 0 AND s.last_value >= 0
            THEN round((power(s.last_value::DOUBLE / s.first_value::DOUBLE,
                              1.0 / (s.last_year - s.first_year)) - 1) * 100, 2)
       END AS cagr
FROM keys k
LEFT JOIN levels l ON l.department = k.department AND l.year = k.year
LEFT JOIN picked sc ON sc.department = k.department AND sc.year = k.year AND sc.measure = 'change'
LEFT JOIN picked sr ON sr.department = k.department AND sr.year = k.year AND sr.measure = 'change_rate'
LEFT JOIN span s ON s.department = k.department
ORDER BY k.department, k.year
""",
    "output_trend": """
WITH candidates AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           row_number() OVER (
               PARTITION BY department, year, indicator, unit
               ORDER BY approximate ASC,
                        (report_year IS NOT DISTINCT FROM year) DESC,
                        value DESC, source
           ) AS pick
    FROM facts
    WHERE indicator LIKE 'output.%'
      AND measure = 'level' AND scope = 'department' AND period = 'FY'
      AND department IS NOT NULL AND year IS NOT NULL
      AND ($department IS NULL OR department = $department)
      AND ($indicator IS NULL OR indicator = $indicator)
),
series AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           first_value(value) OVER (
               PARTITION BY department, indicator, unit ORDER BY year
               RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING
           ) AS prior_value
    FROM candidates WHERE pick = 1
)
SELECT department, indicator, indicator_name, year, value, unit, prior_value,
       value - prior_value AS change,
       round((value - prior_value) * 100.0 / NULLIF(prior_value, 0), 2) AS change_rate
FROM series
WHERE ($from_year IS NULL OR year >= $from_year)
  AND ($to_year IS NULL OR year <= $to_year)
ORDER BY department, indicator, year
""",
    "coverage": f"""
SELECT department, year, NULL AS indicator, NULL AS indicator_name,
       count(DISTINCT indicator) AS indicators, count(*) AS facts,
       sum({_LEVEL}) AS level_facts,
       count(DISTINCT source) AS documents, group_concat(DISTINCT doc_kind) AS doc_kinds,
       rtrim({_MISSING_CORE}, ',') AS missing_core
FROM facts
WHERE $indicator IS NULL AND ($department IS NULL OR department = $department)
GROUP BY department, year
UNION ALL
SELECT department, year, indicator, min(indicator_name) AS indicator_name, 1 AS indicators,
       count(*) AS facts, sum({_LEVEL}) AS level_facts,
       count(DISTINCT source) AS documents, group_concat(DISTINCT doc_kind) AS doc_kinds, NULL AS missing_core
FROM facts
WHERE $indicator IS NOT NULL AND ($department IS NULL OR department = $department)
  AND (indicator = $indicator OR (right($indicator, 1) = '.' AND starts_with(indicator, $indicator)))
GROUP BY department, year, indicator
ORDER BY department NULLS LAST, year NULLS LAST, indicator
""",
}
# subject_trend over the flat table: the best-ranked table's cell per department-year-code (table_rank, then the
# usual pick order), the previous year by a self-join, the parent's value from the same table
SQLITE_SQL["subject_trend"] = """
WITH candidates AS (
    SELECT department, year, row_code, row_label, value, unit, "table",
           row_number() OVER (
               PARTITION BY department, year, row_code
               ORDER BY {TABLE_RANK}, approximate ASC, (report_year IS NOT DISTINCT FROM year) DESC,
                        CASE doc_kind WHEN 'final_accounts' THEN 1 WHEN 'performance_evaluation' THEN 2
                                      WHEN 'budget' THEN 3 ELSE 4 END,
                        value DESC, "table"
           ) AS pick
    FROM facts
    WHERE row_code IS NOT NULL AND measure = 'level' AND department IS NOT NULL AND year IS NOT NULL
      AND "column" = $column
      AND ($table IS NULL OR "table" = $table)
      AND (CASE WHEN $code IS NULL THEN length(row_code) = 3
                ELSE substr(row_code, 1, length($code)) = $code END)
      AND ($department IS NULL OR department = $department)
),
picked AS (SELECT * FROM candidates WHERE pick = 1),
parents AS (
    SELECT department, year, row_code, "table", max(value) AS value
    FROM facts WHERE row_code IS NOT NULL AND measure = 'level' AND "column" = $column
    GROUP BY department, year, row_code, "table"
)
SELECT p.department, p.year, p.row_code AS code,
       CASE substr(p.row_code, 1, 1) WHEN '2' THEN '功能分类' WHEN '3' THEN '部门经济分类'
            WHEN '5' THEN '政府经济分类' WHEN '1' THEN '收入' END AS system,
       CASE length(p.row_code) WHEN 3 THEN '类' WHEN 5 THEN '款' WHEN 7 THEN '项' END AS level,
       p.row_label AS name, p.value, p.unit, p."table",
       prev.value AS prior_value, p.value - prev.value AS change,
       round((p.value - prev.value) * 100.0 / NULLIF(prev.value, 0), 2) AS change_rate,
       CASE WHEN length(p.row_code) > 3 THEN substr(p.row_code, 1, length(p.row_code) - 2) END AS parent,
       par.value AS parent_value,
       round(p.value * 100.0 / NULLIF(par.value, 0), 2) AS share_of_parent
FROM picked p
LEFT JOIN picked prev ON prev.department = p.department AND prev.row_code = p.row_code AND prev.year = p.year - 1
LEFT JOIN parents par ON par.department = p.department AND par.year = p.year AND length(p.row_code) > 3
      AND par.row_code = substr(p.row_code, 1, length(p.row_code) - 2) AND par."table" = p."table"
ORDER BY p.department, p.row_code, p.year
""".replace("{TABLE_RANK}", table_rank_sql('"table"'))
SQLITE_SQL = {name: sql.replace("{PICK_ORDER}", PICK_ORDER) for name, sql in SQLITE_SQL.items()}
# the flat table's columns: the `facts` view's, table cells' included
FLAT_COLUMNS = ("department, year, indicator, indicator_name, measure, CAST(value AS DOUBLE) AS value, unit, period, "
                "scope, approximate, quote, source, section, doc_kind, report_year, compared_to, row_code, row_label, "
                '"column", "table"')


def catalog() -> list[tuple[str, str, str]]:
    """(code, name, unit_kind) of the catalog indicators, plus ten output.* codes."""
    with open(REPO / "ingest" / "data" / "indicators.csv", encoding="utf-8") as f:
        rows = [(r["code"], r["name"], r["unit_kind"]) for r in csv.DictReader(f)]
    return rows + [(f"output.m{i:02d}", f"产出指标{i}", "count") for i in range(1, 11)]


def generate(n_facts: int, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Departments, reports and facts: ~100 facts per department-year over 20 years, plausible values."""
    rng = np.random.default_rng(seed)
    cat = catalog()
    codes = np.array([c for c, _, _ in cat])
    names = np.array([n for _, n, _ in cat])
    kinds = np.array([k for _, _, k in cat])
    money = np.flatnonzero(kinds == "money")
    # per department-year: every indicator as a level, changes and rates for 12 money codes, shares for 6
    level_idx = np.arange(len(cat))
    change_idx = money[:12]
    share_idx = money[25:31]
    per = len(level_idx) + 2 * len(change_idx) + len(share_idx)
    n_dept = max(2, round(n_facts / (per * len(YEARS))))
    n_dy = n_dept * len(YEARS)

    dept = pl.DataFrame({
        "department_id": np.arange(1, n_dept + 1),
        "name": [f"示例{i // len(SECTORS) + 1}区{SECTORS[i % len(SECTORS)]}" for i in range(n_dept)],
        "region": "示例市", "kind": "局"})
    d_of = np.repeat(np.arange(n_dept), len(YEARS))
    y_of = np.tile(YEARS, n_dept)
    kind = np.where(y_of % 4 == 0, "performance_evaluation", "final_accounts")
    rep = pl.DataFrame({
        "report_id": np.arange(1, n_dy + 1), "sha256": [f"{i:064x}" for i in range(1, n_dy + 1)],
        "source": [f"bench/d{d}-{y}.txt" for d, y in zip(d_of + 1, y_of)], "doc_kind": kind,
        "department_id": d_of + 1, "fiscal_year": y_of, "format": "txt", "parser_version": "bench",
        "status": "current"})

    size = rng.lognormal(np.log(8000), 1.0, n_dept)  # 万元
    growth = rng.normal(0.05, 0.03, (n_dept, len(YEARS)))
    level_base = size[:, None] * np.cumprod(1 + growth, axis=1)  # dept x year
    frac = rng.uniform(0.01, 1.0, len(cat))
    lv = level_base.reshape(-1)[:, None] * frac[None, :] * rng.uniform(0.9, 1.1, (n_dy, len(cat)))
    lv[:, kinds == "percent"] = rng.uniform(80, 100, (n_dy, int((kinds == "percent").sum())))
    lv[:, kinds == "score"] = rng.uniform(80, 100, (n_dy, int((kinds == "score").sum())))
    lv[:, kinds == "count"] = np.floor(rng.uniform(5, 500, (n_dy, int((kinds == "count").sum()))))
    lv = np.round(lv, 2)
    prev = np.roll(lv.reshape(n_dept, len(YEARS), -1), 1, axis=1).reshape(n_dy, -1)
    first = np.tile(YEARS == YEARS[0], n_dept)
    chg = np.round(lv[:, change_idx] - prev[:, change_idx], 2)
    rate = np.round(chg / prev[:, change_idx] * 100, 2)
    share = np.round(rng.uniform(1, 60, (n_dy, len(share_idx))), 2)

    def block(idx, values, measure, unit=None, mask=None):
        rows = np.repeat(np.arange(n_dy), len(idx))
        ind = np.tile(idx, n_dy)
        val = values.reshape(-1)
        keep = np.ones(len(rows), bool) if mask is None else ~np.repeat(mask, len(idx))
        units = np.array([unit or UNITS[k] for k in kinds[idx]])[np.tile(np.arange(len(idx)), n_dy)]
        return rows[keep], ind[keep], val[keep], np.full(keep.sum(), measure), units[keep]

    parts = [block(level_idx, lv, "level"), block(change_idx, chg, "change", mask=first),
             block(change_idx, rate, "change_rate", "%", mask=first), block(share_idx, share, "share", "%")]
    rows, ind, val, meas, unit = (np.concatenate(p) for p in zip(*parts))
    facts = pl.DataFrame({
        "fact_id": np.arange(1, len(rows) + 1), "report_id": rows + 1, "department_id": d_of[rows] + 1,
        "year": y_of[rows], "indicator_code": codes[ind], "measure": meas, "period": "FY",
        "scope": "department", "value": val, "unit": unit, "approximate": False,
        "_name": names[ind]})
    facts = facts.with_columns(
        pl.when(pl.col("measure").is_in(["change", "change_rate"])).then(pl.col("year") - 1)
        .otherwise(None).cast(pl.Int32).alias("compared_to"),
        pl.concat_str([pl.col("_name"), pl.col("value").round(2).cast(pl.String), pl.col("unit")]).alias("quote"),
        pl.lit("bench").alias("rule"), pl.lit("").alias("section"),
        pl.col("value").round(2).cast(pl.String).alias("raw_value"), pl.col("unit").alias("raw_unit"),
    ).drop("_name").with_columns(pl.lit(0).alias("start_offset"),
                                 pl.col("quote").str.len_chars().alias("end_offset"))
    return dept, rep, facts


def build_duckdb(path: Path, dept, rep, facts) -> None:
    """A fresh warehouse at `path` with the generated rows bulk-inserted into its tables (via Arrow)."""
    con = warehouse.connect(path)
    try:
        warehouse.sync_indicators(con)
        out = pl.DataFrame({"code": [c for c, _, _ in catalog() if c.startswith("output.")]})
        con.register("_out", out.to_arrow())
        con.execute("INSERT INTO indicator (code, name, category, unit_kind, unit, additive) "
                    "SELECT code, code, 'output', 'count', '个', false FROM _out ON CONFLICT (code) DO NOTHING")
        for table, df in (("department", dept), ("report", rep), ("fact", facts)):
            con.register("_src", df.to_arrow())
            cols = ", ".join(df.columns)
            cast = ", ".join("CAST(value AS DECIMAL(20, 6))" if c == "value" else c for c in df.columns)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cast} FROM _src")
            con.unregister("_src")
            # the ids were given, not drawn: move the sequence past them, so that a later ingest into this
            # warehouse (timing a small write at 10M facts) draws new ones
            key = f"{table}_id"
            con.execute(f"SELECT max(nextval('{key}_seq')) FROM range((SELECT max({key}) FROM {table}))").fetchall()
        figures.refresh(con)  # the canned queries' picks, as ingest leaves them (warehouse.figures)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def build_sqlite(path: Path, duck_path: Path) -> None:
    """The same facts, flat (the `facts` view's columns), in SQLite, indexed on department/year/indicator and pairs."""
    con = warehouse.connect(duck_path, read_only=True)
    flat = con.sql(f"SELECT {FLAT_COLUMNS} FROM facts").pl()
    con.close()
    lite = sqlite3.connect(path)
    cols = flat.columns
    quoted = ", ".join(f'"{c}"' for c in cols)
    lite.execute(f"CREATE TABLE facts ({quoted})")
    lite.executemany(f"INSERT INTO facts VALUES ({', '.join('?' * len(cols))})", flat.iter_rows())
    for c in ("department", "year", "indicator"):
        lite.execute(f"CREATE INDEX ix_facts_{c} ON facts ({c})")
    lite.execute("CREATE INDEX ix_facts_star ON facts (department, year, indicator)")
    lite.execute("CREATE INDEX ix_facts_indicator_year ON facts (indicator, year)")
    lite.commit()
    lite.execute("ANALYZE")
    lite.close()


def to_sqlite(name: str, sql: str, bound: dict | None = None) -> str:
    """The portable SQL, translated minimally for SQLite (which supports $name params, FILTER, RANGE).

    `($p IS NULL OR col = $p)` becomes `col = $p` when p is bound, and `1` when it is NULL: SQLite plans before it
    sees the values and would otherwise never use its department index (DuckDB plans with the values bound).
    """
    for p, value in (bound or {}).items():
        sql = re.sub(rf"\(\${p} IS NULL OR (\w+ = \${p})\)", r"\1" if value is not None else "1", sql)
    sql = re.sub(r"split_part\((\w+), '\.', -1\)", r"replace(\1, rtrim(\1, replace(\1, '.', '')), '')", sql)
    sql = sql.replace("::DOUBLE", "").replace("any_value(", "min(")
    sql = re.sub(r"string_agg\(DISTINCT (\w+), ',' ORDER BY \w+\)", r"group_concat(DISTINCT \1)", sql)
    sql = sql.replace("right($indicator, 1)", "substr($indicator, -1)")
    sql = sql.replace("starts_with(indicator, $indicator)", "substr(indicator, 1, length($indicator)) = $indicator")
    if name == "growth_rates":  # arg_min/arg_max: first and last level by year via correlated subqueries
        sql = re.sub(
            r"arg_min\(value, year\) AS first_value, arg_max\(value, year\) AS last_value\s+FROM levels GROUP BY department",
            "(SELECT value FROM levels l2 WHERE l2.department = levels.department ORDER BY year LIMIT 1) AS first_value, "
            "(SELECT value FROM levels l2 WHERE l2.department = levels.department ORDER BY year DESC LIMIT 1) "
            "AS last_value FROM levels GROUP BY department", sql)
    return sql


def median_ms(fn, runs: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        n = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), n


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=int, default=10_000_000, help="facts to generate (default 10M)")
    ap.add_argument("--runs", type=int, default=5, help="DuckDB runs per query; the median is shown")
    ap.add_argument("--sqlite-runs", type=int, default=1,
                    help="SQLite runs per query (default 1: its all-department queries take seconds each)")
    ap.add_argument("--dir", default=None, help="where the databases are kept and reused "
                                                "(default /tmp/yearwise-bench-queries-<facts>)")
    ap.add_argument("--fresh", action="store_true", help="build the databases again even if cached")
    ap.add_argument("--no-sqlite", action="store_true", help="skip the SQLite comparison")
    a = ap.parse_args(argv)
    from yearwise.warehouse.migrations import SCHEMA_VERSION

    work = Path(a.dir or Path(tempfile.gettempdir()) / f"yearwise-bench-queries-{a.facts}")
    work.mkdir(parents=True, exist_ok=True)
    duck, lite = work / "bench.duckdb", work / "bench.sqlite"
    # the cache is what this generator wrote for this many facts at this schema version, nothing else
    stamp = f"facts={a.facts} schema={SCHEMA_VERSION} generator=1"
    marker = work / "built.txt"
    cached = not a.fresh and marker.exists() and marker.read_text().splitlines()[:1] == [stamp] and duck.exists()
    if not cached:
        for p in (duck, lite, work / "bench.duckdb.wal", marker):
            p.unlink(missing_ok=True)
        t = time.perf_counter()
        dept, rep, facts = generate(a.facts)
        print(f"generated {facts.height:,} facts, {rep.height:,} reports, {dept.height:,} departments "
              f"in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        build_duckdb(duck, dept, rep, facts)
        print(f"duckdb bulk load {time.perf_counter() - t:.1f}s ({facts.height / (time.perf_counter() - t):,.0f} "
              f"facts/s), file {duck.stat().st_size / 1e6:,.0f} MB")
        del facts
        marker.write_text(stamp + "\n")
    else:
        print(f"reusing the cached warehouse in {work} ({stamp}; --fresh to rebuild)")
    con = warehouse.connect(duck, read_only=True)
    dept = con.sql("SELECT name FROM department ORDER BY department_id").pl()
    con.close()
    if not a.no_sqlite and not (cached and lite.exists() and "sqlite" in marker.read_text()):
        lite.unlink(missing_ok=True)
        t = time.perf_counter()
        build_sqlite(lite, duck)
        print(f"sqlite load + indexes {time.perf_counter() - t:.1f}s, file {lite.stat().st_size / 1e6:,.0f} MB")
        with marker.open("a") as fh:
            fh.write("sqlite\n")

    one = dept["name"][len(dept) // 2]
    cases = []
    for spec in list_queries():
        cases.append((spec.name, PARAMS.get(spec.name, {})))
        if spec.name == "coverage":  # an indicator prefix: one row per department, year and matching indicator
            cases.append(("coverage (prefix)", {"indicator": "spending."}))
        if spec.param("department"):
            cases.append((f"{spec.name} (1 dept)", {**PARAMS.get(spec.name, {}), "department": one}))
    loads = [os.getloadavg()[0]]
    print(f"\n{'query':<30} {'rows':>10} {'duckdb ms':>10} {'sqlite ms':>10} {'ratio':>7}")
    con = warehouse.connect(duck, read_only=True)
    lcon = None if a.no_sqlite else sqlite3.connect(lite)
    try:
        for label, params in cases:
            name = label.split(" ")[0]
            d_ms, rows = median_ms(lambda: run_query(con, name, **params).height, a.runs)
            s_ms = float("nan")
            if lcon is not None:
                bound = get_query(name).bind(**params)
                sql = to_sqlite(name, SQLITE_SQL[name], bound)
                s_ms, s_rows = median_ms(lambda: len(lcon.execute(sql, bound).fetchall()), a.sqlite_runs)
                if s_rows != rows:
                    label += f" [sqlite rows {s_rows}]"
            loads.append(os.getloadavg()[0])
            print(f"{label:<30} {rows:>10,} {d_ms:>10.1f} {s_ms:>10.1f} {s_ms / d_ms:>7.1f}", flush=True)
    finally:
        con.close()
        if lcon is not None:
            lcon.close()
    print(f"\n(databases in {work}; cores: {os.cpu_count()}; 1-minute load average median "
          f"{statistics.median(loads):.1f}, min {min(loads):.1f}, max {max(loads):.1f})")

if __name__ == "__main__":
    main()
