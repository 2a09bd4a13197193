"""The subject of a number comes from its own clause: a reason's list of changes gives each change to the item it
names, a verb's object is no subject, and a part the catalog knows (公务用车购置) is never its whole or the total."""

from __future__ import annotations

from yearwise.ingest import extract

BUDGET = "江苏省某某厅2019年度部门预算\n"


def facts_of(files, text: str, head: str = BUDGET) -> set:
    report = extract(files("r.txt", head + text))
    return {(f.indicator, f.measure, f.value) for f in report.facts}


def test_each_change_of_a_reason_list_belongs_to_the_item_its_clause_names(files):
    found = facts_of(files, "收入、支出预算总计1000万元,与上年相比收、支预算总计各增加4322.77万元。主要原因是基本支出增加"
                            "机关事业单位养老保险等1447.63万元、项目经费支出安排减少江苏法院云平台租赁费200万元、"
                            "单位预留机动经费增加3075.14万元。")
    codes = {(code, v) for code, m, v in found if m == "change"}
    assert ("budget.basic", 1447.63) in {(c, float(v)) for c, v in codes}
    assert ("item.单位预留机动经费", 3075.14) in {(c, float(v)) for c, v in codes}
    assert not any(c.startswith("budget.") and float(v) in (3075.14, -200) for c, v in codes)
    assert ("budget.total", 4322.77) in {(c, float(v)) for c, v in codes}


def test_a_change_with_its_object_before_the_number_is_a_change_not_a_level(files):
    found = facts_of(files, "一般公共预算收入预算28849.38万元,与上年相比增加1808.29万元。主要原因是基本支出增加人员经费"
                            "1408.29万元。")
    assert ("budget.basic", "change", 1408.29) in {(c, m, float(v)) for c, m, v in found}
    assert not any(m == "level" and float(v) == 1408.29 for c, m, v in found)


def test_vehicle_purchase_and_operation_are_parts_never_the_total(files):
    found = facts_of(files, "收入、支出预算总计1000万元。\n2.公务用车购置及运行费预算支出411.20万元。其中:\n"
                            "(1)公务用车购置预算支出0万元,与上年预算数一致。\n"
                            "(2)公务用车运行维护费预算支出411.20万元,与上年预算数一致。")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("budget.vehicle_purchase", "level", 0) in got
    assert ("budget.vehicle_purchase", "change", 0) in got
    assert ("budget.vehicle_operation", "level", 411.2) in got
    assert ("budget.official_vehicles", "level", 411.2) in got
    assert {c for c, m, v in got if c == "budget.total"} and not [g for g in got if g[0] == "budget.total" and g[2] != 1000]
