"""Consistency checks: small reports written here with planted slips (each kind passes and fails), the checks file,
and real corpus cases."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from yearwise import Warehouse
from yearwise.ingest import checks as rules_file
from yearwise.ingest.checks import ChecksFileError, half_unit, load_checks, parse, validate

def budget_report(year: int, total, basic, project, spent, three_public, meetings, training, said=()) -> str:
    """A small 部门预算 of 示例局 in the four sections every one has, with the figures given (as printed, in 万元 and
    %): total/basic/project are (level, change, rate), spent is (total, basic, its share, project, its share),
    three_public three (amount, share) pairs, meetings/training (amount, stated growth or None); `said` are lines
    added after the 三公 paragraph."""
    def level(label, figures):
        return "{}{}万元，与上年相比增加{}万元，增长{}%。".format(label, *figures)

    def item(name, figures):
        amount, growth = figures
        return (f"示例局{year}年度一般公共预算拨款安排的{name}预算支出{amount}万元"
                + (f"，比上年增长{growth}%。" if growth else "。"))

    shares = "；".join(f"{name}支出{amount}万元，占“三公”经费的{share}%" for name, (amount, share)
                      in zip(("因公出国（境）费", "公务用车购置及运行费", "公务接待费"), three_public))
    return "\n".join([
        f"示例局{year}年度部门预算", "一、收支预算总体情况说明", level(f"示例局{year}年度收入、支出预算总计", total),
        level("基本支出预算数为", basic), level("项目支出预算数为", project), "二、支出预算情况说明",
        "本年支出预算合计{}万元，其中：基本支出{}万元，占{}%；项目支出{}万元，占{}%。".format(*spent),
        "三、“三公”经费支出预算情况说明", f"“三公”经费预算支出中，{shares}。", *said,
        "四、会议费、培训费支出预算情况说明", item("会议费", meetings), item("培训费", training), ""])


CLEAN_2023 = budget_report(2023, ("1000.00", "100.00", "11.11"), ("600.00", "50.00", "9.09"),
                           ("400.00", "50.00", "14.29"), ("1000.00", "600.00", "60.00", "400.00", "40.00"),
                           (("10.00", "20.00"), ("30.00", "60.00"), ("10.00", "20.00")), ("10.00", None),
                           ("10.00", None))

# planted: the total's change is not the difference with 2023 (1200 - 1000 = 200, stated 150) and its rate is not
# change / prior (15.00 for 150 / 1050); the basic rate is computed on this year's level (100 / 700 = 14.29%); the
# project figures are right; the total is stated twice (1200 and 1100); the shares are of 1100, not of the parts;
# 三公 shares do not add up (25% of 40 is 10, stated 30%); 公务用车 is called equal to last year (30 -> 20); 培训费
# grows 50%, not 20%.
SLIPS_2024 = budget_report(2024, ("1200.00", "150.00", "15.00"), ("700.00", "100.00", "14.29"),
                           ("500.00", "100.00", "25.00"), ("1100.00", "700.00", "58.33", "500.00", "41.67"),
                           (("10.00", "30.00"), ("20.00", "50.00"), ("10.00", "25.00")), ("20.00", "100.00"),
                           ("15.00", "20.00"), said=("1.因公出国（境）费预算支出10.00万元，与上年预算数一致。",
                                                    "2.公务用车购置及运行费预算支出20.00万元，与上年预算数一致。"))


@pytest.fixture
def planted(tmp_path):
    """A warehouse with the clean 2023 report and the 2024 report with planted slips; its check rows."""
    (tmp_path / "r2023.txt").write_text(CLEAN_2023, encoding="utf-8")
    (tmp_path / "r2024.txt").write_text(SLIPS_2024, encoding="utf-8")
    wh = Warehouse(tmp_path / "w.duckdb")
    wh.ingest([tmp_path / "r2023.txt", tmp_path / "r2024.txt"])
    return wh, wh.sql('SELECT "check", status, year, indicator, stated, expected, message FROM checks')


def _rows(df, check, year=None, indicator=None):
    out = [r for r in df.iter_rows(named=True) if r["check"] == check
           and (year is None or r["year"] == year) and (indicator is None or r["indicator"] == indicator)]
    assert out, f"no {check} check for {year} {indicator}"
    return out


def _status(df, check, year=None, indicator=None) -> set[str]:
    return {r["status"] for r in _rows(df, check, year, indicator)}


def test_identity_total_is_basic_plus_project(planted):
    _, df = planted
    assert _status(df, "budget.parts", 2023) == {"pass"}
    # 2024: 700 + 500 = 1200 is the narrative total; the 1100 of section 二 is the second statement
    assert _status(df, "budget.parts", 2024) == {"pass"}


def test_the_same_total_stated_twice_differently_fails(planted):
    _, df = planted
    twice = _rows(df, "report.stated_twice", 2024, "budget.total")
    assert [(r["status"], r["stated"], r["expected"]) for r in twice] == [("fail", Decimal("1100"), Decimal("1200"))]
    assert not [r for r in df.iter_rows(named=True) if r["check"] == "report.stated_twice" and r["year"] == 2023]


def test_stated_rate_against_its_own_sentence(planted):
    _, df = planted
    assert _status(df, "report.stated_rate", 2023) == {"pass"}
    assert _status(df, "report.stated_rate", 2024, "budget.project") == {"pass"}
    total = _rows(df, "report.stated_rate", 2024, "budget.total")[0]
    assert total["status"] == "fail" and total["expected"] == Decimal("14.285714")
    basic = _rows(df, "report.stated_rate", 2024, "budget.basic")[0]
    assert basic["status"] == "fail" and "wrong base" in basic["message"]


def test_shares_of_parts(planted):
    _, df = planted
    assert _status(df, "budget.parts.share", 2023) == {"pass"}
    # 700 / 1200 = 58.33%: right against the total the identity holds for
    assert _status(df, "budget.parts.share", 2024) == {"pass"}
    # a 部门预算 states its 三公 figures as budgets (budget.*), checked by the budget twin of the identity
    assert _status(df, "three_public.budget.parts.share", 2023) == {"pass"}
    assert _status(df, "three_public.budget.parts.share", 2024, "budget.official_vehicles") == {"pass"}
    assert _status(df, "three_public.budget.parts.share", 2024, "budget.overseas_trips") == {"fail"}


def test_cross_year_change_and_rate_against_last_years_report(planted):
    _, df = planted
    change = _rows(df, "cross_year.stated_change", 2024, "budget.total")[0]
    assert change["status"] == "fail" and change["stated"] == Decimal("150") and change["expected"] == Decimal("200")
    assert _status(df, "cross_year.stated_change", 2024, "budget.project") == {"pass"}
    # a rate beside its change is checked in its sentence; a rate alone against last year's report
    rates = {r["stated"]: r for r in _rows(df, "cross_year.stated_rate", 2024)}
    assert rates[Decimal("100")]["status"] == "pass" and "meetings" in rates[Decimal("100")]["indicator"]
    training = rates[Decimal("20")]
    assert training["status"] == "fail" and training["expected"] == Decimal("50") and "training" in training["indicator"]


def test_equal_to_last_year_against_last_years_report(planted):
    _, df = planted
    assert _status(df, "cross_year.stated_change", 2024, "budget.overseas_trips") == {"pass"}
    flat = _rows(df, "cross_year.stated_change", 2024, "budget.official_vehicles")[0]
    assert flat["status"] == "fail" and flat["stated"] == 0 and flat["expected"] == Decimal("-10")


EVALUATION = """{dept}2024年度部门整体支出绩效自评报告
一、部门基本情况
2024年度，本部门年初预算数为{budget}万元，全年预算数为{budget}万元，全年执行数为{spent}万元，预算执行率为{rate}%。
"""


def test_ranking_and_variance_show_doubt_instead_of_hiding_it(tmp_path):
    """A budget of 0.95 万元 beside 2,940.05 万元 spent (309479% executed) is doubted by the plausibility checks: the
    canned answers built on it say so (checks_failed) rather than rank it as a plain figure; the other does not."""
    for dept, budget, spent, rate in (("示例局", "0.95", "2940.05", "309479"), ("示例处", "1000.00", "950.00", "95")):
        (tmp_path / f"{dept}.txt").write_text(EVALUATION.format(dept=dept, budget=budget, spent=spent, rate=rate),
                                              encoding="utf-8")
    wh = Warehouse(tmp_path / "w.duckdb")
    wh.ingest([tmp_path / "示例局.txt", tmp_path / "示例处.txt"])
    ranking = {r["department"]: r for r in wh.run("department_ranking", indicator="budget.total").iter_rows(named=True)}
    assert ranking["示例局"]["value"] == Decimal("0.95") and ranking["示例局"]["checks_failed"] > 0
    assert ranking["示例处"]["checks_failed"] == 0
    variance = {r["department"]: r for r in wh.run("budget_variance").iter_rows(named=True) if r["part"] == "total"}
    assert variance["示例局"]["execution_rate"] > 1000 and variance["示例局"]["checks_failed"] > 0
    assert variance["示例处"]["checks_failed"] == 0


def test_failed_facts_are_marked_in_the_facts_view(planted):
    wh, _ = planted
    marked = wh.sql("SELECT year, indicator, measure, value, checks_failed FROM facts WHERE checks_failed > 0")
    keys = {(r["year"], r["indicator"], r["measure"], r["value"]) for r in marked.iter_rows(named=True)}
    assert (2024, "budget.total", "change", Decimal("150")) in keys
    assert (2024, "budget.total", "level", Decimal("1100")) in keys
    clean = wh.sql("SELECT count(*) AS n FROM facts WHERE year = 2023 AND checks_failed > 0")
    assert clean["n"][0] == 0


def test_half_unit_follows_printed_precision():
    assert half_unit("26,667.28", Decimal("26667.28")) == Decimal("0.005")
    assert half_unit("200", Decimal("200")) == Decimal("0.5")
    assert half_unit("200", Decimal("200"), cents=True) == Decimal("0.005")  # 200 万元 is printed for 200.00
    assert half_unit("1.5", Decimal("15000"), cents=True) == Decimal("500")
    assert half_unit("1.5", Decimal("15000")) == Decimal("500")  # 1.5 亿元 is exact within 0.05 亿元
    assert half_unit("", Decimal("3")) == Decimal("0.005")


def test_checks_file_loads_and_validates_against_the_catalog():
    rules = load_checks()
    assert {"budget.parts", "three_public.parts", "revenue.sources"} <= {i.name for i in rules.identities}
    assert "可比" in rules.restatement_words
    with pytest.raises(ChecksFileError, match="not in the catalog: budget.nonsense"):
        validate(parse({"identity": [{"name": "x", "whole": "budget.nonsense", "parts": ["budget.basic"]}]}))
    with pytest.raises(ChecksFileError, match="identity #1: `parts`"):
        parse({"identity": [{"name": "x", "whole": "budget.total"}]})
    with pytest.raises(ChecksFileError, match="used twice"):
        parse({"range": [{"name": "r", "indicator": "evaluation.score", "min": 0, "max": 1}] * 2})


def test_extra_checks_file_from_the_environment(tmp_path, monkeypatch):
    extra = tmp_path / "more.toml"
    extra.write_text('[[range]]\nname = "range.avg"\nindicator = "performance.avg_score"\nmin = 0\nmax = 100\n',
                     encoding="utf-8")
    monkeypatch.setenv("YEARWISE_CHECKS", str(extra))
    rules_file._load.cache_clear()
    try:
        assert "range.avg" in {r.name for r in load_checks().ranges}
    finally:
        monkeypatch.delenv("YEARWISE_CHECKS")
        rules_file._load.cache_clear()


@pytest.mark.parametrize("content, cause", [
    ("[[identity]\nname = 'x'\n", "not valid TOML"),
    ("[[identity]]\nname = 'x'\nwhole = 'budget.total'\nparts = ['budget.nonesuch']\n", "codes not in the catalog"),
    ("[[table_sum]]\nname = 'table.x'\nkind = 'rows'\n", "table_sum #1: `kind`"),
])
def test_a_bad_checks_file_stops_the_run_once_with_one_line(tmp_path, monkeypatch, capsys, content, cause):
    """YEARWISE_CHECKS naming a malformed or invalid file: one line naming the file and the cause, before any file
    is read (not a failure per file), and nothing written."""
    from typer.testing import CliRunner

    from yearwise.cli import app

    bad = tmp_path / "bad-checks.toml"
    bad.write_text(content, encoding="utf-8")
    for n in range(3):
        (tmp_path / f"r{n}.txt").write_text(CLEAN_2023, encoding="utf-8")
    monkeypatch.setenv("YEARWISE_CHECKS", str(bad))
    rules_file._load.cache_clear()
    try:
        result = CliRunner().invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", str(tmp_path / "r0.txt"),
                                          str(tmp_path / "r1.txt"), str(tmp_path / "r2.txt")])
    finally:
        monkeypatch.delenv("YEARWISE_CHECKS")
        rules_file._load.cache_clear()
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert str(bad) in lines[0] and cause in lines[0] and "Traceback" not in result.output


TABLE_2024 = """示例局2024年度部门决算
一、支出决算表
表3 支出决算表
单位：万元
| 科目编码 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出 |
| | 合计 | 180.00 | 120.00 | 60.00 |
| 201 | 一般公共服务支出 | 150.01 | 100.00 | 50.00 |
| 20101 | 人大事务 | 150.00 | 100.00 | 50.00 |
| 2010101 | 行政运行 | 100.00 | 100.00 | |
| 2010102 | 一般行政管理事务 | 45.00 | | 50.00 |
| 208 | 社会保障和就业支出 | 30.00 | 20.00 | 10.00 |
| 20805 | 行政事业单位养老支出 | 30.00 | 20.00 | 10.00 |
"""


def test_table_arithmetic_is_in_the_checks_table(tmp_path):
    """Planted: 201 prints 150.01 over 150.00 (within the rounding of two printed figures: doubtful); 2010102 prints
    45.00 where its 项目支出 is 50.00, so 20101's children add to 145.00 (both fail); the rest adds up (pass)."""
    (tmp_path / "t.txt").write_text(TABLE_2024, encoding="utf-8")
    wh = Warehouse(tmp_path / "w.duckdb")
    wh.ingest([tmp_path / "t.txt"])
    rows = wh.check().filter(pl.col("category") == "table").to_dicts()
    got = {(r["check"], r["row_code"] or "合计", r["column"]): r for r in rows}
    assert got[("table.children", "201", "合计")]["status"] == "doubtful"
    assert got[("table.classes", "合计", "合计")]["status"] == "doubtful"  # 180.00 vs 150.01 + 30.00
    bad = got[("table.spending_columns", "2010102", "合计")]
    assert (bad["status"], bad["stated"], bad["expected"], bad["difference"]) == (
        "fail", Decimal("45"), Decimal("50"), Decimal("-5"))
    assert bad["quotes"][0] == "45.00" and bad["department"] == "示例局" and bad["year"] == 2024
    assert bad["table"] == "final.expenditure" and bad["indicator"] == "func.2010102"
    assert got[("table.children", "20101", "合计")]["status"] == "fail"
    assert got[("table.children", "208", "合计")]["status"] == "pass"
    assert got[("table.spending_columns", "20805", "合计")]["status"] == "pass"
    assert sum(r["status"] == "pass" for r in rows) >= 12
    # the figure a failed table check doubts is marked in the facts view; its parts are not
    marked = wh.sql('SELECT row_code, "column", checks_failed FROM facts WHERE row_code = \'2010102\'').to_dicts()
    assert {(m["column"], m["checks_failed"]) for m in marked} == {("合计", 1), ("项目支出", 0)}


