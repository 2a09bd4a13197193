-- title: 产出指标趋势 Output indicators across years
-- description: Descriptive output.* indicators (services delivered, projects, enterprises, ...) as stated
-- description: levels per department and year, with the change against exactly the previous year (NULL when
-- description: that year is missing). Department-scope FY level facts only; one value per department, year,
-- description: indicator and unit: exact before approximate, same-year report first, then the largest value.
-- param: department str null -- department name, exact (null = all departments)
-- param: indicator str null -- one output indicator code, e.g. output.enterprises_served (null = all output.*)
-- param: from_year int null -- first year shown (null = earliest)
-- param: to_year int null -- last year shown (null = latest)
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
