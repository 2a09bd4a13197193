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


def test_a_clause_naming_another_year_takes_that_year(files):
    found = extract(files("r.txt", BUDGET.replace("2019", "2017") +
                          "2017年度部门支出预算安排与2016年度相比(2016年度部门支出预算安排为8,648.07万元),增加498.72万元。"
                          "本年收入100万元(上年收入90万元)。与上年相比(去年同期为120万元),增加5万元。")).facts
    years = {(float(f.value), f.year) for f in found}
    assert (8648.07, 2016) in years and (90, 2016) in years and (120, 2016) in years
    assert (498.72, 2017) in years and (100, 2017) in years


def test_a_part_of_a_whole_of_another_year_is_of_that_year(files):
    found = extract(files("r.txt", "某某局2023年度部门决算\n2022年支出总计7100万元,包括本年支出合计7033.15万元。"
                                   "2023年支出总计8000万元,其中:基本支出5000万元。")).facts
    years = {(float(f.value), f.year) for f in found}
    assert (7100, 2022) in years and (7033.15, 2022) in years
    assert (8000, 2023) in years and (5000, 2023) in years


def test_subjects_named_before_a_flat_comparison_are_each_flat(files):
    found = facts_of(files, "基本支出5916.27万元,与上年相比增加498.72万元。按支出用途分类,基本支出增加498.72万元,"
                            "项目支出、单位预留机动经费与上年数一致。")
    changes = {(c, float(v)) for c, m, v in found if m == "change"}
    assert ("budget.project", 0) in changes and ("item.单位预留机动经费", 0) in changes
    assert ("budget.basic", 0) not in changes and ("budget.basic", 498.72) in changes


def test_a_narrower_procurement_item_and_its_share_are_not_the_total(files):
    found = facts_of(files, "2019年度部门政府采购预算总金额为1,271.22万元。其中,货物类政府采购支出预算259.32万元,"
                            "占20.40%;服务类政府采购支出预算1,011.90万元,占79.60%。")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("procurement.total", "level", 1271.22) in got
    assert ("procurement.goods", "level", 259.32) in got and ("procurement.goods", "share", 20.4) in got
    assert ("procurement.services", "level", 1011.9) in got and ("procurement.services", "share", 79.6) in got
    assert not [g for g in got if g[0] == "procurement.total" and g[2] != 1271.22]


def test_counts_of_bodies_are_named_by_the_noun_they_count(files):
    found = facts_of(files, "本部门内设机构包括办公厅、研究室和3个专门委员会,有38个处室。纳入本部门2019年部门汇总预算编制"
                            "范围的预算单位共3家。绩效自评中共发现问题0个。", head="某某局2019年度部门预算\n")
    got = {(c, float(v)) for c, m, v in found}
    assert ("org.internal_units", 38) in got and ("org.internal_units", 3) not in got
    assert ("org.budget_units", 3) in got
    assert ("performance.issues", 0) in got and ("performance.projects", 0) not in got


def test_an_aspect_without_a_subject_takes_the_item_its_line_names(files):
    found = facts_of(files, "本年支出合计2940.05万元。\n8、社会保障和就业支出(类)行政事业单位养老支出(款)其他行政事业单位"
                            "养老支出(项)。主要用于:退休人员经费支出。年初预算为0.94万元,支出决算为0.94万元。",
                     head="上海市普陀区某某局2024年度部门决算\n")
    got = {(c, float(v)) for c, m, v in found}
    assert ("spending.total", 2940.05) in got
    assert ("spending.total", 0.94) not in got and ("budget.initial.total", 0.94) not in got
    assert any(c.startswith("item.其他行政事业单位养老支出") and v == 0.94 for c, v in got)


# words that name nothing on their own (a verb, a scope, a quantity word, a column word, a column's value): written
# out here, apart from the rules, so that the test judges the codes the tool makes over the real corpus
NAMELESS = {"方面", "首批", "全区", "全市", "全省", "汇聚", "出资", "确定", "组织", "召开", "推进", "每月", "本部门",
            "项目", "决算数", "预算数", "合计", "总计", "其中", "收入总", "支出总", "政府集中采购", "分散自行组织",
            "部门集中采购"}


