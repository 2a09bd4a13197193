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
-- Reads `figure` (warehouse.figures): the picks made once per department-year when the facts or checks change,
-- clustered by indicator, with the previous year's value and the change beside each level. Names are joined last
-- and the sort uses precomputed name/code order numbers instead of the strings.
WITH departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department),
indicators AS (SELECT code, name, row_number() OVER (ORDER BY code) AS code_order FROM indicator)
SELECT d.name AS department, c.year, c.indicator_code AS indicator, i.name AS indicator_name, c.value,
       '万元' AS unit, c.prior_value, c.change, c.change_rate,
       -- the picked values' failed checks: non-zero only when every candidate is doubted
       c.checks_failed + coalesce(c.prior_checks_failed, 0) AS checks_failed
FROM figure c
JOIN departments d ON d.department_id = c.department_id
LEFT JOIN indicators i ON i.code = c.indicator_code
WHERE c.measure = 'level' AND c.unit = '万元' AND c.compared_to IS NULL
  AND c.indicator_code = ANY(['budget.total', 'budget.basic', 'budget.project',
                              'spending.total', 'spending.basic', 'spending.project'])
  AND ($department IS NULL
       OR c.department_id = (SELECT department_id FROM department WHERE name = $department))
  AND ($from_year IS NULL OR c.year >= $from_year)
  AND ($to_year IS NULL OR c.year <= $to_year)
ORDER BY d.name_order, i.code_order, c.year
