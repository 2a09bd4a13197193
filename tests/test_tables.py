"""Tables in reports: a cell is named by its row, its column header, or both."""

from decimal import Decimal

from yearwise.ingest import extract


def write_html(tmp_path, rows, lead="<p>示例县教育局2022年度部门整体支出绩效自评表</p>", name="自评表.html"):
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    html = ("<html><body><div class='nav'>首页 > 信息公开</div><div class='content'>"
            f"{lead}<p>单位：万元</p><table>{cells}</table></div></body></html>")
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_total_row_cells_take_their_column_names(tmp_path):
    path = write_html(tmp_path, [
        ["项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "238.93", "251.89", "251.80", "10", "99.96%", "9.9"],
        ["其中：财政资金", "238.93", "251.89", "251.80", "", "99.96%", ""],
    ])
    report = extract(path)
    assert report.department == "示例县教育局" and report.year == 2022
    found = {(f.indicator, f.value, f.unit) for f in report.facts}
    assert ("budget.initial.total", Decimal("238.93"), "万元") in found
    assert ("budget.total", Decimal("251.89"), "万元") in found
    assert ("spending.total", Decimal("251.80"), "万元") in found
    assert ("budget.execution_rate", Decimal("99.96"), "%") in found
    # a sub-row keeps its own name beside the column's, and never poses as the total
    assert ("item.财政资金·全年预算数", Decimal("251.89"), "万元") in found
    assert sum(1 for f in report.facts if f.indicator == "budget.total") == 1
    # score columns count points, not money
    assert any(f.value == Decimal("9.9") and f.unit == "分" for f in report.facts)


def test_row_labels_name_catalog_items_and_codes_are_skipped(tmp_path):
    path = write_html(tmp_path, [
        ["科目编码", "科目名称", "金额"],
        ["201", "一般公共服务支出", "2,106.66"],
        ["", "本年收入合计", "2,946.25"],
    ])
    found = {(f.indicator, f.value) for f in extract(path).facts}
    assert ("revenue.total", Decimal("2946.25")) in found
    assert not any(v == Decimal("201") for _, v in found)


def test_html_spans_occupy_their_grid_positions(tmp_path):
    """rowspan/colspan: a header cell spanning rows leaves its columns to the next row's cells, a parent spanning
    columns stands over each child (其中/基本支出), a body label spanning the code column is one label."""
    html = ("<html><body><div class='content'><p>示例区教育局2024年度部门决算</p>"
            "<p>一般公共预算财政拨款支出决算表</p><p>单位：万元</p><table>"
            "<tr><th rowspan='2'>科目编码</th><th rowspan='2'>科目名称</th><th rowspan='2'>合计</th><th colspan='2'>其中</th></tr>"
            "<tr><th>基本支出</th><th>项目支出</th></tr>"
            "<tr><td colspan='2'>合计</td><td>1,520.26</td><td>1,511.89</td><td>8.37</td></tr>"
            "<tr><td>201</td><td>一般公共服务支出</td><td>1,520.26</td><td>1,511.89</td><td>8.37</td></tr>"
            "<tr><td>2010601</td><td>行政运行</td><td>1,511.89</td><td>1,503.52</td><td>8.37</td></tr>"
            "<tr><td>2010650</td><td>事业运行</td><td>8.37</td><td>8.37</td><td></td></tr>"
            "</table><p>财政拨款“三公”经费支出决算表</p><p>单位：万元</p><table>"
            "<tr><th colspan='4'>财政拨款“三公”经费</th></tr>"
            "<tr><th colspan='2'>合计</th><th colspan='2'>因公出国（境）费</th></tr>"
            "<tr><th>预算数</th><th>决算数</th><th>预算数</th><th>决算数</th></tr>"
            "<tr><td>2.85</td><td>0.39</td><td>1.00</td><td>0.00</td></tr></table></div></body></html>")
    path = tmp_path / "决算.html"
    path.write_text(html, encoding="utf-8")
    report = extract(path)
    spending, three = report.document.tables
    assert spending.columns == ("科目编码", "科目名称", "合计", "其中/基本支出", "其中/项目支出")
    cells = {(f.table, f.row_code or f.row_label or "", f.column): f.value for f in report.facts if f.table}
    assert cells[("final.general_budget", "2010601", "基本支出")] == Decimal("1503.52")
    assert cells[("final.general_budget", "2010601", "项目支出")] == Decimal("8.37")
    assert cells[("final.general_budget", "2010650", "合计")] == Decimal("8.37")
    assert cells[("final.general_budget", "合计", "基本支出")] == Decimal("1511.89")
    assert ("final.general_budget", "2010650", "项目支出") not in cells
    assert three.columns[1] == "合计/决算数" and three.columns[2] == "因公出国(境)费/预算数"
    assert cells[("final.three_public", "", "合计/决算数")] == Decimal("0.39")
    assert cells[("final.three_public", "", "因公出国(境)费/预算数")] == Decimal("1.00")


def test_txt_table_in_aligned_columns(tmp_path):
    """A TXT table drawn with spaces: figures right-aligned under their headers, words left-aligned, a blank
    cell left blank; read into the same table model as a PDF's (code, label, column keys, values)."""
    rows = [
        "示例县财政局2023年度部门决算",
        "支出决算表",
        "单位：万元",
        "科目编码   科目名称                合计      基本支出    项目支出",
        "           合计                  2,106.66    1,650.00      456.66",
        "201        一般公共服务支出      2,106.66    1,650.00      456.66",
        "20106      财政事务              2,106.66    1,650.00      456.66",
        "2010601    行政运行              1,650.00    1,650.00",
        "2010602    一般行政管理事务        456.66                  456.66",
        "",
        "以上数据为决算数。",
    ]
    path = tmp_path / "决算.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = extract(path)
    (table,) = report.document.tables
    assert table.title == "支出决算表" and table.unit == "万元"
    cells = {(f.row_code or f.row_label or "", f.column): f for f in report.facts if f.table}
    assert {k: f.value for k, f in cells.items() if k[0] == "2010601"} == {
        ("2010601", "合计"): Decimal("1650.00"), ("2010601", "基本支出"): Decimal("1650.00")}
    assert cells[("2010602", "项目支出")].value == Decimal("456.66") and ("2010602", "基本支出") not in cells
    assert cells[("2010602", "合计")].row_label == "一般行政管理事务"
    assert cells[("20106", "基本支出")].indicator == "func.20106" and cells[("20106", "基本支出")].table == "final.expenditure"
    total = cells[("合计", "基本支出")]
    assert total.indicator == "spending.basic" and report.document.text[total.start:total.end] == "1,650.00"


def test_self_evaluation_cells_carry_table_row_and_column(tmp_path):
    """A 绩效自评表 (指标, 年度指标值, 实际完成值, 分值, 得分) in HTML: its figures keep the names the walk gives
    them and carry the table, row and column of their cell like the cells of other tables."""
    path = write_html(tmp_path, [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "培训人次", "1200", "1350", "10", "9.5"],
        ["效益指标", "满意度指标", "服务对象满意度", "90%", "96.5%", "10", "10"],
    ])
    facts = extract(path).facts
    cells = {(f.row_label, f.column): f for f in facts if f.table}
    assert cells, [(f.indicator, f.value) for f in facts]
    assert all(f.table == "evaluation.self" for f in cells.values())
    score = cells[("培训人次", "得分")]
    assert score.value == Decimal("9.5") and score.unit == "分"
    assert cells[("服务对象满意度", "实际完成值")].value == Decimal("96.5")
    assert ("培训人次", "年度指标值") in cells and ("培训人次", "分值") in cells


