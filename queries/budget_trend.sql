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
-- Reads `budget_figure` (warehouse.figures): the picks made once per department-year when the facts or checks
-- change, with the previous year's value and the change beside each level and the names beside them, stored in this
-- answer's order (department name, indicator code, year), which figures keeps when it writes them. So the rows are
-- read from the one table, filtered, and not sorted again: DuckDB keeps a table's row order through a scan of a
-- single table, WHERE and SELECT (its documented order preservation).
SELECT department, year, indicator_code AS indicator, indicator_name, value, '万元' AS unit, prior_value, change,
       change_rate, checks_failed
FROM budget_figure
WHERE ($department IS NULL OR department = $department)
  AND ($from_year IS NULL OR year >= $from_year)
  AND ($to_year IS NULL OR year <= $to_year)
