"""Prose naming a 功能分类 subject by its printed path (…(类)…(款)…(项)) takes the code the tables print for it:
a report written here (a 决算's table and its 情况说明), the Ministry of Finance's renamed classes, the corpus."""

from __future__ import annotations

from decimal import Decimal

from yearwise.ingest import extract
from yearwise.ingest.subjects import function_class_in_year

TABLE = [("201", "一般公共服务支出", "100.00"), ("20106", "财政事务", "100.00"), ("2010601", "行政运行", "100.00"),
         ("208", "社会保障和就业支出", "20.00"), ("221", "住房保障支出", "10.00"), ("22102", "住房改革支出", "10.00"),
         ("2210203", "购房补贴", "10.00")]
PROSE = [
    "1、一般公共服务支出(类)财政事务(款)行政运行(项)。主要用于：机关运行。年初预算为110.00万元，支出决算为100.00万元，"
    "完成年初预算的90.91%。",
    "2、社会保障和就业(类)支出20.00万元，与上年相比增加5.00万元，增长33.33%。",
    # the 款 misprinted (住房保障支出 for 住房改革支出): the 项 is the one 购房补贴 under its 类
    "3、住房保障支出(类)住房保障支出(款)购房补贴(项)。主要用于：购房补贴。年初预算为10.00万元，支出决算为10.00万元。",
    # a 项 no table of the report prints: its words stay
    "4、城乡社区支出(类)城乡社区管理事务(款)其他城乡社区管理事务支出(项)。主要用于：城管。年初预算为3.00万元，"
    "支出决算为3.00万元。",
]


def report_html() -> str:
    rows = "".join(f"<tr><td>{c}</td><td>{n}</td><td>{v}</td></tr>" for c, n, v in TABLE)
    prose = "".join(f"<p>{p}</p>" for p in PROSE)
    return ("<html><body><div class='content'><p>示例区示例局2024年度部门决算</p><p>一般公共预算财政拨款支出决算表</p>"
            f"<p>单位：万元</p><table><tr><td>科目编码</td><td>科目名称</td><td>合计</td></tr>{rows}</table>"
            f"<p>五、一般公共预算财政拨款支出决算情况说明</p>{prose}</div></body></html>")


def test_prose_paths_take_the_codes_the_tables_print(files):
    report = extract(files("示例局2024年度部门决算.html", report_html()))
    prose = {(f.indicator, f.measure, f.value) for f in report.facts if not f.table}
    assert {("func.2010601.initial_budget", "level", Decimal("110")), ("func.2010601", "level", Decimal("100")),
            ("func.2010601.completion_rate", "level", Decimal("90.91")),
            ("func.208", "level", Decimal("20")), ("func.208", "change", Decimal("5")),
            ("func.208", "change_rate", Decimal("33.33")),
            ("func.2210203.initial_budget", "level", Decimal("10")), ("func.2210203", "level", Decimal("10"))} <= prose
    # the same quantity as the table's row: one name in prose and table
    table = {(f.indicator, f.value) for f in report.facts if f.table}
    assert ("func.2010601", Decimal("100")) in table and ("func.2210203", Decimal("10")) in table
    # nothing guessed: the 项 no table prints keeps its words
    assert {i for i, _, v in prose if v == Decimal("3")} == {"item.其他城乡社区管理事务支出.initial_budget",
                                                            "item.其他城乡社区管理事务支出.final"}
    assert all(f.rule.endswith(".subject") for f in report.facts if f.indicator.startswith("func.") and not f.table)
    # named as the table names the row, so a code's name does not depend on which report is loaded first
    names = {f.indicator: f.indicator_name for f in report.facts if not f.table}
    assert names["func.2010601"] == "行政运行" and names["func.2010601.initial_budget"] == "行政运行年初预算数"
    assert names["func.208"] == "社会保障和就业支出"


BUDGET = [("204", "公共安全支出", "900.00"), ("20404", "检察", "900.00"), ("2040401", "行政运行", "600.00"),
          ("2040402", "一般行政管理事务", "300.00"), ("20401", "武装警察部队", "50.00"), ("2040101", "行政运行", "50.00")]
BUDGET_PROSE = [
    "一、公共安全(类)支出900.00万元，与上年相比增加90.00万元，增长11.11%。其中：",
    "1.检察(款)行政运行(项)支出600.00万元。",
    # a 项 every 款 has, named without its 款 under the 款 stated above it (the walk names it item.检察一般行政管理事务支出)
    "2.一般行政管理事务(项)支出300.00万元。",
    # the 款's name glued to its 项, no (款) mark between them
    "3.武装警察部队行政运行(项)支出50.00万元。",
]