def test_no_descriptive_code_over_the_corpus_is_made_of_a_function_word(corpus):
    from yearwise.ingest import IngestError

    bad = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix.lower() not in (".pdf", ".txt") or "labels" in path.name:
            continue
        try:
            report = extract(path)
        except IngestError:
            continue
        for f in report.facts:
            family, _, rest = f.indicator.partition(".")
            if family in ("output", "economy", "item", "rate") and rest:
                word = rest.split(".")[0]
                if word != "other" and (word in NAMELESS or len(word) < 2 or not "\u4e00" <= word[0] <= "\u9fff"):
                    bad.append((path.name, f.indicator, f.quote[-30:]))
    assert not bad, bad[:20]


def test_the_item_a_figure_s_own_line_names_wins_over_a_stale_section(files):
    found = facts_of(files, "六、一般公共预算财政拨款支出决算情况说明\n(一)社会保障和就业支出(类)行政事业单位养老支出(款)\n"
                            "1、社会保障和就业支出(类)行政事业单位养老支出(款)机关事业单位职业年金缴费支出(项)。主要用于:"
                            "机关事业单位职业年金支出。全年预算为5.74万元,支出决算为4.64万元。",
                     head="上海市普陀区某某局2024年度部门决算\n")
    got = {(c, float(v)) for c, m, v in found}
    assert any(c.startswith("item.机关事业单位职业年金缴费支出") and v == 4.64 for c, v in got), got
    assert not any(c.startswith("item.行政事业单位养老支出") for c, v in got)


def test_a_change_whose_object_the_catalog_names_is_that_subject_s(files):
    found = facts_of(files, "收入、支出预算总计13649.07万元,与上年相比收、支预算总计各增加844.15万元。主要原因是政策性增资、"
                            "住房公积金和提租补贴调整等原因,增加基本支出844.15万元。")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("budget.basic", "change", 844.15) in got and ("budget.total", "change", 844.15) in got
    assert not any(c.startswith("item.") for c, m, v in got)


def test_a_three_public_table_cell_is_its_item_never_a_total(corpus):
    """普陀区规划和自然资源局's 财政拨款“三公”经费支出决算表: 2.85 is the 三公 budget (预算数 of 合计) and of 公务接待费,
    never a budget.total or a table total that a ranking of departments would pick."""
    report = extract(corpus / "shanghai-putuo" / "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf")
    cells = {(f.indicator, float(f.value)) for f in report.facts if f.table == "final.three_public"}
    assert ("budget.three_public", 2.85) in cells and ("spending.three_public", 0.39) in cells
    assert ("budget.official_reception", 2.85) in cells and ("spending.official_reception", 0.39) in cells
    assert not [c for c in cells if c[0].endswith(".total")]
    assert not [f for f in report.facts if f.indicator == "budget.total" and float(f.value) == 2.85]


def test_the_real_2016_figure_in_brackets_of_a_2017_budget_is_filed_under_2016(corpus):
    report = extract(corpus / "jiangsu-budgets" / "江苏省政协办公厅" / "江苏省政协办公厅2017年度部门预算.pdf")
    years = {(float(f.value), f.year) for f in report.facts if f.measure == "level"}
    assert (8648.07, 2016) in years and (8648.07, 2017) not in years
    assert (9146.79, 2017) in years


def test_a_completion_rate_is_the_rate_of_the_figure_its_clause_names(files):
    """'其中:因公出国(境)费决算为 0.00 万元,完成预算的 0.00%': each item's completion rate is that item's, not the
    sentence's subject (三公经费), whose own rate comes first."""
    found = facts_of(files, "“三公”经费财政拨款支出年初预算为 2.85 万元,支出决算为 0.39 万元,完成预算的 13.68%,其中:"
                            "因公出国(境)费决算为 0.00 万元,完成预算的 0.00%;公务用车购置及运行维护费支出决算为 0.00 万元,"
                            "完成预算的 0.00%;公务接待费支出决算为 0.39 万元,完成预算的 13.68%。",
                     head="上海市普陀区某某局2024年度部门决算\n")
    rates = {(c, float(v)) for c, m, v in found if c.endswith("completion_rate")}
    assert rates == {("spending.three_public.completion_rate", 13.68), ("spending.overseas_trips.completion_rate", 0),
                     ("spending.official_vehicles.completion_rate", 0),
                     ("spending.official_reception.completion_rate", 13.68)}


