-- title: 预决算差异 Initial budget vs full-year budget vs final accounts
-- description: Per department, year and part (total / basic / project): 年初预算 (budget.initial.*),
-- description: 全年预算 (budget.*) and 决算 (spending.*), with the computed final-vs-initial variance rate
-- description: (决算 - 年初预算) / 年初预算 in percent beside the stated budget.final_variance_rate.*, and the
-- description: execution rate 决算 / 全年预算 beside the stated budget.execution_rate (total only). NULL when a
-- description: side is missing or zero. Department-scope FY facts; several values for one department-year are
-- description: resolved as in budget_trend (exact, same-year report, final_accounts first, largest value).
-- param: department str null -- department name, exact (null = all departments)
-- param: year int null -- one year (null = all years)
WITH candidates AS (
    SELECT department, year, indicator, value,
           row_number() OVER (
               PARTITION BY department, year, indicator
               ORDER BY approximate ASC,
                        (report_year IS NOT DISTINCT FROM year) DESC,
                        CASE doc_kind WHEN 'final_accounts' THEN 1 WHEN 'performance_evaluation' THEN 2
                                      WHEN 'budget' THEN 3 ELSE 4 END,
                        value DESC, source
           ) AS pick
    FROM facts
    WHERE scope = 'department' AND period = 'FY'
      AND department IS NOT NULL AND year IS NOT NULL
      AND ((measure = 'level' AND unit = '万元' AND indicator IN (
                'budget.initial.total', 'budget.initial.basic', 'budget.initial.project',
                'budget.total', 'budget.basic', 'budget.project',
                'spending.total', 'spending.basic', 'spending.project'))
           OR (unit = '%' AND indicator IN (
                'budget.final_variance_rate.total', 'budget.final_variance_rate.basic',
                'budget.final_variance_rate.project', 'budget.execution_rate')))
      AND ($department IS NULL OR department = $department)
      AND ($year IS NULL OR year = $year)
),
picked AS (
    SELECT department, year,
           CASE WHEN indicator = 'budget.execution_rate' THEN 'total'
                ELSE split_part(indicator, '.', -1) END AS part,
           CASE WHEN indicator LIKE 'budget.initial.%' THEN 'initial'
                WHEN indicator LIKE 'budget.final_variance_rate.%' THEN 'stated_variance_rate'
                WHEN indicator = 'budget.execution_rate' THEN 'stated_execution_rate'
                WHEN indicator LIKE 'budget.%' THEN 'budget'
                ELSE 'spending' END AS role,
           value
    FROM candidates WHERE pick = 1
),
wide AS (
    SELECT department, year, part,
           max(value) FILTER (WHERE role = 'initial') AS initial_budget,
           max(value) FILTER (WHERE role = 'budget') AS full_year_budget,
           max(value) FILTER (WHERE role = 'spending') AS final_spending,
           max(value) FILTER (WHERE role = 'stated_variance_rate') AS stated_variance_rate,
           max(value) FILTER (WHERE role = 'stated_execution_rate') AS stated_execution_rate
    FROM picked GROUP BY department, year, part
)
SELECT department, year, part,
       initial_budget, full_year_budget, final_spending,
       full_year_budget - initial_budget AS adjustment,
       final_spending - initial_budget AS variance,
       round((final_spending - initial_budget) * 100.0 / NULLIF(initial_budget, 0), 2) AS variance_rate,
       stated_variance_rate,
       round(final_spending * 100.0 / NULLIF(full_year_budget, 0), 2) AS execution_rate,
       stated_execution_rate
FROM wide
ORDER BY department, year, CASE part WHEN 'total' THEN 1 WHEN 'basic' THEN 2 ELSE 3 END