def test_codes_in_class_item_columns_take_their_parents():
    """科目编码 printed over 类 / 款 / 项 columns, each row printing only its own level (06 under 款, 01 under 项):
    the row's code is its parents' code and its own part (2010601); a row printing all three joins them."""
    from yearwise.ingest.table import Grid, GridCell, build_table

    rows = [["科目编码", "", "", "科目名称", "金额"], ["类", "款", "项", "", ""],
            ["201", "", "", "一般公共服务支出", "100.00"], ["", "06", "", "财政事务", "100.00"],
            ["", "", "01", "行政运行", "60.00"], ["", "", "02", "一般行政管理事务", "40.00"],
            ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "8.00"]]
    cells = [GridCell("科目编码", 0, 0, 1, 3), GridCell("科目名称", 0, 3, 2, 4), GridCell("金额", 0, 4, 2, 5)]
    cells += [GridCell(t, r, c, r + 1, c + 1) for r, row in enumerate(rows) if r >= 1 for c, t in enumerate(row)
              if t and not (r == 1 and c >= 3)]
    table = build_table(Grid(tuple(cells), len(rows), 5, ("支出决算表", "单位：万元")))
    assert [(row.code, row.label) for row in table.rows] == [
        ("201", "一般公共服务支出"), ("20106", "财政事务"), ("2010601", "行政运行"), ("2010602", "一般行政管理事务"),
        ("2080505", "机关事业单位基本养老保险缴费支出")]