def test_a_chart_data_label_is_not_a_figure(files):
    """A pie chart's data labels ('项目支出, 40.01%' on a line of their own) repeat the prose: the prose's share is
    kept, the label makes no rate.项目支出 level."""
    found = facts_of(files, "本年支出预算合计 28849.38 万元,其中:\n基本支出 17123.19 万元,占 59.35%;\n"
                            "项目支出 11543.27 万元,占 40.01%;\n基本支出, 59.35%\n项目支出, 40.01%\n支出预算图\n")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("budget.project", "share", 40.01) in got and ("budget.basic", "share", 59.35) in got
    assert not [g for g in got if g[0].startswith("rate.")]
    assert sum(1 for g in got if g[2] == 40.01) == 1


def test_corpus_chart_labels_and_item_completion_rates(corpus):
    report = extract(corpus / "shanghai-putuo" / "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf")
    rates = [f for f in report.facts if f.indicator == "spending.three_public.completion_rate"]
    assert [float(f.value) for f in rates] == [13.68]
    report = extract(corpus / "jiangsu-budgets" / "江苏省高级人民法院" / "省法院2017年度部门预算公开.pdf")
    assert not [f for f in report.facts if f.indicator.startswith("rate.") and "%" in f.quote and "," in f.quote]


def test_a_flattened_table_row_that_prints_its_code_is_named_by_it(files):
    """'30211 差旅费 230.00' read as a line of text (no grid found): the row's 科目编码 names it (econ.30211), as a
    grid cell's does, never item.差旅费; a number that is no classification code names nothing."""
    found = facts_of(files, "一般公共预算基本支出预算表\n单位:万元\n科目编码 科目名称 金额\n302 商品和服务支出 600.00\n"
                            "30211 差旅费 230.00\n30206 电费 370.00\n99999 其他 1.00\n")
    got = {(c, float(v)) for c, m, v in found}
    assert {("econ.302", 600.0), ("econ.30211", 230.0), ("econ.30206", 370.0)} <= got
    assert not [c for c, v in got if c in ("item.差旅费", "item.电费", "item.商品和服务支出")]
    assert not [c for c, v in got if c.startswith("econ.999")]


def test_corpus_flattened_economic_rows_keep_their_codes(corpus):
    report = extract(corpus / "jiangsu-budgets" / "江苏省人大办公厅" / "江苏省人大办公厅2017年度预算公开.pdf")
    rows = {(f.indicator, float(f.value)) for f in report.facts if f.rule.startswith("table.cell")}
    assert ("econ.30211", 230.0) in rows and ("econ.30101", 1015.15) in rows
    assert not [i for i, _ in rows if i in ("item.差旅费", "item.基本工资", "item.电费")]


def test_a_long_class_item_label_is_kept_whole(files):
    """'党委办公厅(室)及相关机构事务(款)行政运行(项)支出' runs past 18 characters: the item keeps its first words
    (cut to its last 18 it was item.公厅(室)及相关机构事务行政运行支出, a word nobody wrote)."""
    found = facts_of(files, "(一)一般公共服务(类)\n1.党委办公厅(室)及相关机构事务(款)行政运行(项)支出8072.29万元,"
                            "与上年相比增加1965.30万元,增长32.18%。\n")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("item.党委办公厅(室)及相关机构事务行政运行支出", "level", 8072.29) in got
    assert ("item.党委办公厅(室)及相关机构事务行政运行支出", "change", 1965.3) in got


def test_a_generic_class_item_is_named_with_its_kuan(files):
    """'检察(款): … 2.一般行政管理事务(项)支出 3,666 万元': a 项 every 款 has (行政运行, 一般行政管理事务) is named with the 款
    above it under the same 类, as another year's '检察(款)一般行政管理事务(项)' names it; a 项 of its own
    (住房公积金) keeps its name, and a 款 under another 类 is not taken."""
    found = facts_of(files, "(一)公共安全支出(类)\n检察(款): 2018 年预算支出合计 14,549.36 万元。其中:\n"
                            "1.行政运行(项)支出 10,883.36 万元,与上年相比增加 2,915.22 万元。\n"
                            "2.一般行政管理事务(项)支出 3,666 万元,与上年相比增加 21.8 万元。\n"
                            "(二)住房保障支出(类)\n1.住房公积金(项)支出 1,073.77 万元。\n2.机关服务(项)支出 5 万元。\n")
    # 机关服务 has no 款 under 住房保障支出: left as it is
    assert {("item.检察行政运行支出", "level", 10883.36), ("item.检察一般行政管理事务支出", "change", 21.8),
            ("item.住房公积金支出", "level", 1073.77), ("item.机关服务支出", "level", 5)} <= {
        (c, m, float(v)) for c, m, v in found}