def test_a_budget_narrative_states_the_class_above_its_lines(files):
    """'公共安全(类)支出…其中：' heads the lines of its 款 and 项: each line's path takes the 类 stated above it, and a
    generic 项 (行政运行 is under every 款) its 款, so 行政运行 is 2040401 and never 2040101."""
    rows = "".join(f"<tr><td>{c}</td><td>{n}</td><td>{v}</td></tr>" for c, n, v in BUDGET)
    prose = "".join(f"<p>{p}</p>" for p in BUDGET_PROSE)
    html = ("<html><body><div class='content'><p>示例省人民检察院2019年部门预算</p><p>一般公共预算支出预算表</p>"
            f"<p>单位：万元</p><table><tr><td>科目编码</td><td>科目名称</td><td>金额</td></tr>{rows}</table>"
            f"<p>三、一般公共预算支出预算情况说明</p>{prose}</div></body></html>")
    report = extract(files("示例省人民检察院2019年部门预算.html", html))
    prose = {(f.indicator, f.measure, f.value) for f in report.facts if not f.table}
    assert {("func.204", "level", Decimal("900")), ("func.204", "change", Decimal("90")),
            ("func.2040401", "level", Decimal("600")), ("func.2040402", "level", Decimal("300")),
            ("func.2040101", "level", Decimal("50"))} <= prose, prose


def test_a_class_heading_line_and_a_kuan_glued_to_its_xiang(files):
    """'一般公共服务' alone on a line heads '1. 人大事务行政运行(项)支出…' (the 江苏 2017 wording): the 类 is the heading's,
    and 人大事务 glued to 行政运行 with no (款) mark is that 款's 行政运行."""
    rows = "".join(f"<tr><td>{c}</td><td>{n}</td><td>{v}</td></tr>" for c, n, v in (
        ("201", "一般公共服务支出", "700.00"), ("20101", "人大事务", "700.00"), ("2010101", "行政运行", "450.00"),
        ("20102", "政协事务", "0"), ("2010201", "行政运行", "0")))
    html = ("<html><body><div class='content'><p>示例省人大常委会办公厅2017年度部门预算</p><p>财政拨款支出预算表</p>"
            f"<p>单位：万元</p><table><tr><td>功能科目代码</td><td>功能科目名称</td><td>金额</td></tr>{rows}</table>"
            "<p>五、财政拨款支出预算表情况说明</p><p>其中:</p><p>一般公共服务</p>"
            "<p>1. 人大事务行政运行(项)支出 450.00 万元,与上年相比减少 17.89 万元。</p></div></body></html>")
    report = extract(files("示例省人大常委会办公厅2017年度部门预算.html", html))
    prose = {(f.indicator, f.measure, f.value) for f in report.facts if not f.table}
    assert {("func.2010101", "level", Decimal("450")), ("func.2010101", "change", Decimal("-17.89"))} <= prose, prose


def test_a_class_answers_to_its_name_of_the_year():
    # 210 was 医疗卫生与计划生育支出 up to 2018 and is 卫生健康支出 since 2019; 支出 may be left out
    assert function_class_in_year("医疗卫生与计划生育", 2017) == "210"
    assert function_class_in_year("卫生健康支出", 2020) == "210"
    assert function_class_in_year("卫生健康支出", 2017) is None
    assert function_class_in_year("社会保障和就业", 2024) == "208"
    assert function_class_in_year("财政事务", 2024) is None  # a 款, not a 类


def test_corpus_final_accounts_prose_meets_its_tables(corpus):
    """上海市普陀区规划和自然资源局 2024: '城乡社区支出(类)城乡社区管理事务(款)行政运行(项)…支出决算为 1092.80 万元' is
    the 一般公共预算财政拨款支出决算表's row 2120101, 1,092.80."""
    report = extract(corpus / "shanghai-putuo" / "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf")
    prose = {(f.indicator, f.value) for f in report.facts if not f.table}
    table = {(f.indicator, f.value) for f in report.facts if f.table == "final.general_budget" and f.column == "合计"}
    assert ("func.2120101", Decimal("1092.80")) in prose & table
    assert ("func.2120101.initial_budget", Decimal("1115.48")) in prose
    met = {i for i, v in prose if i.startswith("func.") and "." not in i[5:]} & {i for i, _ in table}
    assert len(met) >= 8, met


def _tables_html(dept: str, year: int, rows) -> str:
    cells = "".join(f"<tr><td>{c}</td><td>{n}</td><td>{v}</td></tr>" for c, n, v in rows)
    return (f"<html><body><div class='content'><p>{dept}{year}年度部门预算公开表格</p><p>一般公共预算支出预算表</p>"
            f"<p>单位：万元</p><table><tr><td>科目编码</td><td>科目名称</td><td>金额</td></tr>{cells}</table>"
            "</div></body></html>")


def _narrative_html(dept: str, year: int, lines) -> str:
    prose = "".join(f"<p>{p}</p>" for p in lines)
    return (f"<html><body><div class='content'><p>{dept}{year}年度部门预算公开文件</p>"
            f"<p>三、一般公共预算支出预算情况说明</p>{prose}</div></body></html>")


COMPANION_ROWS = [("221", "住房保障支出", "300.00"), ("22102", "住房改革支出", "300.00"), ("2210201", "住房公积金", "100.00"),
                  ("2210202", "提租补贴", "200.00")]
COMPANION_PROSE = ["3.住房保障(类)支出300.00万元，其中：", "1.住房改革支出(款)提租补贴(项)支出200.00万元，与上年相比增加20.00万元。",
                   # the whole path on one line
                   "2.住房保障支出(类)住房改革支出(款)住房公积金(项)支出100.00万元。"]


