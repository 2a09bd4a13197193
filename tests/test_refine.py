"""Counts are named by what they count, and a part (after 其中/包括) never takes the code of its whole."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

from yearwise.ingest import extract
from yearwise.ingest.catalog import load_catalog
from yearwise.ingest.rules import DATA, check_codes, naming


def facts_of(files, text: str) -> dict:
    report = extract(files("r.txt", "北京市某区财政局2023年度部门决算\n" + text))
    return {(f.indicator, f.value) for f in report.facts}


def readings_of(files, text: str):
    """The report extracted from `text`, and its facts as (indicator, measure, value)."""
    report = extract(files("b.txt", text))
    return report, {(f.indicator, f.measure, f.value) for f in report.facts}


def test_every_count_rule_names_a_catalog_code():
    codes = {i.code for i in load_catalog()}
    rows = tomllib.loads((DATA / "naming.toml").read_text(encoding="utf-8"))["count"]
    assert rows and all(row["code"] in codes for row in rows)
    assert len(naming().counts) == len(rows)


def test_a_count_rule_with_a_code_the_catalog_lacks_is_refused(tmp_path):
    bad = tmp_path / "naming.toml"
    bad.write_text((DATA / "naming.toml").read_text(encoding="utf-8").replace(
        'code = "staff.actual"\n# the whole', 'code = "staff.nonexistent"\n# the whole'), encoding="utf-8")
    with pytest.raises(ValueError, match=r"naming.toml: indicator codes the catalog lacks: count #1: staff.nonexistent"):
        check_codes(naming(bad).codes(), load_catalog(), bad)


@pytest.mark.parametrize("text, code, value", [
    ("一、机构设置\n本中心内设9个科室,分别为办公室、财务科。", "org.internal_units", 9),
    ("下设直属事业单位10个。", "org.affiliated_units", 10),
    ("纳入本局部门预算编制范围的单位有3个。", "org.budget_units", 3),
    ("截至2023年底,共有车辆5辆,其中:执法执勤用车0辆、其他用车5辆。", "assets.vehicles.执法执勤用车", 0),
    ("现有编制人员205人。其中,局机关在职113人、离休2人。", "staff.actual", 205),
    ("现有编制人员205人。其中,局机关在职113人、离休2人。", "staff.局机关在职", 113),
    ("现有编制人员205人。其中,局机关在职113人、离休2人。", "staff.离休", 2),
    ("实际正式教职工62人,其中副高级职称4人,中级职称25人。", "staff.副高级职称", 4),
])
def test_counts_are_named_by_what_they_count(files, text, code, value):
    assert (code, value) in facts_of(files, text)


def test_no_count_of_staff_bodies_or_vehicles_is_an_output(files):
    found = facts_of(files, "本中心内设9个科室。现有编制人员205人。其中,局机关在职113人、财政事务中心10人。"
                            "共有车辆5辆,其中:执法执勤用车0辆。")
    assert not [code for code, _ in found if code.startswith("output.")]


def test_a_part_after_its_whole_is_named_by_its_own_words(files):
    found = facts_of(files, "三公经费支出12万元,其中:公务用车购置及运行费8万元,其中公务用车运行维护费5万元,"
                            "公务车辆保险费1万元。")
    assert ("spending.official_vehicles", 8) in found
    assert ("spending.official_vehicles", 5) not in found  # the part is not the whole
    assert ("spending.vehicle_operation", 5) in found  # a part the catalog knows has a code of its own
    assert ("spending.official_vehicles", 1) not in found
    assert any(code.startswith("item.") and v == 1 for code, v in found)  # one it does not know, its own words


def test_in_a_budget_report_spending_words_name_budget_figures(files):
    report, found = readings_of(files, "江苏省某某厅2019年度部门预算\n2019年度因公出国(境)费预算支出180万元,比上年预算减少20万元。"
                                       "会议费预算支出50万元。")
    assert ("budget.overseas_trips", "level", 180) in found
    assert ("budget.overseas_trips", "change", -20) in found  # 比上年预算: the comparison names no subject
    assert ("budget.meetings", "level", 50) in found
    assert not [f for f in report.facts if f.indicator.startswith("spending.")]


def test_a_fund_before_a_total_names_the_figure(files):
    report, found = readings_of(files, "江苏省某某厅2018年度部门预算\n(一)收入预算总计 10,150.48 万元。包括:\n"
                                       "1.其他资金收入预算总计 80 万元,与上年数一致。\n"
                                       "2.财政专户管理资金收入预算总计 0 万元,与上年数一致。\n")
    assert ("accounts.income_total", "level", Decimal("10150.48")) in found
    assert ("revenue.other", "level", 80) in found and ("revenue.special_account", "level", 0) in found
    assert ("accounts.income_total", "level", 80) not in found


@pytest.mark.parametrize("text", ["根据《关于印发…的通知》(京朝办字〔2019〕47号)规定,共有行政编制39名。",
                                  "根据《江苏省财政厅关于 2018 年省级部门预算的批复》(苏财预„2018‟13 号)填列。",
                                  "本表(公开 01 表)反映部门年度总体收支预算情况。",
                                  "开展对3-6岁学龄前幼儿的保教工作。"])
def test_document_table_numbers_and_ranges_are_not_values(files, text):
    values = {v for _, v in facts_of(files, text)}
    assert not values & {2019, 47, 2018, 13, 1, 3, 6}


def test_a_change_whose_own_clause_names_a_subject_is_about_that_subject(files):
    report, found = readings_of(files, "江苏省某某厅2017年度部门预算\n2017年度收入、支出预算总计9,146.79万元,与上年相比收、支预算总计各"
                                       "增加498.72万元,增长5.76%。按功能分类,一般公共服务支出减少108.56万元,"
                                       "社会保障和就业支出增加140.96万元。")
    assert ("budget.total", "change", Decimal("498.72")) in found
    # the subjects are 类 of the 功能分类 by their whole names: their codes (ingest.subject_paths)
    assert ("func.201", "change", Decimal("-108.56")) in found
    assert ("func.208", "change", Decimal("140.96")) in found
    assert not [f for f in report.facts if f.indicator == "budget.total" and f.value in (Decimal("-108.56"), Decimal("140.96"))]


def test_the_points_an_evaluation_indicator_weighs_are_its_weight(files):
    found = facts_of(files, "一、自评得分情况\n预算执行情况(10分),得分9.5分。产出指标(50分)。总体得分为92.6分。")
    assert ("evaluation.weight.预算执行情况", 10) in found and ("evaluation.weight.产出指标", 50) in found
    assert ("evaluation.score", Decimal("92.6")) in found
    assert not [code for code, _ in found if code.startswith("output.")]