def test_a_generic_class_item_of_a_final_accounts_line_keeps_its_kuan(files):
    found = facts_of(files, "1、一般公共服务支出(类)财政事务(款)行政运行(项)。主要用于:局本部人员经费等的基本支出。\n"
                            "年初预算为 1560.05 万元,支出决算为 1511.89 万元。\n"
                            "2、社会保障和就业支出(类)行政事业单位养老支出(款)机关事业单位职业年金缴费支出(项)。"
                            "年初预算为 5.74 万元,支出决算为 4.64 万元。\n",
                     head="上海市普陀区某某局2024年度部门决算\n")
    got = {(c, float(v)) for c, m, v in found}
    assert ("item.财政事务行政运行.initial_budget", 1560.05) in got and ("item.财政事务行政运行.final", 1511.89) in got
    assert ("item.机关事业单位职业年金缴费支出.final", 4.64) in got


def test_general_budget_basic_spending_is_not_the_fiscal_basic_spending(files):
    """一般公共预算财政拨款基本支出 is the general budget's basic spending (财政拨款 also counts 政府性基金): the catalog
    names it spending.general_budget_basic (budget.* in a 部门预算); 财政拨款基本支出 alone stays fiscal_basic."""
    found = facts_of(files, "八、一般公共预算基本支出预算情况说明\n某某厅2019年度一般公共预算财政拨款基本支出预算9312.9万元,其中:"
                            "人员经费7670.82万元。\n")
    got = {(c, float(v)) for c, m, v in found}
    assert ("budget.general_budget_basic", 9312.9) in got and not [c for c, v in got if c.endswith("fiscal_basic")]
    found = facts_of(files, "本年财政拨款基本支出 2336.91 万元。一般公共预算财政拨款基本支出 2300.00 万元。\n",
                     head="上海市普陀区某某局2024年度部门决算\n")
    got = {(c, float(v)) for c, m, v in found}
    assert ("spending.fiscal_basic", 2336.91) in got and ("spending.general_budget_basic", 2300.0) in got


def test_a_vague_label_takes_the_scope_its_clause_opens(files):
    """'在面向中小企业预留的政府采购项目中,由中小企业供应商中标或成交的,采购金额 …;在其他政府采购项目中,…': three
    figures of one sentence under one vague label (item.采购金额) are told apart by the scope and the winner each clause
    names; a vague label with no scope before it stays as it is."""
    found = facts_of(files, "在面向中小企业预留的政府采购项目中,由中小企业供应商中标或成交的,采购金额 225.10 万元;"
                            "在面向小微企业预留政府采购项目中,由小微企业供应商中标或成交的,采购金额164.87 万元;"
                            "在其他政府采购项目中,由中小企业供应商中标或成交的,采购金额 0.50 万元。\n本年采购金额 9.00 万元。\n",
                     head="上海市普陀区某某局2024年度部门决算\n")
    got = {(c, float(v)) for c, m, v in found}
    assert {("item.面向中小企业预留政府采购项目中小企业中标采购金额", 225.1),
            ("item.面向小微企业预留政府采购项目小微企业中标采购金额", 164.87),
            ("item.其他政府采购项目中小企业中标采购金额", 0.5)} <= got
    assert sum(1 for c, v in got if c == "item.采购金额") <= 1


