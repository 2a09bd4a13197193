"""The real corpus through the whole tool: ingest, re-ingest, versions, canned queries (skipped without ../shared)."""

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yearwise import Warehouse
from yearwise.cli import app

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this clone")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    wh = Warehouse(db)
    first = wh.ingest([CORPUS])
    return wh, db, first


def test_every_folder_loads(loaded):
    wh, _, first = loaded
    # only the template is refused, and says why
    assert [(Path(r.file).parent.name, r.error.split(":")[0]) for r in first.failed] == [
        ("templates", "a template, not a report")]
    folders = {Path(src).parent.name for src in wh.sql("select distinct source from all_facts")["source"]}
    assert {"beijing-chaoyang", "shanghai-putuo", "shanghai-putuo-altered", "web-excerpts"} <= folders
    assert any(Path(src).parent.parent.name == "jiangsu-budgets"
               for src in wh.sql("select distinct source from all_facts")["source"])


def test_ingesting_twice_changes_nothing(loaded):
    wh, _, _ = loaded
    before = wh.sql("select count(*) as n from all_facts")["n"][0]
    again = wh.ingest([CORPUS])
    assert {row.status for row in again.rows if Path(row.file).parent.name != "templates"} == {"unchanged"}
    assert wh.sql("select count(*) as n from all_facts")["n"][0] == before


def test_altered_finance_bureau_pdf_is_a_visible_conflict_not_a_silent_replacement(loaded):
    """Neither 财政局 file states a date or calls itself a correction: nothing decides which is current, so both
    stay current and every figure they disagree on is a failed version.conflict check (the altered copy's
    收入支出总计0万元 among them), whatever the order they were ingested in."""
    wh, _, _ = loaded
    reports = wh.sql("select source, status from report r join department d using (department_id) "
                     "where d.name = '上海市普陀区财政局' and r.fiscal_year = 2024 order by source")
    assert reports["status"].to_list() == ["current", "current"]
    conflicts = wh.sql("select indicator, stated, expected from checks c join department d using (department_id) "
                       "where d.name = '上海市普陀区财政局' and c.\"check\" = 'version.conflict' and status = 'fail'")
    totals = {(r["stated"], r["expected"]) for r in conflicts.iter_rows(named=True) if r["indicator"] == "accounts.total"}
    assert totals and all(0 in pair and Decimal("2995.39") in pair for pair in totals)


def test_jiangsu_budget_trend_and_stated_growth(loaded):
    wh, _, _ = loaded
    trend = wh.run("budget_trend", department="江苏省委办公厅")
    assert {2017, 2018, 2019} <= set(trend["year"].to_list())
    growth = wh.run("growth_rates", department="江苏省委办公厅", indicator="budget.total")
    row = growth.filter(growth["year"] == 2018).row(0, named=True)
    assert row["change"] == Decimal("3608.98") and float(row["change_rate"]) == pytest.approx(17.31)
    assert row["stated_change"] == Decimal("3608.98") and row["stated_change_rate"] == Decimal("17.31")


def test_sql_lists_beijing_and_shanghai_basic_spending_and_refuses_writes(loaded):
    _, db, _ = loaded
    runner = CliRunner()
    out = runner.invoke(app, ["--db", str(db), "sql", "select department, year, indicator, value from facts "
                              "where indicator='spending.basic'", "--format", "csv"])
    assert out.exit_code == 0
    assert "中关村科技园区朝阳园管理委员会,2023,spending.basic,2091.35" in out.output
    assert "上海市普陀区财政局,2024,spending.basic,2336.91" in out.output
    refused = runner.invoke(app, ["--db", str(db), "sql", "delete from facts"])
    assert refused.exit_code != 0 and "--write" in refused.output


def test_every_canned_query_returns_rows_on_the_corpus(loaded):
    wh, _, _ = loaded
    for name in ("budget_trend", "growth_rates", "output_trend", "budget_variance", "department_ranking", "coverage"):
        assert wh.run(name).height > 0, name
