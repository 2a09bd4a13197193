"""Canned queries: each runs with no params on a small warehouse, binds params, and gives NULL not 0."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from ingest.model import Document, Fact, Report
from queries import QueryError, get_query, list_queries, run_query

QUOTE_DEPT = "示例'引号'管理局"  # a department name with quotes: params must be bound, never pasted


def _report(department, year, doc_kind, facts, tag=""):
    """A hand-built Report whose quotes are real substrings of its text."""
    parts, built, pos = [], [], 0
    for f in facts:
        indicator, measure, value, unit, *rest = f
        fyear = rest[0] if rest else year
        compared_to = rest[1] if len(rest) > 1 else None
        quote = f"{indicator} {measure} {value}{unit}"
        built.append(Fact(indicator=indicator, indicator_name="", measure=measure, value=Decimal(str(value)),
                          unit=unit, year=fyear, quote=quote, start=pos, end=pos + len(quote), rule="test",
                          compared_to=compared_to, raw_value=str(value), raw_unit=unit))
        parts.append(quote)
        pos += len(quote) + 1
    text = "\n".join(parts)
    source = f"{department}-{year}-{doc_kind}{tag}.txt"
    doc = Document(source=source, sha256=hashlib.sha256((source + text).encode()).hexdigest(), text=text,
                   format="txt")
    return Report(document=doc, doc_kind=doc_kind, department=department, year=year, facts=built)


def sample_reports() -> list[Report]:
    """Two departments over 2020-2023; the quoted one has no 2022 report (a gap for NULL YoY)."""
    A, B = "示例教育局", QUOTE_DEPT
    fa = "final_accounts"
    money = lambda b, s, ib: [  # noqa: E731
        ("budget.total", "level", b, "万元"), ("budget.basic", "level", b * 0.4, "万元"),
        ("budget.project", "level", b * 0.6, "万元"),
        ("spending.total", "level", s, "万元"), ("spending.basic", "level", s * 0.4, "万元"),
        ("spending.project", "level", s * 0.6, "万元"),
        ("budget.initial.total", "level", ib, "万元"), ("budget.initial.basic", "level", ib * 0.4, "万元"),
        ("budget.initial.project", "level", ib * 0.6, "万元"),
    ]
    reports = [
        _report(A, 2020, fa, money(1000, 950, 900) + [("output.enterprises_served", "level", 120, "家")]),
        _report(A, 2021, fa, money(1100, 1045, 1000) + [
            ("output.enterprises_served", "level", 150, "家"),
            ("budget.total", "change", 100, "万元", 2021, 2020),
            ("budget.total", "change_rate", 10, "%", 2021, 2020),
            ("budget.final_variance_rate.total", "level", 4.5, "%"),
            ("budget.execution_rate", "level", 95, "%")]),
        _report(A, 2022, fa, money(1210, 1200, 1200) + [("output.enterprises_served", "level", 180, "家")]),
        # a second document for A 2022 with a different total: final_accounts wins (documented rule)
        _report(A, 2022, "performance_evaluation", [("budget.total", "level", 9999, "万元"),
                                                    ("evaluation.score", "level", 95.5, "分")]),
        _report(A, 2023, fa, money(0, 100, 0) + [("output.enterprises_served", "level", 200, "家")]),
        _report(B, 2021, fa, money(500, 480, 450)),
        _report(B, 2023, fa, money(600, 590, 550) + [("budget.total", "change_rate", 7.5, "%", 2023, 2022)]),
    ]
    return reports


def build_warehouse(path) -> str:
    """A small warehouse file holding sample_reports(), loaded with warehouse.load_report."""
    import warehouse

    path = str(path)
    con = warehouse.connect(path)
    try:
        for r in sample_reports():
            warehouse.load_report(con, r)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_warehouse(tmp_path_factory.mktemp("wh") / "test.duckdb")
    c = duckdb.connect(path, read_only=True)
    yield c
    c.close()


def test_every_query_has_a_header_and_runs_with_no_params(con):
    specs = list_queries()
    assert {"budget_trend", "growth_rates", "output_trend", "budget_variance", "department_ranking",
            "coverage"} <= {s.name for s in specs}
    for spec in specs:
        assert spec.title and spec.description, spec.name
        df = run_query(con, spec.name)
        assert isinstance(df, pl.DataFrame)
        assert df.height > 0, spec.name


def test_param_header_parsing():
    ranking = get_query("department_ranking")
    order = ranking.param("order")
    assert (order.type, order.default, order.choices) == ("str", "desc", ("desc", "asc"))
    assert ranking.param("year").default is None and ranking.param("year").type == "int"
    assert get_query("growth_rates").param("indicator").default == "budget.total"


def test_budget_trend_yoy_and_null_on_missing_prior_year(con):
    df = run_query(con, "budget_trend")
    a = df.filter((pl.col("department") == "示例教育局") & (pl.col("indicator") == "budget.total")).sort("year")
    assert a["year"].to_list() == [2020, 2021, 2022, 2023]
    assert [float(v) for v in a["value"]] == [1000, 1100, 1210, 0]  # 2022: final_accounts beats 9999
    assert a["prior_value"][0] is None and a["change"][0] is None and a["change_rate"][0] is None
    assert float(a["change"][1]) == 100 and float(a["change_rate"][1]) == 10.0
    # B has no 2022: its 2023 change is NULL, not computed against 2021
    b = df.filter((pl.col("department") == QUOTE_DEPT) & (pl.col("indicator") == "budget.total")).sort("year")
    assert b["year"].to_list() == [2021, 2023]
    assert b["change"].to_list() == [None, None] and b["change_rate"].to_list() == [None, None]


def test_division_by_zero_gives_null(con):
    g = run_query(con, "growth_rates", department="示例教育局").sort("year")
    # 2023 level is 0: 2024 would divide by zero; here 2023 rate vs 1210 is -100, and variance on 0 is NULL
    assert float(g.filter(pl.col("year") == 2023)["change_rate"][0]) == -100.0
    v = run_query(con, "budget_variance", department="示例教育局", year=2023)
    total = v.filter(pl.col("part") == "total")
    assert total["variance_rate"][0] is None and total["execution_rate"][0] is None


def test_params_are_bound_so_quotes_in_names_work(con):
    df = run_query(con, "budget_trend", department=QUOTE_DEPT)
    assert df.height > 0 and set(df["department"]) == {QUOTE_DEPT}
    assert run_query(con, "budget_trend", department="x' OR '1'='1").height == 0


def test_year_range_keeps_yoy_against_years_outside_the_range(con):
    df = run_query(con, "budget_trend", department="示例教育局", from_year=2021, to_year="2021")
    assert set(df["year"]) == {2021}
    assert float(df.filter(pl.col("indicator") == "budget.total")["change"][0]) == 100


def test_growth_rates_stated_beside_computed_and_cagr(con):
    df = run_query(con, "growth_rates")
    row = df.filter((pl.col("department") == "示例教育局") & (pl.col("year") == 2021))
    assert float(row["change_rate"][0]) == 10.0 and float(row["stated_change_rate"][0]) == 10.0
    assert float(row["stated_change"][0]) == 100
    b = df.filter((pl.col("department") == QUOTE_DEPT) & (pl.col("year") == 2023))
    assert b["change_rate"][0] is None and float(b["stated_change_rate"][0]) == 7.5
    assert b["cagr"][0] == pytest.approx(((600 / 500) ** 0.5 - 1) * 100, abs=0.01)
    # A ends at 0: CAGR to 0 is -100%
    assert df.filter(pl.col("department") == "示例教育局")["cagr"][0] == pytest.approx(-100.0)


def test_budget_variance_computed_beside_stated(con):
    df = run_query(con, "budget_variance", year=2021, department="示例教育局")
    total = df.filter(pl.col("part") == "total")
    assert float(total["variance_rate"][0]) == 4.5 and float(total["stated_variance_rate"][0]) == 4.5
    assert float(total["execution_rate"][0]) == 95.0 and float(total["stated_execution_rate"][0]) == 95
    assert set(df["part"]) == {"total", "basic", "project"}


def test_department_ranking_defaults_to_latest_year(con):
    df = run_query(con, "department_ranking")
    assert set(df["year"]) == {2023}
    assert df["rank"].to_list() == [1, 2] and df["department"][0] == QUOTE_DEPT
    asc = run_query(con, "department_ranking", order="asc", year=2021)
    assert asc["department"].to_list() == [QUOTE_DEPT, "示例教育局"]


def test_output_trend_and_coverage(con):
    out = run_query(con, "output_trend")
    assert out["indicator"].unique().to_list() == ["output.enterprises_served"]
    assert float(out.sort("year")["change"][1]) == 30
    cov = run_query(con, "coverage", indicator="budget.")
    assert set(cov["indicator"].str.slice(0, 7)) == {"budget."}
    cell = cov.filter((pl.col("department") == "示例教育局") & (pl.col("year") == 2022)
                      & (pl.col("indicator") == "budget.total"))
    assert cell["facts"][0] == 2 and cell["documents"][0] == 2


def test_bad_params_are_clear_errors(con):
    with pytest.raises(QueryError, match=r"unknown parameter dept .*valid: department, from_year, to_year"):
        run_query(con, "budget_trend", dept="x")
    with pytest.raises(QueryError, match="expected int"):
        run_query(con, "budget_trend", from_year="last year")
    with pytest.raises(QueryError, match=r"not one of desc\|asc"):
        run_query(con, "department_ranking", order="up")
    with pytest.raises(QueryError, match="no canned query 'nope'"):
        run_query(con, "nope")
