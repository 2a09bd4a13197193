-- title: 产出指标趋势 Output indicators across years
-- description: Descriptive output.* indicators (services delivered, projects, enterprises, ...) as stated
-- description: levels per department and year, with the change against exactly the previous year (NULL when
-- description: that year is missing). Department-scope FY level facts of current reports only; one value per
-- description: department, year, indicator and unit: exact before approximate, same-year report first, then the
-- description: largest value.
-- param: department str null -- department name, exact (null = all departments)
-- param: indicator str null -- one output indicator code, e.g. output.enterprises_served (null = all output.*)
-- param: from_year int null -- first year shown (null = earliest)
-- param: to_year int null -- last year shown (null = latest)
-- chart: line x=year y=value color=department facet=indicator_name facet_unit=unit panels=9 columns=3
-- chart: y_title=数值 tooltip=department,indicator_name,year,value,unit
--
-- Reads the star tables directly (same rows as the `facts` view): picks on integer keys, the previous year is a
-- join on year - 1, names are joined last and the sort uses precomputed name/code order numbers.
WITH candidates AS (
    SELECT f.department_id, f.year, f.indicator_code, f.unit, f.value,
           -- the pick order as one small number: exact, then same-year report (0 is best)
           f.approximate::INT * 2 + (r.fiscal_year IS DISTINCT FROM f.year)::INT AS pick_rank
    FROM fact f
    JOIN report r ON r.report_id = f.report_id
    WHERE r.status = 'current'
      -- written so that a given indicator leaves a plain equality on indicator_code (the scan filters on it)
      AND (($indicator IS NULL AND starts_with(f.indicator_code, 'output.'))
           OR (starts_with($indicator, 'output.') AND f.indicator_code = $indicator))
      AND f.measure = 'level' AND f.scope = 'department' AND f.period = 'FY'
      AND f.department_id IS NOT NULL AND f.year IS NOT NULL
      AND ($department IS NULL
           OR f.department_id = (SELECT department_id FROM department WHERE name = $department))
),
picked AS (
    -- the largest value among those of the best (smallest) pick_rank: value - pick_rank * 1e15 orders by
    -- pick_rank first because |value| < 1e14 (DECIMAL(26, 12)); plain max/min run far faster than arg_min
    SELECT department_id, year, indicator_code, unit,
           CAST(max(value - pick_rank * 1000000000000000) + min(pick_rank) * 1000000000000000
                AS DECIMAL(26, 12)) AS value  -- the stored type: narrowing the scale costs more than the pick
    FROM candidates
    GROUP BY department_id, year, indicator_code, unit
),
departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department),
indicators AS (SELECT code, name, row_number() OVER (ORDER BY code) AS code_order FROM indicator)
SELECT d.name AS department, c.indicator_code AS indicator, i.name AS indicator_name, c.year, c.value, c.unit,
       p.value AS prior_value,
       c.value - p.value AS change,
       round((c.value - p.value) * 100.0 / NULLIF(p.value, 0), 2) AS change_rate
FROM picked c
JOIN departments d ON d.department_id = c.department_id
LEFT JOIN indicators i ON i.code = c.indicator_code
LEFT JOIN picked p ON p.department_id = c.department_id AND p.indicator_code = c.indicator_code
                  AND p.unit IS NOT DISTINCT FROM c.unit AND p.year = c.year - 1
WHERE ($from_year IS NULL OR c.year >= $from_year)
  AND ($to_year IS NULL OR c.year <= $to_year)
ORDER BY d.name_order, i.code_order, c.year, c.unit
