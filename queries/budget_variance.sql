-- title: 预决算差异 Initial budget vs full-year budget vs final accounts
-- description: Per department, year and part (total / basic / project): 年初预算 (budget.initial.*),
-- description: 全年预算 (budget.*) and 决算 (spending.*), with the computed final-vs-initial variance rate
-- description: (决算 - 年初预算) / 年初预算 in percent beside the stated budget.final_variance_rate.*, and
-- description: the execution rate 决算 / 全年预算 beside the stated budget.execution_rate (total only). NULL when a
-- description: side is missing or zero. Department-scope FY facts of current reports; several values for one
-- description: department-year are resolved as in budget_trend (exact, same-year report, final_accounts first,
-- description: largest value).
-- description: A value that a check (yearwise check) fails or doubts is picked only when the department-year has
-- description: no other; checks_failed counts the failed or doubtful checks on the values a row is built on
-- description: (0: every value passes or was not checked).
-- param: department str null -- department name, exact (null = all departments)
-- param: year int null -- one year (null = all years)
-- chart: line x=year y=value color=department where=part=total facet=series columns=1 y_title="%"
-- chart: fold="execution_rate:执行率 决算÷全年预算（%）,variance_rate:预决算差异率 (决算−年初预算)÷年初预算（%）"
-- chart: fold_title=比率 tooltip=department,year,value
--
-- Reads `department_budget` (warehouse.figures): the picks of `figure` pivoted by role, and what they give, made once
-- per department-year when the facts or checks change. Names are joined last; the sort uses order numbers.
WITH departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department)
SELECT d.name AS department, w.year, w.part, w.initial_budget, w.full_year_budget, w.final_spending, w.adjustment,
       w.variance, w.variance_rate, w.stated_variance_rate, w.execution_rate, w.stated_execution_rate,
       w.checks_failed
FROM department_budget w
JOIN departments d ON d.department_id = w.department_id
WHERE ($department IS NULL
       OR w.department_id = (SELECT department_id FROM department WHERE name = $department))
  AND ($year IS NULL OR w.year = $year)
ORDER BY d.name_order, w.year, w.part_order
