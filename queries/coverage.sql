-- title: 覆盖情况 Coverage: which department-year-indicator cells exist
-- description: Without an indicator: one row per department x year saying how complete it is: how many distinct
-- description: indicators have facts (indicators), how many facts (all measures, scopes and periods), how many
-- description: are FY department-scope levels, how many documents state them and of which kinds, and which
-- description: core budget indicators (全年预算, 年初预算 and 决算, total/basic/project) have no FY
-- description: department-scope level (missing_core); indicator and indicator_name are NULL. With an indicator
-- description: code or prefix: one row per department x year x matching indicator (indicators = 1, missing_core
-- description: NULL). Current reports only; facts without a department or year are grouped as NULL.
-- param: department str null -- department name, exact (null = all departments)
-- param: indicator str null -- indicator code or prefix ending in '.', e.g. spending. (null = per department-year)
-- chart: heatmap x=year y=indicators color=department y_title=指标数 tooltip=department,year,indicators,facts
--
-- Reads `department_year` and `indicator_year` (warehouse.figures): the counts made once per department-year (and
-- indicator) when the facts change. A department-year row joins its name last and sorts on order numbers instead of
-- the strings. The indicator rows are stored with their names in this answer's order (department name, year,
-- indicator code), which figures keeps when it writes them, so they are read from the one table, filtered, and not
-- sorted again: DuckDB keeps a table's row order through a scan of a single table, WHERE, SELECT and UNION ALL (its
-- documented order preservation; a connection with preserve_insertion_order off loses it).
WITH departments AS (SELECT department_id, name, row_number() OVER (ORDER BY name) AS name_order FROM department),
chosen_department AS (SELECT department_id FROM department WHERE name = $department),
department_years AS (
    SELECT d.name AS department, c.year, NULL::VARCHAR AS indicator, NULL::VARCHAR AS indicator_name,
           c.indicators, c.facts, c.level_facts, c.documents, c.doc_kinds, c.missing_core,
           d.name_order
    FROM department_year c
    LEFT JOIN departments d ON d.department_id = c.department_id
    WHERE $indicator IS NULL
      AND ($department IS NULL OR c.department_id = (SELECT department_id FROM chosen_department))
),
cells AS (
    SELECT department, year, indicator_code AS indicator, indicator_name, facts, level_facts, documents, doc_kinds
    FROM indicator_year
    WHERE $indicator IS NOT NULL
      AND (indicator_code = $indicator OR (right($indicator, 1) = '.' AND starts_with(indicator_code, $indicator)))
      AND ($department IS NULL OR department = $department)
)
-- The department-year branch is sorted on integer keys only, without the constant and NULL columns (the NULL list
-- alone cost a sort a third more); DuckDB keeps the order of an ordered subquery through SELECT and UNION ALL.
SELECT department, year, indicator, indicator_name, indicators, facts, level_facts, documents, doc_kinds, missing_core
FROM (SELECT * EXCLUDE (name_order) FROM department_years ORDER BY name_order NULLS LAST, year NULLS LAST)
UNION ALL
SELECT department, year, indicator, indicator_name, 1::BIGINT AS indicators, facts, level_facts, documents, doc_kinds,
       NULL::VARCHAR[] AS missing_core
FROM cells
