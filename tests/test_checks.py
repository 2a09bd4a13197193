"""Consistency checks: small reports written here with planted slips (each kind passes and fails), the checks file,
and real corpus cases."""

from __future__ import annotations

from decimal import Decimal

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


def test_each_kind_of_rule_reads_every_field_of_its_class_in_order():
    import dataclasses

    for kind, (cls, fields) in rules_file.RULE_KINDS.items():
        assert [name for name, _ in fields] == [f.name for f in dataclasses.fields(cls)], kind
