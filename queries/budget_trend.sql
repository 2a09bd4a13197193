-- title: 预算与支出趋势 Budget and spending trend
-- description: Budget (全年预算) and spending (决算) levels, total/basic/project, per department and year,
-- description: with year-on-year change and rate (percent) against exactly the previous year (NULL when that
-- description: year is missing or zero). Only level, department-scope, full-year (FY) facts in 万元 of current
-- description: reports. When a department-year has several values for an indicator, one is picked: exact before
-- description: approximate, the report of that year before later reports, then final_accounts >
-- description: performance_evaluation > budget > unknown, then the largest value.
-- description: A value that a check (yearwise check) fails or doubts is picked only when the department-year has
-- description: no other; checks_failed counts the failed or doubtful checks on the values a row is built on
-- description: (0: every value passes or was not checked).
-- param: department str null -- department name, exact (null = all departments)
-- param: from_year int null -- first year shown (null = earliest)
-- param: to_year int null -- last year shown (null = latest)
-- chart: line x=year y=value color=department facet=indicator_name columns=2 y_title="金额（{unit}）"
-- chart: tooltip=department,indicator_name,year,value,change_rate
--
-- Reads the star tables directly (same rows as the `facts` view): filters and picks on integer keys, joins the
-- names last, and sorts by precomputed name/code order numbers instead of the strings.
WITH candidates AS (
    SELECT f.department_id, f.year, f.indicator_code, f.value,
           (coalesce(cf.checks_failed, 0) > 0)::INT * 16  -- a value a check doubts comes after every other
           + pick_rank(f.approximate, r.fiscal_year, f.year, r.doc_kind) AS pick_rank,  -- 0 is best
           coalesce(cf.checks_failed, 0) AS failed
    FROM fact f
    JOIN report r ON r.report_id = f.report_id
    LEFT JOIN fact_checks_failed cf ON cf.fact_id = f.fact_id
    WHERE r.status = 'current'
      AND f.measure = 'level' AND f.scope = 'department' AND f.period = 'FY' AND f.unit = '万元'
      AND f.department_id IS NOT NULL AND f.year IS NOT NULL
      AND f.indicator_code = ANY(['budget.total', 'budget.basic', 'budget.project',
                                  'spending.total', 'spending.basic', 'spending.project'])
      AND ($department IS NULL
           OR f.department_id = (SELECT department_id FROM department WHERE name = $department))
),
picked AS (
    -- the largest value among those of the best (smallest) pick_rank: value - pick_rank * 1e15 orders by
    -- pick_rank first because |value| < 1e14 (DECIMAL(26, 12)); plain max/min run far faster than arg_min
    SELECT department_id, year, indicator_code,
           CAST(max(value - pick_rank * 1000000000000000) + min(pick_rank) * 1000000000000000
                AS DECIMAL(26, 12)) AS value,  -- the stored type: narrowing the scale costs more than the pick
           -- the picked value's failed checks: non-zero only when every candidate is doubted (pick_rank >= 16)
           CASE WHEN min(pick_rank) >= 16
                THEN arg_max(failed, value - pick_rank * 1000000000000000) FILTER (WHERE failed > 0)
                ELSE 0 END AS checks_failed
    FROM candidates
    GROUP BY department_id, year, indicator_code
),
departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department),
indicators AS (SELECT code, name, row_number() OVER (ORDER BY code) AS code_order FROM indicator)
SELECT d.name AS department, c.year, c.indicator_code AS indicator, i.name AS indicator_name, c.value,
       '万元' AS unit, p.value AS prior_value,
       c.value - p.value AS change,
       round((c.value - p.value) * 100.0 / NULLIF(p.value, 0), 2) AS change_rate,
       c.checks_failed + coalesce(p.checks_failed, 0) AS checks_failed
FROM picked c
JOIN departments d ON d.department_id = c.department_id
LEFT JOIN indicators i ON i.code = c.indicator_code
LEFT JOIN picked p
       ON p.department_id = c.department_id AND p.indicator_code = c.indicator_code AND p.year = c.year - 1
WHERE ($from_year IS NULL OR c.year >= $from_year)
  AND ($to_year IS NULL OR c.year <= $to_year)
ORDER BY d.name_order, i.code_order, c.year
