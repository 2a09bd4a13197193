-- title: 增长率 Growth rates, computed and stated
-- description: For one indicator, each department-year: the level, the year-on-year change and rate computed
-- description: from the previous year's level (NULL when that year is missing or zero) beside the change and
-- description: change rate the reports themselves state for that year (against the previous year), and the
-- description: compound annual growth rate (CAGR, percent) from the department's first to last year.
-- description: Levels are level/department/FY facts; several values for one department-year are resolved as in
-- description: budget_trend (exact, same-year report, final_accounts first, then largest value).
-- param: indicator str budget.total -- indicator code, e.g. budget.total, spending.total, spending.basic
-- param: department str null -- department name, exact (null = all departments)
WITH candidates AS (
    SELECT department, year, measure, value, unit,
           row_number() OVER (
               PARTITION BY department, year, measure
               ORDER BY approximate ASC,
                        (report_year IS NOT DISTINCT FROM year) DESC,
                        CASE doc_kind WHEN 'final_accounts' THEN 1 WHEN 'performance_evaluation' THEN 2
                                      WHEN 'budget' THEN 3 ELSE 4 END,
                        value DESC, source
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