def test_corpus_procurement_sentences_name_each_figure_by_its_scope(corpus):
    report = extract(corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf")
    codes = {f.indicator for f in report.facts}
    assert "item.采购金额" not in codes and "item.其他政府采购项目中小企业中标采购金额" in codes


def test_a_range_of_counts_is_no_figure(files):
    """'举行委员活动日活动 1-2 次', '组织 2-3 次委员集中视察': neither end of a range is the count (1 was read as the
    level); a count beside a range keeps its own figure."""
    found = facts_of(files, "举行委员活动日活动 1-2 次,为委员学习提供平台。组织 2-3 次委员集中视察。召开全体会议 1 次。\n")
    got = {(c, float(v)) for c, m, v in found}
    assert not [g for g in got if g[1] in (2.0, 3.0)] and not [c for c, v in got if "委员活动日" in c]
    assert ("output.全体会议", 1.0) in got or any(v == 1.0 and "全体会议" in c for c, v in got)


def test_economic_classification_lines_take_their_codes(files):
    """'(4)邮电费(款)支出 70 万元' under '商品和服务支出(类)' is a line of the basic spending listed by 经济分类 款: named
    by its 部门经济分类 code (econ.30207), as the rows of the tables are, not item.邮电费支出; a 类 line is its 类
    (econ.302), a change follows its line, and a 款 name moved in 2018 takes its year's code (住房公积金 30311 in
    2017, 30113 in 2019)."""
    text = ("九、一般公共预算基本支出预算表情况说明\n本表按照政府收支分类科目的经济分类“款”级细化列示。\n"
            "(一)人员经费 1,093.52 万元\n1、工资福利支出(类)2,097.51 万元\n(1)基本工资(款)支出 737.94 万元。用于发放工资。\n"
            "2、对个人和家庭的补助支出(类)1,093.52 万元\n(1)医疗费(款)支出 20.40 万元。用于儿童医疗统筹费支出。\n"
            "(2)住房公积金(款)支出 341.75 万元,与上年相比增加 85.67 万元。\n"
            "(二)公用经费 1,131.92 万元\n商品和服务支出(类)1,131.92 万元\n(1)邮电费(款)支出 70 万元。用于邮寄费。\n"
            "(2)维修(护)费(款)支出 100 万元。\n(3)会议费(款)支出 66.72 万元。\n")
    got = {(c, m, float(v)) for c, m, v in facts_of(files, text, head="江苏省某某厅2017年度部门预算\n")}
    assert {("econ.301", "level", 2097.51), ("econ.30101", "level", 737.94), ("econ.303", "level", 1093.52),
            ("econ.30307", "level", 20.4), ("econ.30311", "level", 341.75), ("econ.30311", "change", 85.67),
            ("econ.302", "level", 1131.92), ("econ.30207", "level", 70.0), ("econ.30213", "level", 100.0),
            ("econ.30215", "level", 66.72)} <= got
    assert not [c for c, _, _ in got if c.startswith("item.")]
    got19 = {(c, float(v)) for c, m, v in facts_of(files, text, head="江苏省某某厅2019年度部门预算\n")}
    assert ("econ.30113", 341.75) in got19 and ("econ.30307", 20.4) not in got19


def test_a_kuan_line_under_a_function_class_is_no_economic_line(files):
    """'(三)住房保障支出(类) / 住房改革支出(款): …' is the 功能分类; '住房公积金(项)' is a 项: neither is an econ code."""
    found = facts_of(files, "(三)住房保障支出(类)\n住房改革支出(款): 2018 年预算支出合计 3,660.38 万元。其中:\n"
                            "1.住房公积金(项)支出 1,073.77 万元。\n(四)其他支出(类)50 万元\n")
    assert not [c for c, _, _ in found if c.startswith("econ.")]


def test_corpus_economic_classification_lines_take_their_codes(corpus):
    report = extract(corpus / "jiangsu-budgets" / "江苏省政协办公厅" / "江苏省政协办公厅2017年度部门预算.pdf")
    prose = {(f.indicator, float(f.value)) for f in report.facts if not f.table}
    assert {("econ.30207", 70.0), ("econ.302", 1131.92), ("econ.30215", 66.72), ("econ.30312", 751.77),
            ("econ.31002", 95.0)} <= prose
    assert not [i for i, _ in prose if i in ("item.邮电费支出", "item.商品和服务支出", "item.会议费(款)")]


def test_an_amount_after_a_count_of_projects_is_those_projects_amount(files):
    """'编报绩效目标的…项目 4 个,涉及预算金额 598.42 万元;绩效跟踪评价的…项目 3 个,涉及预算金额 175.52 万元;绩效自评的
    …项目 2 个,涉及预算金额 100.00 万元': each amount belongs to its own count's projects; only the self-evaluated ones'
    is performance.projects_amount. '共5个项目实行绩效目标管理,涉及财政性资金合计5,086万元' keeps 合计 whole."""
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "全过程绩效管理实施情况:编报绩效目标的 2024 年度项目 4 个,涉及预算金额 598.42 万元;绩效跟踪评价的 2024 年度"
               "项目 3 个,涉及预算金额 175.52 万元;绩效自评的 2024 年度项目 2 个,涉及预算金额 100.00 万元。\n",
        head="上海市普陀区某某局2024年度部门决算\n")}
    assert {("item.编报绩效目标的年度项目金额", 598.42), ("item.绩效跟踪评价的年度项目金额", 175.52),
            ("performance.projects_amount", 100.0)} <= got
    assert ("performance.projects_amount", 598.42) not in got and ("performance.projects_amount", 175.52) not in got
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "2018年本部门共5个项目实行绩效目标管理,涉及财政性资金合计5,086万元。\n2019年本部门实行整体支出绩效目标管理,"
               "涉及财政性资金合计 37188.34 万元。\n")}
    assert ("item.项目实行绩效目标管理金额", 5086.0) in got and ("item.涉及财政性资金合计", 37188.34) in got
    assert not [c for c, _ in got if c.endswith("资金合")]


