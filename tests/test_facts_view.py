"""The `facts` view is documented column by column in the README; `facts_distinct` counts each figure once."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from yearwise import Warehouse

README = Path(__file__).resolve().parents[1] / "README.md"


def _documented() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### The `facts` view, field by field", 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    names = []
    for line in section.splitlines():
        cell = line.split("|")[1] if line.startswith("|") else ""
        names += re.findall(r"`([a-z0-9_]+)`", cell)
    return names


def test_readme_documents_every_facts_column_and_no_other(demo_db):
    columns = Warehouse(demo_db).sql("SELECT * FROM facts LIMIT 0").columns
    documented = _documented()
    assert len(documented) == len(set(documented))
    assert sorted(documented) == sorted(columns)


def test_facts_distinct_counts_each_figure_once(demo_db):
    wh = Warehouse(demo_db)
    facts = wh.sql("SELECT count(*) AS n FROM facts")["n"][0]
    distinct = wh.sql("SELECT count(*) AS n, sum(mentions) AS m FROM facts_distinct")
    assert distinct["m"][0] == facts and distinct["n"][0] < facts  # restated figures fold into one row each
    key = ["department", "year", "indicator", "measure", "period", "scope", "compared_to", "entity_level"]
    dupes = wh.sql(f"SELECT {', '.join(key)}, count(*) AS n FROM facts_distinct GROUP BY ALL HAVING n > 1")
    assert dupes.height == 0
    # the picked level equals the canned query's pick, so a SUM over facts_distinct matches budget_trend
    trend = wh.run("budget_trend").select("department", "year", "indicator", pl.col("value").cast(pl.Float64))
    picked = wh.sql(
        "SELECT department, year, indicator, value::DOUBLE AS value FROM facts_distinct "
        "WHERE measure = 'level' AND period = 'FY' AND scope = 'department' AND unit = '万元' "
        "AND indicator IN ('budget.total', 'budget.basic', 'budget.project', "
        "'spending.total', 'spending.basic', 'spending.project')")
    joined = trend.join(picked, on=["department", "year", "indicator"], how="left", suffix="_distinct")
    assert joined.height == trend.height and (joined["value"] == joined["value_distinct"]).all()
    naive = wh.sql("SELECT sum(value) AS s FROM facts WHERE indicator = 'budget.total' AND measure = 'level'")["s"][0]
    once = wh.sql("SELECT sum(value) AS s FROM facts_distinct WHERE indicator = 'budget.total' "
                  "AND measure = 'level'")["s"][0]
    assert once < naive  # the naive sum counted restated totals twice


def test_source_as_given_and_resolved(demo_db):
    rows = Warehouse(demo_db).sql("SELECT DISTINCT source, source_path FROM facts")
    for given, resolved in rows.iter_rows():
        assert Path(resolved).is_absolute() and Path(resolved).exists()
        assert Path(resolved) == Path(given).resolve()
