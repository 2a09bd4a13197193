-- title: 部门排名 Departments ranked by one indicator
-- description: One indicator in one year across departments, ranked (1 = largest by default; ties share a
-- description: rank), with each department's share of the total. The year defaults to the latest year that
-- description: has the indicator. Level, department-scope FY facts of current reports; several values for one
-- description: department-year are resolved as in budget_trend (exact, same-year report, final_accounts first,
-- description: largest value).
-- description: A value that a check (yearwise check) fails or doubts is picked only when the department-year has
-- description: no other; checks_failed counts the failed or doubtful checks on the values a row is built on
-- description: (0: every value passes or was not checked).
-- param: indicator str budget.total -- indicator code, e.g. budget.total, spending.three_public, staff.actual
-- param: year int null -- year to rank (null = latest year that has the indicator)
-- param: order str desc choices desc|asc -- desc ranks the largest first, asc the smallest
-- chart: barh x=department y=value sort=rank y_title="{indicator_name}（{unit}） {year}年" tooltip=rank,department,value,share
--
-- Reads `figure` (warehouse.figures: the picks of the `facts` view's current rows, made when they change, the first
-- across units marked `best`); only the ranked year is named.
WITH candidates AS (
    -- the first level of each year across units (warehouse.figures: figure.best)
    SELECT f.department_id, f.year, {'value': f.value, 'unit': f.unit, 'failed': f.checks_failed} AS pick
    FROM figure f
    WHERE f.indicator_code = $indicator AND f.measure = 'level' AND f.best
),
chosen AS (
    SELECT department_id, year, pick
    FROM candidates
    WHERE year = coalesce($year, (SELECT max(year) FROM candidates))
)
SELECT rank() OVER (ORDER BY CASE WHEN $order = 'asc' THEN c.pick.value ELSE -c.pick.value END) AS rank,
       d.name AS department, c.year, $indicator AS indicator, i.name AS indicator_name,
       c.pick.value AS value, c.pick.unit AS unit,
       round(c.pick.value * 100.0 / NULLIF(sum(c.pick.value) OVER (), 0), 2) AS share,
       count(*) OVER () AS departments,
       c.pick.failed AS checks_failed
FROM chosen c
JOIN department d ON d.department_id = c.department_id
LEFT JOIN indicator i ON i.code = $indicator
ORDER BY rank, department