def test_the_parts_of_a_staff_change_are_movements_not_the_staff(files):
    """'年末实有人数49人,比上年末47人增加2人(其中:新入职在编3人、调入3人、退休4人)': 退休4人 is a movement of the
    year, not the retired staff (staff.retired is 退休人员150人)."""
    found = facts_of(files, "截至2023年12月31日,年末实有人数 49人,比上2022年末47人增加2人 (其中:新入职在编3人、调入3人、"
                            "退休4人)。2023年末退休人员150人。\n", head="北京市某区某某中心2023年度部门决算\n")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("staff.退休", "level", 4.0) in got and ("staff.retired", "level", 150.0) in got
    assert ("staff.retired", "level", 4.0) not in got


def test_labels_keep_their_lists_and_name_what_is_counted(files):
    """A list ending in 等 is one label ('公诉、审判、侦查、执行等检察监督支出(项)'), titles sharing their head are one
    ('主任、副主任联席会议'), a partner and its verb are no label ('与新华日报社联办12期法制专刊' counts 法制专刊),
    含 opens no label ('(含专题议政性常委会议 2 次)'), and a range in Chinese numerals is no figure (一到二次)."""
    found = facts_of(files, "3.公诉、审判、侦查、执行等检察监督支出(项) 1,895万元,与上年相比减少 134 万元。\n"
                            "召开各专委会主任、副主任联席会议 1 次。与新华日报社联办12期法制专刊。常委会议 5 次(含专题议政性"
                            "常委会议 3 次)。组织召开 4 次住苏全国政协委员座谈会。并根据需要进行一到二次法规清理。\n")
    got = {(c, m, float(v)) for c, m, v in found}
    assert {("item.公诉、审判、侦查、执行等检察监督支出", "level", 1895.0),
            ("item.公诉、审判、侦查、执行等检察监督支出", "change", -134.0),
            ("output.主任、副主任联席会议", "level", 1.0), ("output.法制专刊", "level", 12.0),
            ("output.专题议政性常委会议", "level", 3.0), ("output.住苏全国政协委员座谈会", "level", 4.0)} <= got
    assert not [v for c, m, v in got if v == 2.0]


def test_a_line_of_counts_with_measure_words_is_prose_not_a_table_row(files):
    """'(九)加强…工作。举办 11 期人大干部培训班;…与新华日报社联办 12 期法制专刊。': a number with its measure word (期, 批,
    次) is prose; the heading above is no column header (not output.与新华日报社联办·(九)加强…)."""
    found = facts_of(files, "(九)加强人大干部培训和法制宣传工作\n举办 11 期人大干部培训班;举办 6 期法律知识讲座;"
                            "与新华日报社联办 12 期法制专刊。\n")
    got = {(c, float(v)) for c, m, v in found}
    assert {("output.人大干部培训班", 11.0), ("output.法律知识讲座", 6.0), ("output.法制专刊", 12.0)} <= got
    assert not [c for c, _ in got if "·" in c]


def test_the_department_naming_itself_is_no_part_of_a_count_label(files):
    """'我单位编制人数 56 人' is the unit's quota (staff.quota), not staff.我单位编制人数."""
    got = {(c, float(v)) for c, m, v in facts_of(files, "截至 2023年12月31日,我单位编制人数 56 人, 年末实有人数 49人。\n",
                                                 head="北京市某区某某中心2023年度部门决算\n")}
    assert ("staff.quota", 56.0) in got and ("staff.actual", 49.0) in got