def test_a_narrative_file_is_named_by_its_companion_tables(files, tmp_path):
    """A 部门预算 published as a narrative 文件 and a separate 表格 file: the narrative's 款/项 lines take the codes the
    tables print, whether both files are ingested together or one in a later run than the other."""
    from yearwise import Warehouse

    dept = "示例省示例厅"
    narrative = files(f"{dept}2019年度部门预算公开文件.html", _narrative_html(dept, 2019, COMPANION_PROSE))
    tables = files(f"{dept}2019年度部门预算公开表格.html", _tables_html(dept, 2019, COMPANION_ROWS))
    alone = {(f.indicator, f.measure) for f in extract(narrative).facts}
    assert ("func.2210202", "level") not in alone  # extraction alone does not see the companion
    for name, runs in (("together", [[narrative, tables]]), ("later", [[tables], [narrative]]),
                       ("earlier", [[narrative], [tables]])):  # loaded before its tables: named when they come
        wh = Warehouse(tmp_path / f"{name}.duckdb")
        for run in runs:
            wh.ingest(run)
        got = {(r["indicator"], r["measure"], r["value"]) for r in wh.sql(
            "SELECT indicator, measure, value FROM facts WHERE source LIKE '%文件%'").iter_rows(named=True)}
        assert {("func.2210202", "level", Decimal("200")), ("func.2210202", "change", Decimal("20")),
                ("func.221", "level", Decimal("300")), ("func.2210201", "level", Decimal("100"))} <= got, (name, got)


def test_a_stated_change_across_a_revised_code_is_not_a_slip(files, tmp_path):
    """2040405 was 公诉和审判监督 (150 万元) in 2017 and another, wider subject (1,895) from 2018 (公诉、审判、侦查、执行等
    检察监督支出; a name without its 、 here): the 2018 report's '减少134万元' compares on the code's new scope, so last
    year's report is no basis (cannot), never a fail."""
    from yearwise import Warehouse

    dept = "示例省人民检察院"
    wh = Warehouse(tmp_path / "w.duckdb")
    paths = []
    for year, name, value, change in ((2017, "公诉和审判监督", "150.00", None), (2018, "检察监督支出", "1895.00", "134")):
        rows = [("204", "公共安全支出", value), ("20404", "检察", value), ("2040405", name, value)]
        lines = ["1.公共安全(类)支出" + value + "万元，其中：",
                 f"检察(款){name}(项)支出{value}万元" + (f"，与上年相比减少{change}万元。" if change else "。")]
        paths += [files(f"{dept}{year}年度部门预算公开表格.html", _tables_html(dept, year, rows)),
                  files(f"{dept}{year}年度部门预算公开文件.html", _narrative_html(dept, year, lines))]
    wh.ingest(paths)
    rows = [r for r in wh.check(department=dept).iter_rows(named=True) if r["indicator"] == "func.2040405"
            and r["category"] == "cross_year"]
    assert rows and {(r["check"], r["status"]) for r in rows} == {("cross_year.revised_subject", "cannot")}, rows
    assert "公诉和审判监督 (2017)" in rows[0]["message"]


def test_a_class_by_its_whole_name_and_a_kuan_with_its_mark(files):
    """'1.一般公共服务支出 700.00 万元' names the 类 201 without its (类) mark; '检察(款): 预算支出合计 600.00 万元' is
    the 款 20404 the tables print, its mark no part of the name; 其他支出 alone stays any other spending."""
    from yearwise import Warehouse

    rows = [("201", "一般公共服务支出", "700.00"), ("204", "公共安全支出", "600.00"), ("20404", "检察", "600.00")]
    html = ("<html><body><div class='content'><p>示例省人民检察院2018年度部门预算</p><p>一般公共预算支出预算表</p>"
            "<p>单位：万元</p><table><tr><td>科目编码</td><td>科目名称</td><td>金额</td></tr>"
            + "".join(f"<tr><td>{c}</td><td>{n}</td><td>{v}</td></tr>" for c, n, v in rows) + "</table>"
            "<p>三、支出预算情况说明</p><p>1.一般公共服务支出 700.00 万元，与上年相比减少 17.89 万元。</p>"
            "<p>2.检察(款): 2018 年预算支出合计 600.00 万元。</p><p>3.其他支出 5.00 万元。</p></div></body></html>")
    path = files("示例省人民检察院2018年度部门预算.html", html)
    prose = {(f.indicator, f.measure, f.value) for f in extract(path).facts if not f.table}
    assert {("func.201", "level", Decimal("700")), ("func.201", "change", Decimal("-17.89"))} <= prose, prose
    assert not [i for i, _, v in prose if v == Decimal("5") and i.startswith("func.")]
    wh = Warehouse(path.with_name("w.duckdb"))
    wh.ingest([path])
    loaded = {(r["indicator"], r["value"]) for r in wh.sql('SELECT indicator, value FROM facts WHERE "table" IS NULL')
              .iter_rows(named=True)}
    assert ("func.20404", Decimal("600")) in loaded, loaded
