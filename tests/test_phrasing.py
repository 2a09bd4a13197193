"""How report wording becomes facts: one sentence in, the facts an analyst would write down out."""

from decimal import Decimal

import pytest

from yearwise.ingest import Document, extract_document
from yearwise.ingest.normalize import normalize

TITLE = "示例区水务局2023年度部门决算\n"


def facts(body: str, title: str = TITLE):
    text = normalize(title + body)
    report = extract_document(Document(source="phrasing.txt", sha256="", text=text, format="txt"))
    return [(f.indicator, f.measure, f.value) for f in report.facts], report


def test_title_gives_department_year_and_kind():
    _, report = facts("本年收入合计100万元。")
    assert (report.department, report.year, report.doc_kind) == ("示例区水务局", 2023, "final_accounts")


def test_level_change_and_rate_with_signs():
    found, report = facts("2023年度收、支总计9,685.55万元,比上年减少 1,027.91万元,下降11.87%。")
    assert found == [("accounts.total", "level", Decimal("9685.55")),
                     ("accounts.total", "change", Decimal("-1027.91")),
                     ("accounts.total", "change_rate", Decimal("-11.87"))]
    assert {f.compared_to for f in report.facts if f.measure != "level"} == {2022}


def test_shares_belong_to_the_item_before_them():
    found, _ = facts("本年收入合计200万元,其中:财政拨款收入150万元,占收入合计的75%;其他收入50万元,占25%。")
    assert ("revenue.fiscal", "share", Decimal("75")) in found
    assert ("revenue.other", "share", Decimal("25")) in found


def test_two_things_at_once_give_one_fact_each():
    found, _ = facts("收、支总计各是4125.49,4143.91万元。与上年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.28%。")
    assert ("accounts.income_total", "level", Decimal("4125.49")) in found
    assert ("accounts.expenditure_total", "level", Decimal("4143.91")) in found
    assert ("accounts.expenditure_total", "change", Decimal("-2570.97")) in found
    assert ("accounts.expenditure_total", "change_rate", Decimal("-38.28")) in found


def test_a_stated_prior_year_value_is_a_fact_of_that_year():
    _, report = facts("本年收入合计8000万元,比上年7211.12万元增加788.88万元。")
    prior = [f for f in report.facts if f.value == Decimal("7211.12")]
    assert prior and prior[0].year == 2022 and prior[0].measure == "level" and prior[0].indicator == "revenue.total"


def test_forgotten_percent_after_a_rate_verb():
    found, _ = facts("机关运行经费支出50万元,比上年增加6万元,增长 13.95。")
    assert ("spending.office_operation", "change_rate", Decimal("13.95")) in found


def test_flat_is_a_change_of_zero():
    found, _ = facts("机关运行经费支出50.3万元,与上年持平。")
    assert ("spending.office_operation", "change", Decimal("0")) in found


def test_region_economy_with_period_is_not_the_departments():
    _, report = facts("今年上半年全区数字经济核心产业收入2459.1亿元,同比增长7.8%。本部门支出合计100万元。")
    region = [f for f in report.facts if f.scope == "region"]
    assert {(f.measure, f.value, f.period) for f in region} == {("level", Decimal("24591000"), "H1"),
                                                                ("change_rate", Decimal("7.8"), "H1")}
    assert [f.scope for f in report.facts if f.indicator == "spending.total"] == ["department"]


def test_a_region_word_opening_an_institutions_name_is_no_region():
    """全省政协系统 and 全国政协 name institutions: '举办…全省政协系统领导干部培训班 2 期' is the department's own work,
    while 全区 before an economy figure still marks the region."""
    _, report = facts("举办委员学习研讨班 3 期、全省政协系统领导干部培训班 2 期,举办江苏政协讲坛 7 期。"
                      "以全国政协委托的课题为重点,召开 2 次专题研讨会。全区规模以上工业企业实现工业总产值505.5亿元。",
                      title="江苏省政协办公厅2019年度部门预算\n")
    scope = {f.value: f.scope for f in report.facts}
    assert scope[Decimal("2")] == scope[Decimal("7")] == "department"
    assert scope[Decimal("5055000")] == "region"
    assert not [f.indicator for f in report.facts if f.value in (2, 7) and f.indicator.startswith("economy.")]


def test_thresholds_and_articles_are_not_facts():
    found, _ = facts("单价100万元(含)以上设备2台。仅有一个单位。")
    assert [v for _, _, v in found] == [Decimal("2")]