def test_a_projects_own_money_is_not_the_departments(files):
    """A project's self-evaluation: '主管部门 219-池州市…' is a code joined to a name, no figure; '本项目共申请预算资金90万元'
    is the project's money, not revenue or a budget total; '30万元用于基建工程项目预算编制' is money for that purpose
    (item.基建工程项目预算编制), not budget.total because the purpose says 预算."""
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "项目名称 委托业务项目 主管部门 219-池州市贵池区棠溪镇人民政府 实施单位 219001-池州市贵池区棠溪镇人民政府\n"
               "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计。\n",
        head="池州市贵池区棠溪镇人民政府2022年度项目支出绩效自评报告\n实际完成情况 ")}
    assert [c for c, v in got if v == 90.0 and c.startswith("item.本项目")] and ("item.基建工程项目预算编制", 30.0) in got
    assert not [c for c, v in got if v in (219.0, 219001.0)]
    assert not [c for c, v in got if c.startswith(("budget.", "revenue."))]


def test_corpus_a_projects_self_evaluation(corpus):
    report = extract(corpus / "web-excerpts" / "048.txt")
    named = {(f.indicator, float(f.value)) for f in report.facts}
    assert ("item.本项目共申请预算资金", 90.0) in named and ("item.基建工程项目预算编制", 30.0) in named
    assert not [i for i, v in named if v == 219.0] and ("budget.total", 30.0) not in named


def test_equipment_above_a_unit_price_is_an_asset_count_never_vehicles(files):
    """'单价20万元(含)以上的设备69台(套)' is assets.equipment.单价20万元以上 (not output.设备), and '单价100万元(含)以上设备
    (不含车辆)2台(套)' is equipment too: the vehicles its bracket excludes are not what it counts."""
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "本部门共有车辆54辆,其中,一般公务用车54辆。单价20万元(含)以上的设备69台(套)。\n"
               "单价 100 万元(含)以上设备(不含车辆)2 台(套)。\n")}
    assert {("assets.vehicles", 54.0), ("assets.equipment.单价20万元以上", 69.0),
            ("assets.equipment.单价100万元以上", 2.0)} <= got
    assert ("assets.vehicles", 2.0) not in got and not [c for c, _ in got if c.startswith("output.")]


def test_a_count_is_named_by_the_head_of_the_noun_after_it(files):
    """'确定 30 个左右发展所需、群众所想、政协所能的课题': the modifiers (发展所需 …) are not what is counted; 课题 is."""
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "各专门委员会围绕常委会议、主席会议议题,确定 30 个左右发展所需、群众所想、政协所能的课题,组织开展调研视察。\n")}
    assert ("output.课题", 30.0) in got and ("output.发展所需", 30.0) not in got


def test_a_budgets_government_fund_spending_is_a_budget(files):
    """'2019年政府性基金支出预算支出 0 万元' in a 部门预算 is budget.gov_fund, not spending.gov_fund."""
    found = facts_of(files, "本年支出预算合计 100 万元。\n十、政府性基金预算支出预算情况说明\n江苏省某厅2019年政府性基金支出预算支出0万元,与上年预算数一致。\n")
    assert ("budget.gov_fund", "level", 0) in {(c, m, v) for c, m, v in found}
    assert not [c for c, _, _ in found if c.startswith("spending.")]


def test_a_count_of_vehicles_is_never_staff_and_keeps_a_wrapped_unit(files):
    """'离退休干部用车 0 / 辆' is a kind of vehicle (assets.vehicles.离退休干部用车), not retired staff: a count in 辆 is
    no count of people, and a unit the line break put on the next line still belongs to its number. '离退休干部处…
    等21个内设机构' counts internal units, not retired staff."""
    report = extract(files("r.txt", "上海市普陀区示例局2024年度部门决算\n本年支出合计 100 万元。\n共有车辆 0 辆,其中:执法执勤用车 0 辆、"
                                    "特种专业技术用车 0 辆、离退休干部用车 0\n辆、其他用车 0 辆。\n内设办公室、离退休干部处、机关党委等21个内设机构。\n"))
    named = {(f.indicator, f.unit, float(f.value)) for f in report.facts}
    assert ("assets.vehicles.离退休干部用车", "辆", 0.0) in named
    assert ("org.internal_units", "个", 21.0) in named
    assert not [i for i, u, v in named if i.startswith("staff.")]


