-- title: 增长率 Growth rates, computed and stated
-- description: For one indicator, each department-year: the level, the year-on-year change and rate computed
-- description: from the previous year's level (NULL when that year is missing or zero) beside the change and
-- description: change rate the reports themselves state for that year (against the previous year), and the
-- description: compound annual growth rate (CAGR, percent) from the department's first to last year.
-- description: Levels are level/department/FY facts of current reports; several values for one department-year
-- description: are resolved as in budget_trend (exact, same-year report, final_accounts first, then largest value).
-- description: A value that a check (yearwise check) fails or doubts is picked only when the department-year has
-- description: no other; checks_failed counts the failed or doubtful checks on the values a row is built on
-- description: (0: every value passes or was not checked).
-- param: indicator str budget.total -- indicator code, e.g. budget.total, spending.total, spending.basic
-- param: department str null -- department name, exact (null = all departments)
-- chart: line x=year y=value color=department y_title="同比增长率（%）"
-- chart: fold="change_rate:计算值（由相邻两年数额算出）,stated_change_rate:报告所述" fold_title=来源 rule=0
-- chart: tooltip=department,year,value
--
-- Reads `figure` (warehouse.figures: the picks of the `facts` view's current rows, made when they change, the first
-- across units marked `best`): one aggregation per department-year puts the level, the stated change and the stated
-- rate side by side; the previous year is a join on year - 1.
WITH candidates AS (
    -- the first figure of each measure and year across units (warehouse.figures: figure.best)
    SELECT f.department_id, f.year, f.measure, f.value, f.unit, f.checks_failed AS failed
    FROM figure f
    WHERE f.indicator_code = $indicator AND f.best AND f.measure IN ('level', 'change', 'change_rate')
      AND ($department IS NULL
           OR f.department_id = (SELECT department_id FROM department WHERE name = $department))
),
picked AS (
    -- one row per measure at most: the level (with its unit), the stated change and the stated rate side by side
    SELECT department_id, year,
           any_value({'value': value, 'unit': unit, 'failed': failed}) FILTER (WHERE measure = 'level') AS level,
           any_value(value) FILTER (WHERE measure = 'change') AS stated_change,
           any_value(value) FILTER (WHERE measure = 'change_rate') AS stated_change_rate,
           coalesce(any_value(failed) FILTER (WHERE measure = 'change'), 0)
           + coalesce(any_value(failed) FILTER (WHERE measure = 'change_rate'), 0) AS stated_failed
    FROM candidates
    GROUP BY department_id, year
),
span AS (
    SELECT department_id,
           min(year) AS first_year, max(year) AS last_year,
           arg_min(level.value, year) AS first_value, arg_max(level.value, year) AS last_value
    FROM picked WHERE level IS NOT NULL
    GROUP BY department_id
),
departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department)
SELECT d.name AS department, k.year, $indicator AS indicator,
       k.level.value AS value, k.level.unit AS unit, l.prior_value,
       k.level.value - l.prior_value AS change,
       round((k.level.value - l.prior_value) * 100.0 / NULLIF(l.prior_value, 0), 2) AS change_rate,
       k.stated_change, k.stated_change_rate,
       s.first_year, s.last_year,
       CASE WHEN s.last_year > s.first_year AND s.first_value > 0 AND s.last_value >= 0
            THEN round((power(s.last_value::DOUBLE / s.first_value::DOUBLE,
                              1.0 / (s.last_year - s.first_year)) - 1) * 100, 2)
       END AS cagr,
       coalesce(k.level.failed, 0) + coalesce(l.prior_failed, 0) + k.stated_failed AS checks_failed
FROM picked k
JOIN departments d ON d.department_id = k.department_id
LEFT JOIN (SELECT department_id, year + 1 AS year, level.value AS prior_value, level.failed AS prior_failed
           FROM picked WHERE level IS NOT NULL) l
       ON k.level IS NOT NULL AND l.department_id = k.department_id AND l.year = k.year
LEFT JOIN span s ON s.department_id = k.department_id
ORDER BY d.name_order, k.year