def test_table_arithmetic_survives_export_and_load(tmp_path):
    """A dataset carries no tables: the readers' table arithmetic travels with it (table_sums.parquet)."""
    (tmp_path / "t.txt").write_text(TABLE_2024, encoding="utf-8")
    wh = Warehouse(tmp_path / "w.duckdb")
    wh.ingest([tmp_path / "t.txt"])
    wh.export(tmp_path / "ds")
    again = Warehouse(tmp_path / "again.duckdb")
    again.load(tmp_path / "ds")
    cols = ["check", "status", "row_code", "column", "stated", "expected", "quotes"]
    table = lambda w: w.check().filter(pl.col("category") == "table").select(cols).sort(cols[:4])  # noqa: E731
    assert table(wh).height >= 15 and table(again).equals(table(wh))


def _table(prior_header: str, this: str, prior: str) -> str:
    return ("二、支出预算表\n表3 支出预算表\n单位：万元\n"
            f"| 科目编码 | 科目名称 | 本年预算数 | {prior_header} |\n"
            f"| | 合计 | {this} | {prior} |\n| 201 | 一般公共服务支出 | {this} | {prior} |\n")


RESTATED_2024 = """示例局2024年度部门预算
一、收支预算总体情况说明
示例局2024年度收入、支出预算总计1200.00万元，与上年相比增加150.00万元，增长14.29%。
基本支出预算数为700.00万元。项目支出预算数为500.00万元。
"""
FILLER = "".join(f"{n}.本部门按规定做好第{n}项工作，严格执行预算管理制度，加强绩效管理。\n" for n in range(1, 6))