def test_national_template_line_numbers_and_measures_over_items(tmp_path):
    """The national 部门决算 template: a 行次 column of line numbers beside each side's amounts (no figures), and a
    三公 table printing 预算数 / 决算数 over the items where Shanghai prints them under: the same keys."""
    html = ("<html><body><div class='content'><p>示例市教育局2023年度部门决算</p><p>收入支出决算总表</p>"
            "<p>单位：万元</p><table>"
            "<tr><th colspan='3'>收入</th><th colspan='3'>支出</th></tr>"
            "<tr><th>项目</th><th>行次</th><th>金额</th><th>项目</th><th>行次</th><th>金额</th></tr>"
            "<tr><td>栏次</td><td></td><td>1</td><td>栏次</td><td></td><td>2</td></tr>"
            "<tr><td>一、财政拨款收入</td><td>1</td><td>1,200.50</td><td>一、一般公共服务支出</td><td>32</td><td>300.25</td></tr>"
            "<tr><td>二、事业收入</td><td>2</td><td>99.50</td><td>二、教育支出</td><td>33</td><td>999.75</td></tr>"
            "</table><p>财政拨款“三公”经费支出决算表</p><p>单位：万元</p><table>"
            "<tr><th colspan='2'>预算数</th><th colspan='2'>决算数</th></tr>"
            "<tr><th>合计</th><th>因公出国（境）费</th><th>合计</th><th>因公出国（境）费</th></tr>"
            "<tr><td>2.85</td><td>1.50</td><td>0.39</td><td>0.00</td></tr></table></div></body></html>")
    path = tmp_path / "决算.html"
    path.write_text(html, encoding="utf-8")
    facts = [f for f in extract(path).facts if f.table]
    summary = {(f.row_label, f.column): f.value for f in facts if f.table == "final.summary"}
    assert summary[("一、财政拨款收入", "收入")] == Decimal("1200.50")
    assert summary[("二、教育支出", "支出")] == Decimal("999.75")
    assert not any(f.value in (Decimal(1), Decimal(2), Decimal(32), Decimal(33)) for f in facts)
    assert not any("行次" in f.column for f in facts)
    three = {f.column: f.value for f in facts if f.table == "final.three_public"}
    assert three == {"合计/预算数": Decimal("2.85"), "因公出国(境)费/预算数": Decimal("1.50"),
                     "合计/决算数": Decimal("0.39"), "因公出国(境)费/决算数": Decimal("0.00")}


