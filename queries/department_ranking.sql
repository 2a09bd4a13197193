-- title: 部门排名 Departments ranked by one indicator
-- description: One indicator in one year across departments, ranked (1 = largest by default; ties share a
-- description: rank), with each department's share of the total. The year defaults to the latest year that
-- description: has the indicator. Level, department-scope FY facts; several values for one department-year are
-- description: resolved as in budget_trend (exact, same-year report, final_accounts first, largest value).
-- param: indicator str budget.total -- indicator code, e.g. budget.total, spending.three_public, staff.actual
-- param: year int null -- year to rank (null = latest year that has the indicator)
-- param: order str desc choices desc|asc -- desc ranks the largest first, asc the smallest
WITH candidates AS (
    SELECT department, year, indicator, indicator_name, value, unit,
           row_number() OVER (
               PARTITION BY department, year
               ORDER BY approximate ASC,
                        (report_year IS NOT DISTINCT FROM year) DESC,
                        CASE doc_kind WHEN 'final_accounts' THEN 1 WHEN 'performance_evaluation' THEN 2
                                      WHEN 'budget' THEN 3 ELSE 4 END,
                        value DESC, source
           ) AS pick
    FROM facts
    WHERE indicator = $indicator
      AND measure = 'level' AND scope = 'department' AND period = 'FY'
      AND department IS NOT NULL AND year IS NOT NULL
),
chosen AS (
    SELECT * FROM candidates
    WHERE pick = 1
      AND year = coalesce($year, (SELECT max(year) FROM candidates))
)
SELECT rank() OVER (ORDER BY CASE WHEN $order = 'asc' THEN value ELSE -value END) AS rank,
       department, year, indicator, indicator_name, value, unit,
       round(value * 100.0 / NULLIF(sum(value) OVER (), 0), 2) AS share,
       count(*) OVER () AS departments
FROM chosen
ORDER BY rank, department