def test_item_lines_do_not_pose_as_department_totals():
    body = ("(三)一般公共预算财政拨款支出决算具体情况\n"
            "1、一般公共服务支出(类)财政事务(款)行政运行(项)\n年初预算为 1560.05 万元,支出决算为1511.89万元。\n")
    found, _ = facts(body)
    assert ("item.财政事务行政运行.initial_budget", "level", Decimal("1560.05")) in found  # with its 款
    assert not any(code in ("spending.total", "budget.initial.total") for code, _, _ in found)


def test_label_after_the_number():
    found, _ = facts("本年度共对12个项目开展绩效自评,平均得分93.2分。")
    assert ("performance.projects", "level", Decimal("12")) in found
    assert ("performance.avg_score", "level", Decimal("93.2")) in found


@pytest.mark.parametrize("sentence,measure,value", [
    ("较上年减少部门支出 1,653 万元。", "change", "-1653"),
    ("本年数小于上年预算数 29.65 万元。", "change", "-29.65"),
    ("同比增减率15.78%。", "change_rate", "15.78"),
    ("减少 184.96 万元,降幅 9.1 %。", "change_rate", "-9.1"),
])
def test_change_wordings(sentence, measure, value):
    found, _ = facts("本年支出合计1000万元。" + sentence)
    assert any(m == measure and v == Decimal(value) for _, m, v in found)


def test_traditional_characters_and_pinyin_glosses():
    found, report = facts("2017年度,本單位財政撥款收入1516.64萬元,占89.88%。",
                          title="天水市幼兒園2017年度部門決算公開\n")
    assert report.department == "天水市幼兒園" and report.year == 2017
    assert ("revenue.fiscal", "level", Decimal("1516.64")) in found
    found, _ = facts("一般公共預(yù)算財政撥款收入100萬元。", title="天水市幼兒園2017年度部門決算公開\n")
    assert ("revenue.general_budget", "level", Decimal("100")) in found


def test_one_number_said_of_both_gives_a_fact_each():
    found, _ = facts("2023年度收入总计与支出总计均为1,234.56万元。")
    assert ("accounts.income_total", "level", Decimal("1234.56")) in found
    assert ("accounts.expenditure_total", "level", Decimal("1234.56")) in found


def test_changes_of_both_follow_the_pair():
    found, _ = facts("2024年度收入总计与支出总计均为54126.61万元,较上年决算数增加4957.34万元,增长10.08%。")
    for code in ("accounts.income_total", "accounts.expenditure_total"):
        assert (code, "change", Decimal("4957.34")) in found
        assert (code, "change_rate", Decimal("10.08")) in found


def test_a_clause_about_last_year_is_a_fact_of_last_year():
    _, report = facts("一般行政管理事务支出2340.35万元,与上年相比减少128.43万元。主要原因是上年度列入此项的预留机动经费128.43万元本年度调入行政运行项。")
    levels = [f for f in report.facts if f.measure == "level" and f.value == Decimal("128.43")]
    assert levels and levels[0].year == 2022
    changes = [f for f in report.facts if f.measure == "change"]
    assert changes and changes[0].year == 2023 and changes[0].value == Decimal("-128.43")


def test_final_accounts_over_budget_is_a_signed_difference():
    found, _ = facts("一般公共预算财政拨款支出总计1741.75万元,完成年初预算100%,决算数大于预算数55.93万元。"
                     "公务接待费支出决算为2万元,决算数小于预算数1.5万元。")
    assert ("spending.general_budget.over_budget", "level", Decimal("55.93")) in found
    assert ("spending.official_reception.over_budget", "level", Decimal("-1.5")) in found


def test_a_change_against_the_budget_is_not_a_change_on_last_year():
    found, report = facts("机关运行经费支出决算为1,234.56万元,比年初预算增加100万元,增长8.8%。")
    assert ("spending.office_operation.over_budget", "level", Decimal("100")) in found
    assert ("spending.office_operation.over_budget_rate", "level", Decimal("8.8")) in found
    assert not [f for f in report.facts if f.measure in ("change", "change_rate")]


def test_lists_joined_by_and_and_years_before_them():
    found, _ = facts("本年支出合计300万元,基本支出和项目支出分别为100万元和200万元。2022年度收、支总计各是4125.49,4143.91万元。")
    assert ("spending.basic", "level", Decimal("100")) in found
    assert ("spending.project", "level", Decimal("200")) in found
    assert ("accounts.income_total", "level", Decimal("4125.49")) in found


def test_a_rate_raised_by_points_and_a_written_minus():
    found, _ = facts("预算执行率为95%,比上年提高2.3个百分点。一般公共预算财政拨款收入100万元,同比增长-5.2%。")
    assert ("budget.execution_rate", "change", Decimal("2.3")) in found
    assert ("revenue.general_budget", "change_rate", Decimal("-5.2")) in found
