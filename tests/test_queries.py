"""Canned queries: each runs with no params on a small warehouse, binds params, and gives NULL not 0."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from yearwise.ingest.model import Document, Fact, Report
from yearwise.queries import QueryError, get_query, list_queries, run_query

QUOTE_DEPT = "示例'引号'管理局"  # a department name with quotes: params must be bound, never pasted


def _report(department, year, doc_kind, facts, tag=""):
    """A hand-built Report whose quotes are real substrings of its text."""
    parts, built, pos = [], [], 0
    for f in facts:
        indicator, measure, value, unit, *rest = f
        fyear = rest[0] if rest else year
        compared_to = rest[1] if len(rest) > 1 else None
        cell = rest[2] if len(rest) > 2 else {}  # a table cell: table, row_code, row_label, column
        quote = f"{indicator} {measure} {value}{unit}"
        built.append(Fact(indicator=indicator, indicator_name="", measure=measure, value=Decimal(str(value)),
                          unit=unit, year=fyear, quote=quote, start=pos, end=pos + len(quote), rule="test",
                          compared_to=compared_to, raw_value=str(value), raw_unit=unit, **cell))
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
    def cells(year, total, run):  # 201 一般公共服务支出 and its 2010301 行政运行 in a 支出决算表 (the 合计 column)
        return [(f"func.{code}", "level", v, "万元", year, None,
                 {"table": "final.expenditure", "row_code": code, "row_label": label, "column": "合计"})
                for code, label, v in (("201", "一般公共服务支出", total), ("20103", "政府办公厅(室)及相关机构事务", total),
                                       ("2010301", "行政运行", run))]

    reports = [
        _report(A, 2020, fa, money(1000, 950, 900) + [("output.enterprises_served", "level", 120, "家")]
                + cells(2020, 950, 600)),
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
        _report(A, 2023, fa, money(0, 100, 0) + [("output.enterprises_served", "level", 200, "家")]
                + cells(2023, 100, 66)),
        _report(B, 2021, fa, money(500, 480, 450) + cells(2021, 480, 300)),
        _report(B, 2023, fa, money(600, 590, 550) + [("budget.total", "change_rate", 7.5, "%", 2023, 2022)]),
    ]
    return reports


def build_warehouse(path) -> str:
    """A small warehouse file holding sample_reports(), loaded with warehouse.load_report."""
    from yearwise import warehouse

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
    assert cell["doc_kinds"][0] == "final_accounts,performance_evaluation"  # the two documents' kinds, sorted
    one = cov.filter((pl.col("department") == "示例教育局") & (pl.col("year") == 2021)
                     & (pl.col("indicator") == "budget.total"))
    assert one["documents"][0] == 1 and one["doc_kinds"][0] == "final_accounts"


def test_bad_params_are_clear_errors(con):
    with pytest.raises(QueryError, match=r"unknown parameter dept .*valid: department, from_year, to_year"):
        run_query(con, "budget_trend", dept="x")
    with pytest.raises(QueryError, match="expected int"):
        run_query(con, "budget_trend", from_year="last year")
    with pytest.raises(QueryError, match=r"not one of desc\|asc"):
        run_query(con, "department_ranking", order="up")
    with pytest.raises(QueryError, match="no canned query 'nope'"):
        run_query(con, "nope")


# --- picking among several values, coverage per department-year, and the benchmark's SQLite formulation ----

CORE = ["budget.total", "budget.basic", "budget.project", "budget.initial.total", "budget.initial.basic",
        "budget.initial.project", "spending.total", "spending.basic", "spending.project"]


def _approximate(report: Report, *indices: int) -> Report:
    """The report with its facts at `indices` marked approximate (约/余/多)."""
    import dataclasses

    report.facts = [dataclasses.replace(f, approximate=True) if i in indices else f
                    for i, f in enumerate(report.facts)]
    return report


def tie_reports() -> list[Report]:
    """One department-year stating several values for one indicator: exact beats approximate, then largest."""
    C = "示例并列局"
    return [
        _approximate(_report(C, 2020, "final_accounts", [
            ("budget.total", "level", 500, "万元"),  # approximate: loses to every exact value despite being largest
            ("budget.total", "level", 90, "万元"),
            ("budget.total", "level", 95, "万元"),
            ("spending.total", "level", -5, "万元"),
            ("spending.total", "level", -3, "万元"),
            ("budget.initial.total", "level", 80, "万元"),
            ("output.projects", "level", 12, "个", 2020),
            ("output.projects", "level", 7, "个", 2020),
        ]), 0),
        _report(C, 2021, "final_accounts", [("budget.total", "level", 100, "万元"),
                                            ("output.projects", "level", 9, "个")]),
    ]


@pytest.fixture(scope="module")
def tie_con(tmp_path_factory):
    from yearwise import warehouse

    path = str(tmp_path_factory.mktemp("ties") / "ties.duckdb")
    c = warehouse.connect(path)
    for r in tie_reports():
        warehouse.load_report(c, r)
    c.close()
    c = duckdb.connect(path, read_only=True)
    yield c
    c.close()


def test_exact_then_largest_value_is_picked_in_every_query(tie_con):
    trend = run_query(tie_con, "budget_trend").sort("indicator", "year")
    total = trend.filter(pl.col("indicator") == "budget.total")
    assert [float(v) for v in total["value"]] == [95, 100]
    assert float(total["prior_value"][1]) == 95 and float(total["change"][1]) == 5
    assert [float(v) for v in trend.filter(pl.col("indicator") == "spending.total")["value"]] == [-3]
    variance = run_query(tie_con, "budget_variance", year=2020).filter(pl.col("part") == "total")
    assert float(variance["full_year_budget"][0]) == 95 and float(variance["final_spending"][0]) == -3
    assert float(variance["initial_budget"][0]) == 80
    assert float(run_query(tie_con, "department_ranking", year=2020)["value"][0]) == 95
    growth = run_query(tie_con, "growth_rates").sort("year")
    assert [float(v) for v in growth["value"]] == [95, 100]
    assert growth["unit"].to_list() == ["万元", "万元"]
    out = run_query(tie_con, "output_trend").sort("year")
    assert [float(v) for v in out["value"]] == [12, 9] and float(out["change"][1]) == -3


def test_coverage_without_an_indicator_is_one_row_per_department_year(con):
    cov = run_query(con, "coverage")
    assert cov.columns == ["department", "year", "indicator", "indicator_name", "indicators", "facts",
                           "level_facts", "documents", "doc_kinds", "missing_core"]
    assert cov.select("department", "year").is_unique().all()
    assert cov["indicator"].null_count() == cov.height and cov["indicator_name"].null_count() == cov.height
    assert cov.height == 6  # A 2020-2023, B 2021 and 2023
    # every fact of a current report is counted once
    assert cov["facts"].sum() == con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
    a22 = cov.filter((pl.col("department") == "示例教育局") & (pl.col("year") == 2022)).row(0, named=True)
    # final accounts: 9 money codes + an output; the evaluation adds budget.total again and evaluation.score
    assert (a22["facts"], a22["indicators"], a22["documents"]) == (12, 11, 2)
    assert a22["doc_kinds"] == "final_accounts,performance_evaluation"
    assert a22["level_facts"] == 12 and a22["missing_core"] == []
    a21 = cov.filter((pl.col("department") == "示例教育局") & (pl.col("year") == 2021)).row(0, named=True)
    # 9 money codes, the output, two stated rates; the change and change rate of budget.total add facts only
    assert (a21["indicators"], a21["level_facts"], a21["facts"]) == (12, 12, 14)
    only_b = run_query(con, "coverage", department=QUOTE_DEPT)
    assert only_b["department"].to_list() == [QUOTE_DEPT, QUOTE_DEPT] and only_b["year"].to_list() == [2021, 2023]


def test_coverage_lists_missing_core_indicators_and_cells_when_given_an_indicator(tie_con):
    cov = run_query(tie_con, "coverage").sort("year")
    assert cov["missing_core"].to_list() == [
        [c for c in CORE if c not in ("budget.total", "budget.initial.total", "spending.total")],
        [c for c in CORE if c != "budget.total"]]
    assert cov["indicators"].to_list() == [4, 2] and cov["facts"].to_list() == [8, 2]
    cells = run_query(tie_con, "coverage", indicator="budget.total").sort("year")
    assert cells["indicator"].to_list() == ["budget.total", "budget.total"]
    assert cells["facts"].to_list() == [3, 1] and cells["indicators"].to_list() == [1, 1]
    assert cells["missing_core"].to_list() == [None, None]


def _bench_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_queries.py"
    spec = importlib.util.spec_from_file_location("bench_queries", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) or isinstance(b, list):  # missing_core: a list in DuckDB, 'a,b' text in SQLite
        def to_list(x):
            return x if isinstance(x, list) else [s for s in x.split(",") if s]

        return to_list(a) == to_list(b)
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return abs(float(a) - float(b)) < 1e-6
    if isinstance(a, str) and "," in a:  # doc_kinds: group_concat(DISTINCT) does not promise an order
        return sorted(a.split(",")) == sorted(str(b).split(","))
    return a == b


@pytest.mark.parametrize("which", ["sample", "ties"])
def test_benchmark_sqlite_formulation_returns_the_same_rows(which, con, tie_con, tmp_path):
    """bench_queries.py times SQLite on portable SQL of its own: it must be the same logical query."""
    import sqlite3

    bench = _bench_module()
    c = con if which == "sample" else tie_con
    flat = c.sql(f"SELECT {bench.FLAT_COLUMNS} FROM facts").pl()
    lite = sqlite3.connect(tmp_path / "flat.sqlite")
    lite.execute(f"CREATE TABLE facts ({', '.join(f'{chr(34)}{n}{chr(34)}' for n in flat.columns)})")
    lite.executemany(f"INSERT INTO facts VALUES ({', '.join('?' * flat.width)})", flat.iter_rows())
    cases = [(s.name, {}) for s in list_queries()] + [
        ("coverage", {"indicator": "budget."}), ("coverage", {"department": QUOTE_DEPT}),
        ("budget_trend", {"department": QUOTE_DEPT, "from_year": 2022}), ("budget_variance", {"year": 2021}),
        ("department_ranking", {"order": "asc", "year": 2021}), ("growth_rates", {"indicator": "spending.total"}),
        ("output_trend", {"indicator": "output.projects"}), ("subject_trend", {"code": "201"})]
    for name, params in cases:
        duck = run_query(c, name, **params)
        bound = get_query(name).bind(**params)
        rows = lite.execute(bench.to_sqlite(name, bench.SQLITE_SQL[name], bound), bound).fetchall()
        assert len(rows) == duck.height, (name, params)
        for got, want in zip(duck.iter_rows(), rows):
            assert all(_same(x, y) for x, y in zip(got, want)), (name, params, got, want)
    lite.close()


def test_coverage_counts_indicators_past_the_bitmap(tmp_path):
    """More indicators than bits in the per-report bitmap: the rest are listed and still counted once."""
    from yearwise import warehouse

    many = [(f"output.m{i:03d}", "level", i, "个") for i in range(150)]
    path = str(tmp_path / "many.duckdb")
    c = warehouse.connect(path)
    warehouse.load_report(c, _report("示例多指标局", 2020, "final_accounts", many + many[:5]))  # 5 stated twice
    warehouse.load_report(c, _report("示例多指标局", 2020, "budget",
                                     many[-20:] + [("budget.total", "level", 1, "万元")]))
    assert c.execute("SELECT count(*) FROM indicator").fetchall()[0][0] > 126 + 20
    cov = run_query(c, "coverage").row(0, named=True)
    c.close()
    assert (cov["indicators"], cov["facts"], cov["documents"]) == (151, 176, 2)
    assert cov["doc_kinds"] == "budget,final_accounts"
    assert cov["missing_core"] == [code for code in CORE if code != "budget.total"]


def test_subject_trend_follows_a_code_across_years(con):
    df = run_query(con, "subject_trend", code="2010301")
    rows = [(r["department"], r["year"], r["code"], r["level"], float(r["value"]), r["prior_value"], r["parent"])
            for r in df.iter_rows(named=True)]
    assert sorted(rows) == sorted([("示例教育局", 2020, "2010301", "项", 600.0, None, "20103"),
                                   ("示例教育局", 2023, "2010301", "项", 66.0, None, "20103"),  # no 2022: no YoY
                                   (QUOTE_DEPT, 2021, "2010301", "项", 300.0, None, "20103")])
    shares = {r["year"]: float(r["share_of_parent"]) for r in df.iter_rows(named=True) if r["department"] == "示例教育局"}
    assert shares == {2020: round(600 / 950 * 100, 2), 2023: 66.0}
    classes = run_query(con, "subject_trend")  # no code: the 类
    assert set(classes["code"]) == {"201"} and set(classes["system"]) == {"功能分类"}