def test_a_blank_level_still_names_the_change_after_it(files):
    """'培训费预算支出 30 万元。… 政府性基金支出预算支出万元。与上年相比增加(减少)0万元': the template left the level blank;
    the change after it is the government fund's (budget.gov_fund), not the training budget named before."""
    found = facts_of(files, "本部门2019年度一般公共预算拨款安排的培训费预算支出30万元,比上年预算减少40.37万元。\n十、政府性基金预算支出"
                            "预算情况说明\n本部门2019年政府性基金支出预算支出万元。与上年相比增加(减少)0万元,增长(减少)0%。\n")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("budget.gov_fund", "change", 0.0) in got and ("budget.training", "change", 0.0) not in got
    assert ("budget.training", "change", -40.37) in got


def test_a_title_in_book_quotes_names_no_figure(files):
    """'三是《财政拨款支出预算表(功能科目)》增加了“事业运行”项级科目分流315万元': the table's title names no figure (not
    budget.fiscal); the words after it do, the quoted subject kept so two such figures are told apart. A reason's
    ordinal lead (主要原因一是) is no part of a label."""
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "主要原因一是省纪委监委自省检察院本级划转240万元办案费;二是《财政拨款支出预算表(功能科目)》增加了“其他检察支出”"
               "项级科目分流469.5万元;三是《财政拨款支出预算表(功能科目)》增加了“事业运行”项级科目分流315万元。\n")}
    assert {("item.事业运行项级科目分流", 315.0), ("item.其他检察支出项级科目分流", 469.5),
            ("item.省纪委监委自省检察院本级划转", 240.0)} <= got
    assert not [c for c, _ in got if c.startswith("budget.")]


def test_a_count_after_a_verb_is_named_with_its_object(files):
    """'拟制定和修改12件法规,继续审议5件法规,预备制定和修改13件法规': three counts of 法规 told apart by their verbs,
    each with its object (output.拟制定和修改法规 …); '听取和审议 5 次关于计划、预算决算和审计工作报告' takes the whole
    list after 关于."""
    got = {(c, float(v)) for c, m, v in facts_of(
        files, "拟制定和修改12件法规,继续审议5件法规,预备制定和修改13件法规。\n听取和审议 5 次关于计划、预算决算和审计工作报告,"
               "结合审议开展专题询问。\n")}
    assert {("output.拟制定和修改法规", 12.0), ("output.继续审议法规", 5.0), ("output.预备制定和修改法规", 13.0),
            ("output.听取和审议计划、预算决算和审计工作报告", 5.0)} <= got


def test_a_prose_number_named_as_money_without_any_unit_is_no_figure(files):
    """'2 上海市…财政所 预算不单列,并入本级3 上海市…中心': the 3 is the next row's 序号; '…其他收入3.' at the end of an
    excerpt is a figure cut off. Neither has a unit: no money figure is read from them."""
    report = extract(files("r.txt", "上海市普陀区示例局2024年度部门决算\n本年收入合计 100 万元。\n序号 单位名称 备注\n1 上海市普陀区示例局(本级)\n"
                                    "2 上海市普陀区示例局财政所 预算不单列,并入本级3 上海市普陀区示例中心 预算不单列,并入本级\n"
                                    "其中:事业收入90万元,其他收入3."))
    assert not [f for f in report.facts if f.value == 3]
    assert [f for f in report.facts if f.value == 90 and f.unit == "万元"]


def test_a_subject_framed_by_a_preposition_names_its_change(files):
    """'会议费预算支出 1305.25 万元,本年数小于上年预算数 403.75 万元,原因是从会议费预算中调减 403.75 万元用于培训费开支':
    the cut is the 会议费 budget's (budget.meetings), not item.从会议费预算中."""
    found = facts_of(files, "本部门2017年度一般公共预算拨款安排的会议费预算支出 1305.25 万元,本年数小于上年预算数 403.75 万元,"
                            "原因是从会议费预算中调减 403.75 万元用于培训费开支。\n", head="江苏省示例厅2017年度部门预算\n")
    got = {(c, m, float(v)) for c, m, v in found}
    assert ("budget.meetings", "change", -403.75) in got and not [c for c, _, _ in got if "从" in c]
