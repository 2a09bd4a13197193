-- title: 预算与支出趋势 Budget and spending trend
-- description: Budget (全年预算) and spending (决算) levels, total/basic/project, per department and year,
-- description: with year-on-year change and rate (percent) against exactly the previous year (NULL when that
-- description: year is missing or zero). Only level, department-scope, full-year (FY) facts in 万元. When a
-- description: department-year has several values for an indicator, one is picked: exact before approximate,
-- description: the report of that year before later reports, then final_accounts > performance_evaluation >
-- description: budget > unknown, then the largest value.
-- param: department str null -- department name, exact (null = all departments)
-- param: from_year int null -- first year shown (null = earliest)
-- param: to_year int null -- last year shown (null = latest)
WITH candidates AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           row_number() OVER (
               PARTITION BY department, year, indicator
               ORDER BY approximate ASC,
                        (report_year IS NOT DISTINCT FROM year) DESC,
                        CASE doc_kind WHEN 'final_accounts' THEN 1 WHEN 'performance_evaluation' THEN 2
                                      WHEN 'budget' THEN 3 ELSE 4 END,
                        value DESC, source
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
