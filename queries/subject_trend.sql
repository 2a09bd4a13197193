-- title: 科目趋势 Classification code trend
-- description: The values the standard tables print for a classification code (科目编码: 功能分类 208 / 20805 /
-- description: 2080501, 经济分类 301 / 30101) or every code under a prefix, by department and year, with the
-- description: year-on-year change and rate, the code's system and level (类 → 款 → 项), its parent's value and
-- description: its share of it. One column of the tables (default 合计, the row's total); when several tables
-- description: print the code, the table ranked first in ingest/data/tables.toml wins (支出表 before 一般公共预算表 …),
-- description: then the report of that year. No code: every 类 (three-digit code).
-- param: code str null -- a code or a prefix, e.g. 2013101, 208, 302 (null = every 类)
-- param: department str null -- department name, exact (null = all departments)
-- param: column str 合计 -- column key of the tables, e.g. 合计, 基本支出, 项目支出
-- param: table str null -- one standard table, e.g. budget.general_budget, final.expenditure (null = best ranked)
-- chart: line x=year y=value color=department facet=code panels=9 columns=3 y_title="金额（{unit}）"
-- chart: tooltip=department,code,name,year,value,change_rate
WITH candidates AS (
    SELECT f.department_id, f.year, f.row_code, f.row_label, f.value, f.unit, f."table",
           table_rank(f."table") AS table_rank,
           pick_rank(f.approximate, r.fiscal_year, f.year, r.doc_kind) AS pick_rank
    FROM fact f
    JOIN report r ON r.report_id = f.report_id
    WHERE r.status = 'current' AND f.row_code IS NOT NULL AND f.measure = 'level'
      AND f.department_id IS NOT NULL AND f.year IS NOT NULL
      AND f."column" = $column
      AND ($table IS NULL OR f."table" = $table)
      AND (CASE WHEN $code IS NULL THEN length(f.row_code) = 3
                ELSE starts_with(f.row_code, $code) END)
      AND ($department IS NULL
           OR f.department_id = (SELECT department_id FROM department WHERE name = $department))
),
picked AS (
    SELECT department_id, year, row_code,
           arg_min({'value': value, 'unit': unit, 'name': row_label, 'table': "table"},
                   (table_rank, pick_rank, -value, "table")) AS cell
    FROM candidates
    GROUP BY department_id, year, row_code
),
parents AS (
    -- the parent's value from the same table, whether or not the prefix selects it
    SELECT f.department_id, f.year, f.row_code, f."table", max(f.value) AS value
    FROM fact f JOIN report r ON r.report_id = f.report_id
    WHERE r.status = 'current' AND f.row_code IS NOT NULL AND f.measure = 'level' AND f."column" = $column
    GROUP BY ALL
)
SELECT d.name AS department, p.year, p.row_code AS code,
       s.system, s.level,
       p.cell.name AS name, p.cell.value AS value, p.cell.unit AS unit, p.cell."table" AS "table",
       prev.cell.value AS prior_value,
       p.cell.value - prev.cell.value AS change,
       round((p.cell.value - prev.cell.value) * 100.0 / NULLIF(prev.cell.value, 0), 2) AS change_rate,
       CASE WHEN length(p.row_code) > 3 THEN left(p.row_code, length(p.row_code) - 2) END AS parent,
       par.value AS parent_value,
       round(p.cell.value * 100.0 / NULLIF(par.value, 0), 2) AS share_of_parent
FROM picked p
JOIN department d ON d.department_id = p.department_id
LEFT JOIN subject s ON s.code = p.row_code
LEFT JOIN picked prev ON prev.department_id = p.department_id AND prev.row_code = p.row_code
                     AND prev.year = p.year - 1
LEFT JOIN parents par ON par.department_id = p.department_id AND par.year = p.year
                     AND par.row_code = left(p.row_code, length(p.row_code) - 2) AND length(p.row_code) > 3
                     AND par."table" = p.cell."table"
ORDER BY d.name, p.row_code, p.year
