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
-- The department-year rows never group by indicator (that is millions of groups): each indicator gets a bit and
-- each report's indicators are OR-ed into one HUGEINT (distinct count = bit_count); codes past bit 126 (or
-- missing from the indicator table) are listed instead and deduplicated per department-year. Core indicators
-- with a FY department-scope level are OR-ed into a small integer the same way. The indicator rows group twice
-- with plain aggregates (per cell and document, then per cell) instead of DISTINCT ones, which cost 3x more.
WITH core (codes) AS (
    SELECT ['budget.total', 'budget.basic', 'budget.project',
            'budget.initial.total', 'budget.initial.basic', 'budget.initial.project',
            'spending.total', 'spending.basic', 'spending.project']
),
indicators AS (
    SELECT code, name, bit,
           CASE WHEN bit <= 126 THEN 1::HUGEINT << bit ELSE 0 END AS mask,  -- more codes: listed in per_report
           bit > 126 AS overflow,
           coalesce(1 << list_position((SELECT codes FROM core), code), 0) AS core_mask
    FROM (SELECT code, name, (row_number() OVER (ORDER BY code))::INTEGER AS bit FROM indicator)
),
chosen_department AS (SELECT department_id FROM department WHERE name = $department),
per_report AS (
    SELECT department_id, year, report_id,
           count(*) AS facts,
           sum(level) AS level_facts,
           bit_or(mask) AS present,
           list(indicator_code) FILTER (WHERE overflow IS NOT FALSE) AS others,  -- rare: codes past bit 126
           bit_or(core_mask * level) AS core_present
    FROM (
        SELECT f.department_id, f.year, f.report_id, f.indicator_code, i.mask, i.overflow, i.core_mask,
               (f.measure = 'level' AND f.scope = 'department' AND f.period = 'FY')::INTEGER AS level
        FROM fact f
        LEFT JOIN indicators i ON i.code = f.indicator_code
        WHERE $indicator IS NULL
          AND ($department IS NULL OR f.department_id = (SELECT department_id FROM chosen_department))
    )
    GROUP BY department_id, year, report_id
),
department_years AS (
    SELECT department, year, NULL::VARCHAR AS indicator, NULL::VARCHAR AS indicator_name,
           indicators, facts, level_facts, documents, doc_kinds,
           list_filter((SELECT codes FROM core), lambda code, k: (core_present >> k) & 1 = 0) AS missing_core
    FROM (
        SELECT d.name AS department, p.year,
               (coalesce(bit_count(bit_or(p.present)), 0)
                + len(list_distinct(flatten(list(p.others)))))::BIGINT AS indicators,
               sum(p.facts)::BIGINT AS facts, sum(p.level_facts)::BIGINT AS level_facts,
               len(list_distinct(list(r.source)))::BIGINT AS documents,
               array_to_string(list_sort(list_distinct(list(r.doc_kind))), ',') AS doc_kinds,
               coalesce(bit_or(p.core_present), 0) AS core_present
        FROM per_report p
        JOIN report r ON r.report_id = p.report_id
        LEFT JOIN department d ON d.department_id = p.department_id
        WHERE r.status = 'current'
        GROUP BY d.name, p.year
    )
),
kinds AS (  -- each document kind a bit (up to 64 kinds), to OR the kinds of a cell's documents together
    SELECT list(doc_kind ORDER BY doc_kind) AS names
    FROM (SELECT DISTINCT doc_kind FROM report WHERE doc_kind IS NOT NULL)
),
cells AS (
    SELECT d.name AS department, c.year, c.indicator_code AS indicator, i.name AS indicator_name,
           1::BIGINT AS indicators, c.facts, c.level_facts, c.documents,
           array_to_string(list_filter((SELECT names FROM kinds), lambda k, n: (c.kind_bits >> (n - 1)) & 1 = 1), ',')
               AS doc_kinds,
           NULL::VARCHAR[] AS missing_core
    FROM (
        SELECT department_id, year, indicator_code, sum(facts)::BIGINT AS facts,
               sum(level_facts)::BIGINT AS level_facts, count(*) AS documents, bit_or(kind_bits) AS kind_bits
        FROM (  -- one row per cell and document
            SELECT f.department_id, f.year, f.indicator_code, r.source, count(*) AS facts,
                   count(*) FILTER (WHERE f.measure = 'level' AND f.scope = 'department' AND f.period = 'FY')
                       AS level_facts,
                   bit_or(coalesce(1::UBIGINT << (list_position((SELECT names FROM kinds), r.doc_kind) - 1), 0))
                       AS kind_bits
            FROM fact f
            JOIN report r ON r.report_id = f.report_id
            WHERE $indicator IS NOT NULL AND r.status = 'current'
              AND (f.indicator_code = $indicator
                   OR (right($indicator, 1) = '.' AND starts_with(f.indicator_code, $indicator)))
              AND ($department IS NULL OR f.department_id = (SELECT department_id FROM chosen_department))
            GROUP BY f.department_id, f.year, f.indicator_code, r.source
        )
        GROUP BY department_id, year, indicator_code
    ) c
    LEFT JOIN department d ON d.department_id = c.department_id
    LEFT JOIN indicator i ON i.code = c.indicator_code
)
SELECT * FROM department_years
UNION ALL
SELECT * FROM cells
ORDER BY department NULLS LAST, year NULLS LAST, indicator
