-- title: 覆盖情况 Coverage: which department-year-indicator cells exist
-- description: Every department x year x indicator cell that has at least one fact, with how many facts
-- description: (all measures, scopes and periods), how many are FY department-scope levels, how many
-- description: documents state it and of which kinds. Facts without a department or year are grouped as NULL.
-- param: department str null -- department name, exact (null = all departments)
-- param: indicator str null -- indicator code or prefix ending in '.', e.g. spending. (null = all)
SELECT department, year, indicator,
       any_value(indicator_name) AS indicator_name,
       count(*) AS facts,
       count(*) FILTER (WHERE measure = 'level' AND scope = 'department' AND period = 'FY') AS level_facts,
       count(DISTINCT source) AS documents,
       string_agg(DISTINCT doc_kind, ',' ORDER BY doc_kind) AS doc_kinds
FROM facts
WHERE ($department IS NULL OR department = $department)
  AND ($indicator IS NULL OR indicator = $indicator
       OR (right($indicator, 1) = '.' AND starts_with(indicator, $indicator)))
GROUP BY department, year, indicator
ORDER BY department NULLS LAST, year NULLS LAST, indicator