def _cross_year(tmp_path, text_2024: str) -> dict:
    (tmp_path / "r2023.txt").write_text(CLEAN_2023 + _table("上年预算数", "1000.00", "900.00"), encoding="utf-8")
    (tmp_path / "r2024.txt").write_text(text_2024, encoding="utf-8")
    wh = Warehouse(tmp_path / "w.duckdb")
    wh.ingest([tmp_path / "r2023.txt", tmp_path / "r2024.txt"])
    rows = wh.check().filter((pl.col("category") == "cross_year") & (pl.col("year") == 2024)).to_dicts()
    return {(r["indicator"], r["stated"]): (r["check"], r["status"]) for r in rows}


@pytest.mark.parametrize("header, restated", [("上年预算数(可比口径)", True), ("调整后上年数", True),
                                              ("上年预算数", False)])
def test_a_restated_prior_year_column_is_a_restatement(tmp_path, header, restated):
    """A table column 上年数(可比口径) holds last year's figures on this year's basis: 1050.00 against the 2023 report's
    1000.00 is a restatement (pass), not a slip; under a plain 上年预算数 header it is a failed prior-year level."""
    got = _cross_year(tmp_path, RESTATED_2024 + _table(header, "1200.00", "1050.00"))
    assert got[("func.201", Decimal("1050"))] == (
        ("cross_year.restatement", "pass") if restated else ("cross_year.prior_level", "fail"))


@pytest.mark.parametrize("statement, restated", [
    ("六、其他说明\n因机构职能调整，部门支出口径调整，上年数据已按调整后口径重新计算。\n", True),
    ("六、其他说明\n因机构职能调整，本年新增两项职能，相关支出相应增加。\n", False)])
def test_a_report_level_restatement_statement_covers_its_changes(tmp_path, statement, restated):
    """上年数据已按调整后口径重新计算, said once anywhere in the report: its stated change (150.00 where 1200.00 -
    1000.00 of the 2023 report gives 200.00) compares with a restated prior year; without it, the change fails."""
    got = _cross_year(tmp_path, RESTATED_2024 + FILLER + statement)
    assert got[("budget.total", Decimal("150"))] == (
        ("cross_year.restatement", "pass") if restated else ("cross_year.stated_change", "fail"))


def test_each_kind_of_rule_reads_every_field_of_its_class_in_order():
    import dataclasses

    for kind, (cls, fields) in rules_file.RULE_KINDS.items():
        assert [name for name, _ in fields] == [f.name for f in dataclasses.fields(cls)], kind
