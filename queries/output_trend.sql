-- title: 产出指标趋势 Output indicators across years
-- description: Descriptive output.* indicators (services delivered, projects, enterprises, ...) as stated
-- description: levels per department and year, with the change against exactly the previous year (NULL when
-- description: that year is missing). Department-scope FY level facts of current reports only; one value per
-- description: department, year, indicator and unit, picked as every canned query picks (see budget_trend): a value
-- description: no check doubts, exact before approximate, same-year report first, then the report family, then
-- description: the largest value.
-- param: department str null -- department name, exact (null = all departments)
-- param: indicator str null -- one output indicator code, e.g. output.enterprises_served (null = all output.*)
-- param: from_year int null -- first year shown (null = earliest)
-- param: to_year int null -- last year shown (null = latest)
-- chart: line x=year y=value color=department facet=indicator_name facet_unit=unit panels=9 columns=3
-- chart: y_title=数值 tooltip=department,indicator_name,year,value,unit
--
-- Reads `figure` (warehouse.figures): picks made once when the facts or checks change, clustered by indicator, the
-- previous year's value (same unit) beside each level. Names are joined last; the sort uses order numbers.
WITH departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department),
indicators AS (SELECT code, name, row_number() OVER (ORDER BY code) AS code_order FROM indicator)
SELECT d.name AS department, c.indicator_code AS indicator, i.name AS indicator_name, c.year, c.value, c.unit,
       c.prior_value, c.change, c.change_rate
FROM figure c
JOIN departments d ON d.department_id = c.department_id
LEFT JOIN indicators i ON i.code = c.indicator_code
WHERE c.measure = 'level' AND c.compared_to IS NULL
  -- written so that a given indicator leaves a plain equality on indicator_code (the scan filters on it)
  AND (($indicator IS NULL AND starts_with(c.indicator_code, 'output.'))
       OR (starts_with($indicator, 'output.') AND c.indicator_code = $indicator))
  AND ($department IS NULL
       OR c.department_id = (SELECT department_id FROM department WHERE name = $department))
  AND ($from_year IS NULL OR c.year >= $from_year)
  AND ($to_year IS NULL OR c.year <= $to_year)
ORDER BY d.name_order, i.code_order, c.year, c.unit