def test_procurement_table_names_what_is_bought_not_the_economic_subject(tmp_path):
    """A 政府采购预算表 prints a 专项 line (专项名称 | 经济科目 | amount) above the items bought under it (采购物品名称 |
    采购组织形式 | amount): the 专项 line is withheld (named by its 经济科目 it would pass for the spending item 会议费);
    the items keep their names; 一、货物 A / 三、服务 C are the procurement's goods and services."""
    path = write_html(tmp_path, [
        ["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"],
        ["合计", "", "", "", "", "60.00"],
        ["一、货物A", "", "", "", "", "10.00"],
        ["", "办公设备购置费", "办公设备购置", "", "", "10.00"],
        ["", "", "", "台式计算机（20万以下）", "分散自行组织", "10.00"],
        ["三、服务C", "", "", "", "", "50.00"],
        ["", "示例会议专项", "会议费", "", "", "50.00"],
        ["", "", "", "会议服务", "分散自行组织", "50.00"],
    ], lead="<p>示例县教育局2022年度部门预算</p><p>一、收支预算总体情况说明</p><p>示例县教育局2022年度收入、支出预算总计60万元。</p>"
             "<p>2022年政府采购预算表</p>", name="采购.html")
    found = {(f.indicator, f.value) for f in extract(path).facts if f.table == "budget.procurement"}
    assert found == {("procurement.total", Decimal("60.00")), ("procurement.goods", Decimal("10.00")),
                     ("procurement.services", Decimal("50.00")), ("item.台式计算机(20万以下)", Decimal("10.00")),
                     ("item.会议服务", Decimal("50.00"))}


def test_a_budget_table_total_is_the_fund_figure_its_title_names(tmp_path):
    """The 合计 of a 财政拨款基本支出预算表 is budget.fiscal_basic, of an 一般公共预算基本支出预算表
    budget.general_budget_basic, of a 财政拨款支出预算表 budget.fiscal: the catalog's codes, where prose states the same
    figures, never a made-up <table>.total."""
    lead = ("<p>示例县教育局2022年度部门预算</p><p>一、收支预算总体情况说明</p>"
            "<p>示例县教育局2022年度收入、支出预算总计100万元。</p>")
    rows = [["科目编码", "科目名称", "金额"], ["", "合计", "80.00"], ["301", "工资福利支出", "80.00"]]
    for title, code in (("财政拨款基本支出预算表", "budget.fiscal_basic"),
                        ("一般公共预算基本支出预算表", "budget.general_budget_basic")):
        path = write_html(tmp_path, rows, lead=lead + f"<p>{title}</p>", name=f"{title}.html")
        found = {(f.indicator, f.value) for f in extract(path).facts if f.table}
        assert (code, Decimal("80.00")) in found and not [i for i, _ in found if i.endswith(".total")], found
    path = write_html(tmp_path, [["科目编码", "科目名称", "金额"], ["", "合计", "100.00"], ["201", "一般公共服务支出", "100.00"]],
                      lead=lead + "<p>财政拨款支出预算表</p>", name="财政拨款支出.html")
    found = {(f.indicator, f.value) for f in extract(path).facts if f.table}
    assert ("budget.fiscal", Decimal("100.00")) in found and ("func.201", Decimal("100.00")) in found


def test_an_amount_column_headed_with_the_tables_subject_is_its_total(tmp_path):
    """一般公共预算基本支出预算表 whose one amount column is headed 基本支出 (not 金额): its 合计 is the table's total,
    budget.general_budget_basic, as under 金额, never item.基本支出."""
    lead = "<p>示例县教育局2022年度部门预算</p><p>一般公共预算基本支出预算表</p>"
    rows = [["科目编码", "科目名称", "基本支出"], ["", "合计", "80.00"], ["301", "工资福利支出", "80.00"]]
    found = {(f.indicator, f.value) for f in extract(write_html(tmp_path, rows, lead=lead)).facts if f.table}
    assert ("budget.general_budget_basic", Decimal("80.00")) in found and "item.基本支出" not in {i for i, _ in found}


