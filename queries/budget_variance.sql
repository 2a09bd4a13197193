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
-- Reads `figure` (warehouse.figures: the picks of the `facts` view's current rows, made when they change). Each
-- indicator has one part and one role, so picking per role and pivoting to columns is one aggregation per
-- department, year and part.
WITH roles (code, part_order, role, money) AS (  -- part_order: 1 total, 2 basic, 3 project
    VALUES ('budget.initial.total', 1, 'initial', true),
           ('budget.initial.basic', 2, 'initial', true),
           ('budget.initial.project', 3, 'initial', true),
           ('budget.total', 1, 'budget', true),
           ('budget.basic', 2, 'budget', true),
           ('budget.project', 3, 'budget', true),
           ('spending.total', 1, 'spending', true),
           ('spending.basic', 2, 'spending', true),
           ('spending.project', 3, 'spending', true),
           ('budget.final_variance_rate.total', 1, 'stated_variance_rate', false),
           ('budget.final_variance_rate.basic', 2, 'stated_variance_rate', false),
           ('budget.final_variance_rate.project', 3, 'stated_variance_rate', false),
           ('budget.execution_rate', 1, 'stated_execution_rate', false)
),
candidates AS (
    -- picked figures (warehouse.figures): per role the best of a department-year's figures is picked again below
    SELECT f.department_id, f.year, m.part_order, m.role, f.value, f.pick_rank, f.checks_failed AS failed
    FROM figure f
    JOIN roles m ON m.code = f.indicator_code
    WHERE f.unit = ANY(['万元', '%'])
      AND CASE WHEN m.money THEN f.measure = 'level' AND f.unit = '万元' ELSE f.unit = '%' END
      AND ($department IS NULL
           OR f.department_id = (SELECT department_id FROM department WHERE name = $department))
      AND ($year IS NULL OR f.year = $year)
),
wide AS (
    -- per role, the largest value among those of the best (smallest) pick_rank: value - pick_rank * 1e15
    -- orders by pick_rank first because |value| < 1e14 (DECIMAL(26, 12)); max/min run far faster than arg_min
    SELECT department_id, year, part_order,
           CAST(max(value - pick_rank * 1000000000000000) FILTER (WHERE role = 'initial')
                + min(pick_rank) FILTER (WHERE role = 'initial') * 1000000000000000
                AS DECIMAL(26, 12)) AS initial_budget,
           CASE WHEN min(pick_rank) FILTER (WHERE role = 'initial') >= 16  -- every candidate doubted
                THEN arg_max(failed, value - pick_rank * 1000000000000000) FILTER (WHERE role = 'initial' AND failed > 0)
                ELSE 0 END AS initial_budget_failed,
           CAST(max(value - pick_rank * 1000000000000000) FILTER (WHERE role = 'budget')
                + min(pick_rank) FILTER (WHERE role = 'budget') * 1000000000000000
                AS DECIMAL(26, 12)) AS full_year_budget,
           CASE WHEN min(pick_rank) FILTER (WHERE role = 'budget') >= 16  -- every candidate doubted
                THEN arg_max(failed, value - pick_rank * 1000000000000000) FILTER (WHERE role = 'budget' AND failed > 0)
                ELSE 0 END AS full_year_budget_failed,
           CAST(max(value - pick_rank * 1000000000000000) FILTER (WHERE role = 'spending')
                + min(pick_rank) FILTER (WHERE role = 'spending') * 1000000000000000
                AS DECIMAL(26, 12)) AS final_spending,
           CASE WHEN min(pick_rank) FILTER (WHERE role = 'spending') >= 16  -- every candidate doubted
                THEN arg_max(failed, value - pick_rank * 1000000000000000) FILTER (WHERE role = 'spending' AND failed > 0)
                ELSE 0 END AS final_spending_failed,
           CAST(max(value - pick_rank * 1000000000000000) FILTER (WHERE role = 'stated_variance_rate')
                + min(pick_rank) FILTER (WHERE role = 'stated_variance_rate') * 1000000000000000
                AS DECIMAL(26, 12)) AS stated_variance_rate,
           CASE WHEN min(pick_rank) FILTER (WHERE role = 'stated_variance_rate') >= 16  -- every candidate doubted
                THEN arg_max(failed, value - pick_rank * 1000000000000000) FILTER (WHERE role = 'stated_variance_rate' AND failed > 0)
                ELSE 0 END AS stated_variance_rate_failed,
           CAST(max(value - pick_rank * 1000000000000000) FILTER (WHERE role = 'stated_execution_rate')
                + min(pick_rank) FILTER (WHERE role = 'stated_execution_rate') * 1000000000000000
                AS DECIMAL(26, 12)) AS stated_execution_rate,
           CASE WHEN min(pick_rank) FILTER (WHERE role = 'stated_execution_rate') >= 16  -- every candidate doubted
                THEN arg_max(failed, value - pick_rank * 1000000000000000) FILTER (WHERE role = 'stated_execution_rate' AND failed > 0)
                ELSE 0 END AS stated_execution_rate_failed
    FROM candidates
    GROUP BY department_id, year, part_order
),
departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department)
SELECT d.name AS department, w.year,
       CASE w.part_order WHEN 1 THEN 'total' WHEN 2 THEN 'basic' ELSE 'project' END AS part,
       initial_budget, full_year_budget, final_spending,
       full_year_budget - initial_budget AS adjustment,
       final_spending - initial_budget AS variance,
       round((final_spending - initial_budget) * 100.0 / NULLIF(initial_budget, 0), 2) AS variance_rate,
       stated_variance_rate,
       round(final_spending * 100.0 / NULLIF(full_year_budget, 0), 2) AS execution_rate,
       stated_execution_rate,
       coalesce(initial_budget_failed, 0) + coalesce(full_year_budget_failed, 0) + coalesce(final_spending_failed, 0)
       + coalesce(stated_variance_rate_failed, 0) + coalesce(stated_execution_rate_failed, 0) AS checks_failed
FROM wide w
JOIN departments d ON d.department_id = w.department_id
ORDER BY d.name_order, w.year, w.part_order