def test_a_code_the_reader_put_on_a_row_of_its_own_names_the_row_below():
    """'2040499' on a row of its own above '其他检察支出 469.50': the code is that row's (func.2040499); a code row
    that no labelled row follows stays as it was, and a number that is no classification code is no code."""
    from yearwise.ingest.table import Entry, Row, Table
    from yearwise.ingest.table_facts import codes_above_their_rows

    def row(label, text, code=""):
        return Row(code, label, (Entry("金额", text),), 1)

    table = Table("财政拨款支出预算表", "万元", (1,), ("金额",), (
        row("合计", "784.50"), row("", "2040499"), row("其他检察支出", "469.50"), row("", "99999"), row("其他", "15.00"),
        row("", "30205"), row("水费", "300.00", code="30205"), row("", "208")))
    got = [(r.code, r.label, r.entries[0].text) for r in codes_above_their_rows(table).rows]
    assert got == [("", "合计", "784.50"), ("2040499", "其他检察支出", "469.50"), ("", "", "99999"), ("", "其他", "15.00"),
                   ("", "", "30205"), ("30205", "水费", "300.00"), ("", "", "208")]
    # the code as the row's own code, with no cells: the same
    table = Table("机关运行经费支出预算表", "万元", (1,), ("金额",), (Row("30201", "", (), 1), row("办公费", "158.00")))
    assert [(r.code, r.label) for r in codes_above_their_rows(table).rows] == [("30201", "办公费")]


def test_corpus_codes_on_rows_of_their_own_name_their_rows(corpus):
    report = extract(corpus / "jiangsu-budgets" / "江苏省人民检察院" / "2019年度部门预算公开.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "budget.fiscal_expenditure"}
    assert ("func.2040499", Decimal("469.50")) in cells and ("func.2040450", Decimal("315.00")) in cells
    assert not [i for i, _ in cells if i in ("item.其他检察支出", "item.事业运行", "item.行政运行")]
    report = extract(corpus / "jiangsu-budgets" / "江苏省人大办公厅" / "江苏省人大办公厅2017年度预算公开.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "budget.office_operation"}
    assert ("econ.30208", Decimal("80.00")) in cells and ("econ.30205", Decimal("50.00")) in cells


def test_fund_rows_of_budget_tables_are_named_by_the_catalog_once(tmp_path):
    """收入预算表: 一般公共预算资金 is the general-budget income (revenue.general_budget); printed again under 上年结转
    it is a part of the carry-over, so the table's names are for its first printing only (item.…)."""
    lead = ("<p>示例县教育局2022年度部门预算</p><p>一、收支预算总体情况说明</p>"
            "<p>示例县教育局2022年度收入、支出预算总计105万元。</p><p>收入预算表</p>")
    path = write_html(tmp_path, [["项目名称", "金额"], ["收入总计", "105.00"], ["一般公共预算资金", "80.00"],
                                 ["其他资金", "20.00"], ["上年结转", "5.00"], ["一般公共预算资金", "5.00"]],
                      lead=lead, name="收入预算表.html")
    found = {(f.indicator, f.value) for f in extract(path).facts if f.table}
    assert ("revenue.general_budget", Decimal("80.00")) in found
    assert ("revenue.general_budget", Decimal("5.00")) not in found and ("item.一般公共预算资金", Decimal("5.00")) in found


def test_corpus_fund_tables_name_their_parts_by_the_fund(corpus):
    """The 合计 row's 基本支出 / 项目支出 of a 一般公共预算财政拨款支出决算表 are the general budget's; the 支出 side's
    基本支出 / 项目支出 of a 财政拨款收支预算总表 the 财政拨款's; 1.一般公共预算 of a 收支预算总表 the general-budget income."""
    report = extract(corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "final.general_budget"}
    assert ("spending.general_budget_basic", Decimal("2336.91")) in cells
    assert ("spending.general_budget_project", Decimal("603.14")) in cells
    report = extract(corpus / "jiangsu-budgets" / "江苏省高级人民法院" / "江苏省高级人民法院2019年度部门预算公开.pdf")
    cells = {(f.table, f.indicator, f.value) for f in report.facts if f.table}
    assert ("budget.fiscal_summary", "budget.fiscal_basic", Decimal("21968.00")) in cells
    assert ("budget.fiscal_summary", "budget.fiscal_project", Decimal("10208.94")) in cells
    assert ("budget.summary", "revenue.general_budget", Decimal("37188.34")) in cells
    assert not [c for c in cells if c[0] == "budget.fiscal_summary" and c[1] in ("item.基本支出", "item.项目支出")]
    assert not [c for c in cells if c[0] == "budget.summary" and c[1] == "item.一般公共预算"]


def test_a_label_cut_at_a_wrap_takes_its_tail_from_the_text():
    """'三、单位预留机动经 / 费 / 3,258.06': the reader kept the label's first line; the text's next line ends it.
    A 小计 on the next line is a row of its own, never a tail."""
    from yearwise.ingest.table import Row
    from yearwise.ingest.table_facts import _with_its_wrapped_tail

    text = "二、项目支出 11,343.27\n三、单位预留机动经\n费\n3,258.06\n一般公共预算资金\n小计\n37,188.34\n"
    at = text.index("3,258.06")
    assert _with_its_wrapped_tail(Row("", "三、单位预留机动经", ()), text, (at, at + 8)).label == "三、单位预留机动经费"
    at = text.index("37,188.34")
    assert _with_its_wrapped_tail(Row("", "一般公共预算资金", ()), text, (at, at + 9)).label == "一般公共预算资金"


def test_corpus_fund_income_rows_and_wrapped_labels(corpus):
    report = extract(corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf")
    fiscal = {(f.indicator, f.value) for f in report.facts if f.table == "final.fiscal_summary"}
    assert ("revenue.general_budget", Decimal("2940.05")) in fiscal
    assert ("revenue.general_budget", Decimal("21.63")) not in fiscal  # the carry-over's general-budget part
    summary = {(f.indicator, f.value) for f in report.facts if f.table == "final.summary"}
    assert ("accounts.expenditure_total", Decimal("2995.39")) in summary  # 总计 under the 支出 side's 决算数
    assert not [i for i, _ in summary if i.endswith(".total") and i.startswith("final.")]
    report = extract(corpus / "jiangsu-budgets" / "江苏省高级人民法院" / "省法院2018年度部门预算公开.pdf")
    summary = {(f.indicator, f.value) for f in report.facts if f.table == "budget.summary"}
    assert ("item.单位预留机动经费", Decimal("3258.06")) in summary and ("revenue.general_budget", Decimal("33172.15")) in summary


# Titles of the standard tables as the national templates print them (财政部 部门决算 公开01-09表 since 2017, 部门预算
# 公开表 since 2019) and as regions word them (上海 一般公共预算支出功能分类预算表): the table each one is.
TEMPLATE_TITLES = {
    "收入支出决算总表": "final.summary", "收入决算表": "final.income", "支出决算表": "final.expenditure",
    "财政拨款收入支出决算总表": "final.fiscal_summary", "一般公共预算财政拨款支出决算表": "final.general_budget",
    "一般公共预算财政拨款基本支出决算表": "final.general_budget_basic",
    "一般公共预算财政拨款“三公”经费支出决算表": "final.three_public",
    "政府性基金预算财政拨款收入支出决算表": "final.gov_fund", "国有资本经营预算财政拨款支出决算表": "final.state_capital",
    "收支总表": "budget.summary", "收入总表": "budget.income", "支出总表": "budget.expenditure",
    "财政拨款收支总表": "budget.fiscal_summary", "一般公共预算支出表": "budget.general_budget",
    "一般公共预算基本支出表": "budget.general_budget_basic", "一般公共预算“三公”经费支出表": "budget.three_public",
    "政府性基金预算支出表": "budget.gov_fund", "国有资本经营预算支出表": "budget.state_capital",
    "一般公共预算支出功能分类预算表": "budget.general_budget",
    # a 机关运行经费 table is not the department's 支出决算表; a title that says 决算 is never a budget's table
    "机关运行经费支出决算表": "final.office_operation", "部门决算收支总表": "final.summary",
}


def test_template_titles_are_their_standard_tables():
    from yearwise.ingest.standard_tables import load_tables

    rules = load_tables()
    got = {title: (t.code if (t := rules.recognise(title)) else None) for title in TEMPLATE_TITLES}
    assert got == TEMPLATE_TITLES
    # and the 合计 of a 机关运行经费 决算表 is that spending, never the department's spending.total
    assert rules.recognise("机关运行经费支出决算表").total == "spending.office_operation"


def test_a_label_whose_tail_wraps_below_its_figure_is_completed_only_into_a_known_name():
    """'八、社会保障和就 1,608.51 / 业支出': the label and its figure share a line and the label's tail stands alone on
    the next one; joined they make a 功能分类 类 (社会保障和就业支出, func.208). '公共财政拨款(补助)资金 17,981.68 /
    专项收入' makes no known name: 专项收入 is the next row, not a tail."""
    from yearwise.ingest.table import Row
    from yearwise.ingest.table_facts import _with_its_wrapped_tail

    text = "七、文化体育与传\n媒支出\n八、社会保障和就 1,608.51\n业支出\n九、医疗卫生与计\n"
    at = text.index("1,608.51")
    assert _with_its_wrapped_tail(Row("", "八、社会保障和就", ()), text, (at, at + 8)).label == "八、社会保障和就业支出"
    text = "小计 17,981.68 一般公共预算资金 公共财政拨款(补助)资金 17,981.68\n专项收入\n政府性基金 小计\n"
    at = text.rindex("17,981.68")
    assert _with_its_wrapped_tail(Row("", "公共财政拨款(补助)资金", ()), text, (at, at + 9)).label == "公共财政拨款(补助)资金"


def test_a_header_line_cut_from_a_wrapped_header_names_no_column(files):
    """'公务用车运 / 行维护费' above a row of eight figures: the header's last line (one cell) names none of them, so no
    figure is item.行维护费."""
    text = ("江苏省示例法院2018年度部门预算\n本年支出预算合计 2,558.26 万元。\n九、“三公”经费、会议费、培训费支出预算表\n单位:万元\n合计\n“三公”经费\n会议费 培训费\n"
            "小计\n公务用车\n购置费\n公务用车运\n行维护费\n2,558.26 620.75 170.00 266.80 266.80 183.95 271.26 1,666.25\n")
    report = extract(files("r.txt", text))
    assert not [f.indicator for f in report.facts if f.indicator.startswith("item.行维护费")]


def test_corpus_a_class_label_wrapped_below_its_figure(corpus):
    report = extract(corpus / "jiangsu-budgets" / "江苏省人大办公厅" / "江苏省人大办公厅2017年度预算公开.pdf")
    summary = {(f.indicator, f.value) for f in report.facts if f.table == "budget.summary"}
    assert ("func.208", Decimal("1608.51")) in summary and not [i for i, _ in summary if i == "item.社会保障和就"]


def test_a_code_printed_in_cells_of_class_and_kuan_is_no_value(files):
    """'310 19 其他交通工具购置 310 21 文物和陈列品购置': a two-sided table prints its codes as 类 and 款 in cells of their
    own; the 310 after a label starts the next row's code, it is no value of 其他交通工具购置."""
    text = ("上海市示例区某某局2024年度部门决算\n本年支出合计 39.76 万元。\n一般公共预算财政拨款基本支出决算表\n单位:万元\n"
            "310 02 办公设备购置 13.58\n310 13 公务用车购置\n310 19 其他交通工具购置 310 21 文物和陈列品购置 310 22 "
            "无形资产购置 310 99 其他资本性支出 人员经费合计\n")
    report = extract(files("r.txt", text))
    assert not [f for f in report.facts if f.value == 310]


def test_corpus_codes_in_cells_are_no_values(corpus):
    report = extract(corpus / "shanghai-putuo-altered" / "24年普陀区财政局（测试问题版本）.pdf")
    assert not [f for f in report.facts if f.value == 310 and f.indicator.startswith("item.")]


def test_corpus_personnel_and_public_totals_of_a_basic_spending_table(corpus):
    """'人员经费合计 95.36 公用经费合计 10.23' closing a 一般公共预算财政拨款基本支出决算表 are its personnel and public
    spending (spending.personnel / spending.public, as the prose names them), not item.人员经费合计."""
    report = extract(corpus / "shanghai-putuo" / "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "final.general_budget_basic"}
    assert ("spending.personnel", Decimal("95.36")) in cells and ("spending.public", Decimal("10.23")) in cells
    assert not [i for i, _ in cells if i in ("item.人员经费合计", "item.公用经费合计")]


def test_corpus_the_total_under_the_column_the_table_is_about(corpus):
    """'科目编码 科目名称 基本支出 / 合计 21,968.00' of a 一般公共预算基本支出预算表: the 合计 row under the column that
    says what the table counts is the table's total (budget.general_budget_basic), not item.基本支出."""
    report = extract(corpus / "jiangsu-budgets" / "江苏省高级人民法院" / "江苏省高级人民法院2019年度部门预算公开.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "budget.general_budget_basic"}
    assert ("budget.general_budget_basic", Decimal("21968.00")) in cells and not [i for i, _ in cells if i == "item.基本支出"]


def test_a_figure_taken_for_a_row_label_names_no_row():
    """'2,542.60 833.60 222.50 183.60 / 0 / 183.60 427.50 …': the 0 the reader took for the next row's label names
    nothing; that row's cells are withheld, not item.other."""
    from yearwise.ingest.table import Row
    from yearwise.ingest.table_facts import _row_by_its_line

    text = "公务用车运\n行维护费\n2,542.60 833.60 222.50 183.60\n0\n183.60 427.50 1,305.25 403.75\n"
    at = text.index("427.50")
    assert _row_by_its_line(Row("", "0", ()), None, text, (at, at + 6)) is None  # type: ignore[arg-type]


def test_corpus_no_row_named_by_a_figure(corpus):
    report = extract(corpus / "jiangsu-budgets" / "江苏省人大办公厅" / "江苏省人大办公厅2017年度预算公开.pdf")
    assert not [f for f in report.facts if f.table and f.indicator == "item.other"]


def test_corpus_the_total_of_a_three_public_meetings_and_training_table(corpus):
    """The 合计 of a “三公”经费、会议费、培训费支出预算表 adds the 会议费 and 培训费 to the 三公经费: it is
    budget.three_public_meetings_training, not a 三公 total (budget.three_public is its 三公经费 column)."""
    report = extract(corpus / "jiangsu-budgets" / "江苏省高级人民法院" / "江苏省高级人民法院2019年度部门预算公开.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "budget.three_public"}
    assert ("budget.three_public_meetings_training", Decimal("2382.02")) in cells
    assert ("budget.three_public", Decimal("513.75")) in cells
    assert not [i for i, _ in cells if i == "budget.three_public.total"]


def test_corpus_the_income_sides_grand_total_of_a_fiscal_summary(corpus):
    """总计 on the 收入 side of a 财政拨款收入支出决算总表 is the 财政拨款收入总计, revenue.fiscal_total (as the prose's
    财政拨款收入支出总计), not the table code final.fiscal_summary.income_total."""
    report = extract(corpus / "shanghai-putuo" / "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf")
    cells = {(f.indicator, f.column, f.value) for f in report.facts if f.table == "final.fiscal_summary"}
    assert ("revenue.fiscal_total", "收入", Decimal("307.82")) in cells
    assert not [i for i, _, _ in cells if i == "final.fiscal_summary.income_total"]


def test_corpus_one_spelling_of_a_row_label_whatever_its_brackets(corpus):
    """'公共财政拨款（补助）资金' (full-width brackets in one file's table) and '公共财政拨款(补助)资金' name one item."""
    report = extract(corpus / "jiangsu-budgets" / "江苏省人民检察院" / "2019年度部门预算公开.pdf")
    codes = {f.indicator for f in report.facts if f.table == "budget.income"}
    assert "item.公共财政拨款(补助)资金" in codes and "item.公共财政拨款（补助）资金" not in codes
