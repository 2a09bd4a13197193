"""Tables read from PDFs: drawn at test time (wrapped label, two-line header, a table continued on the next page,
a page drawn sideways) and real corpus tables (决算 and 预算, 元 and 万元, rotated pages, tables over pages)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from conftest import draw_pdf, ruled_table
from yearwise.ingest import extract

WIDTHS = [60, 130, 80, 80, 80]
HEADER = [
    (0, 0, 2, 1, "科目编码"), (0, 1, 2, 2, "科目名称"), (0, 2, 2, 3, "本年支出\n合计"), (0, 3, 1, 5, "其中"),
    (1, 3, 2, 4, "基本支出"), (1, 4, 2, 5, "项目支出"),
]


def body(rows, first: int):
    cells = []
    for i, row in enumerate(rows):
        for c, text in enumerate(row):
            cells.append((first + i, c, first + i + 1, c + 1, text))
    return cells


def expenditure_pdf(rotated=()) -> bytes:
    """A 支出决算表 in 元 over two pages: the second page repeats no title and no header."""
    page1 = [("text", "示例局2024年度支出决算表", 200, 20, 12), ("text", "单位：元", 480, 45, 8)]
    page1 += ruled_table(20, 60, WIDTHS, 20, HEADER + body([
        ["", "合计", "1,000,000.00", "800,000.00", "200,000.00"],
        ["201", "一般公共服务支出", "600,000.00", "500,000.00", "100,000.00"],
        ["20106", "财政事务", "600,000.00", "500,000.00", "100,000.00"],
        ["2010601", "行政运行", "500,000.00", "500,000.00", ""],
        ["2010602", "一般行政管理\n事务", "100,000.00", "", "100,000.00"],
    ], 2))
    page2 = ruled_table(20, 40, WIDTHS, 20, body([
        ["208", "社会保障和就业支出", "400,000.00", "300,000.00", "100,000.00"],
        ["20805", "行政事业单位养老支出", "400,000.01", "300,000.00", "100,000.00"],
        ["2080505", "机关事业单位基本养老\n保险缴费支出", "400,000.00", "300,000.00", "100,000.00"],
    ], 0))
    return draw_pdf([page1, page2], rotated=rotated)


def by_cell(report):
    return {(f.row_code or f.row_label, f.column): f for f in report.facts if f.table}


@pytest.mark.parametrize("rotated", [(), (0, 1)], ids=["upright", "rotated-pages"])
def test_drawn_table_cells_become_facts(files, rotated):
    report = extract(files("示例局2024年度部门决算.pdf", expenditure_pdf(rotated)))
    cells = by_cell(report)
    run = cells[("2010601", "基本支出")]
    assert run.table == "final.expenditure" and run.indicator == "func.2010601"
    assert (run.value, run.unit, run.raw_unit, run.raw_value) == (Decimal("50"), "万元", "元", "500,000.00")
    assert run.row_label == "行政运行" and run.page == 1
    assert report.document.text[run.start:run.end] == run.quote == "500,000.00"
    assert run.x0 is not None and run.x0 < run.x1 and run.y0 < run.y1
    # the two-line header is one column (本年支出 / 合计), the nested one keeps only its own words
    assert cells[("2010601", "合计")].value == Decimal("50")
    assert cells[("2010602", "项目支出")].value == Decimal("10")
    # a label wrapped over two lines is one label
    assert cells[("2010602", "合计")].row_label == "一般行政管理事务"
    assert cells[("2080505", "合计")].row_label == "机关事业单位基本养老保险缴费支出"
    # the second page continues the same table under the same columns
    cont = cells[("2080505", "基本支出")]
    assert cont.table == "final.expenditure" and cont.page == 2 and cont.value == Decimal("30")
    # the total row is the catalog's: the table's total meets the prose's 本年支出合计 and 基本支出
    assert cells[("合计", "合计")].indicator == "spending.total"
    assert cells[("合计", "基本支出")].indicator == "spending.basic"
    assert (report.document.tables[0].pages) == (1, 2)


def test_drawn_table_arithmetic_is_recorded_and_kept(files):
    report = extract(files("示例局2024年度部门决算.pdf", expenditure_pdf()))
    checks = report.table_checks
    assert checks and all(c.table == "final.expenditure" for c in checks)
    bad = [c for c in checks if not c.ok]
    # 20805 prints 400,000.01 over children (and parts) that add to 400,000.00: reported with its difference, kept
    assert sorted((c.rule, c.row_code, c.column, c.difference) for c in bad) == [
        ("table.children", "208", "合计", Decimal("-0.01")), ("table.children", "20805", "合计", Decimal("0.01")),
        ("table.spending_columns", "20805", "合计", Decimal("0.01"))]
    assert any(f.row_code == "20805" and f.value == Decimal("40.000001") for f in report.facts)
    held = {(c.rule, c.row_code or c.row_label, c.column) for c in checks if c.ok}
    assert ("table.children", "201", "基本支出") in held
    assert ("table.classes", "合计", "基本支出") in held
    assert ("table.spending_columns", "2010601", "合计") in held


def basic_budget_pdf() -> bytes:
    """A 部门预算 whose 财政拨款基本支出预算表 ends on a page of its own (its last row alone, in the same frame as the
    next table's title and the 无 of an empty table), then a 三公 table whose title wraps before its last 表."""
    w = [60, 160, 80]
    page1 = [("text", "示例局2024年度财政拨款基本支出预算表", 150, 20, 12), ("text", "单位：万元", 480, 45, 8)]
    page1 += ruled_table(20, 60, w, 20, body([
        ["科目编码", "科目名称", "金额"], ["", "合计", "300.00"],
        ["301", "工资福利支出", "100.00"], ["30101", "基本工资", "100.00"],
        ["303", "对个人和家庭的补助", "200.00"], ["30301", "离休费（含补贴）", "150.00"],
    ], 0))
    page2 = ruled_table(20, 40, w, 20, body([["30302", "退休费", "50.00"]], 0) + [
        (1, 0, 2, 3, "财政拨款政府性基金支出预算表")] + body([
        ["科目编码", "科目名称", "金额"], ["", "合计", ""], ["", "（无政府性基金支出）", ""]], 2))
    page3 = ruled_table(20, 40, w, 20, [(0, 0, 1, 3, "“三公”经费、会议费、培训费支出预算\n表"), (1, 0, 2, 3, "单位：万元")]
                        + body([["合计", "因公出国（境）费", "公务接待费"], ["30.00", "10.00", "20.00"]], 2))
    return draw_pdf([page1, page2, page3])


def test_a_table_ending_alone_on_a_page_and_a_title_wrapped_before_its_last_word(files):
    report = extract(files("示例局2024年度部门预算.pdf", basic_budget_pdf()))
    cells = by_cell(report)
    # the last row, alone on page 2 above the next table's title, is still a row of the table it ends
    last, first = cells[("30302", "合计")], cells[("30301", "合计")]
    assert last.rule == "table.grid" and last.table == first.table and last.page == 2
    assert last.indicator == "econ.30302" and last.value == Decimal("50")
    assert first.row_label == "离休费(含补贴)"  # widths folded as in the document text: （） and () are one name
    assert [t.title for t in report.document.tables][:2] == ["示例局2024年度财政拨款基本支出预算表", "财政拨款政府性基金支出预算表"]
    # so the table adds up: 303 = 30301 + 30302, 合计 = 301 + 303
    held = {(c.rule, c.row_code or c.row_label) for c in report.table_checks if c.ok}
    assert {("table.children", "303"), ("table.classes", "合计")} <= held, report.table_checks
    # '…支出预' / '算表' is one title: the 三公 table is its own, not a continuation of the one before
    reception = next(f for f in report.facts if f.value == Decimal("20") and f.table)
    assert reception.table == "budget.three_public" and reception.indicator == "budget.official_reception"


# ---------------------------------------------------------------- the real corpus

JIANGSU = "jiangsu-budgets"
SHANGHAI = "shanghai-putuo/上海市普陀区财政局2024年度部门决算.pdf"


@pytest.fixture(scope="module")
def corpus_reports(corpus):
    out = {}
    for p in sorted(corpus.rglob("*.pdf")):
        if p.parent.name != "templates":
            out[p] = extract(p)
    return out


def test_final_accounts_columns_are_separate_facts(corpus):
    report = extract(corpus / SHANGHAI)
    cells = by_cell(report)
    # 事业运行 and 基本/项目 columns no longer collapse into one indicator: one fact per column
    assert cells[("2010601", "合计")].value == Decimal("1511.89")
    assert cells[("2010601", "基本支出")].value == Decimal("1503.52")
    assert cells[("2010601", "项目支出")].value == Decimal("8.37")
    assert {cells[("2010601", k)].indicator for k in ("合计", "基本支出", "项目支出")} == {"func.2010601"}
    # a wrapped label and a table continued on the next page (收入决算表, pages 8-9)
    wrapped = [f for f in report.facts if f.row_code == "2080505" and f.table == "final.expenditure"]
    assert wrapped and wrapped[0].row_label == "机关事业单位基本养老保险缴费支出"
    income = next(t for t in report.document.tables if t.title == "收入决算表")
    assert len(income.pages) == 2
    assert any(f.table == "final.income" and f.page == income.pages[1] and f.row_code == "2210201" for f in report.facts)
    # 302 is a classification code, never the value of 退休费
    assert not any(f.value == Decimal("302") for f in report.facts)


def test_same_cell_same_key_across_years(corpus):
    folder = corpus / JIANGSU / "江苏省委办公厅"
    seen = {}
    for year, name in ((2017, "江苏省委办公厅2017年预算公开表格.pdf"), (2018, "江苏省委办公厅2018年度部门预算公开表.pdf"),
                       (2019, "江苏省委办公厅2019年度部门预算公开表格.pdf")):
        report = extract(folder / name)
        assert report.year == year
        cells = [(f.indicator, f.table, f.column) for f in report.facts if f.row_code == "2013101"]
        seen[year] = set(cells)
    common = seen[2017] & seen[2018] & seen[2019]
    assert ("func.2013101", "budget.general_budget", "合计") in common


def test_rotated_pages_read(corpus):
    report = extract(corpus / JIANGSU / "江苏省人大办公厅" / "江苏省人大常委会办公厅2019年部门预算公开表.pdf")
    coded = [f for f in report.facts if f.row_code]
    assert len(coded) >= 50 and any(f.indicator == "func.2010101" for f in coded)


def test_a_budget_column_is_not_spending_when_the_actual_column_is_empty(corpus_reports, corpus):
    """The Putuo 财政局 三公 决算表 prints 0.95 under 合计/预算数 and 公务接待费/预算数 and nothing under 决算数: those
    are the 三公 budget, never the 三公 spending (which the prose states as 0.00)."""
    from yearwise.ingest.standard_tables import load_tables
    from yearwise.ingest.table_facts import column_keys

    report = corpus_reports[corpus / SHANGHAI]
    cells = {(f.column, f.indicator, f.value) for f in report.facts if f.table == "final.three_public"}
    assert cells == {("合计/预算数", "budget.three_public", Decimal("0.95")),
                     ("公务接待费/预算数", "budget.official_reception", Decimal("0.95"))}
    # where only the 决算数 column holds figures it stays the column's plain amount, as before
    table = next(t for t in report.document.tables if "三公" in t.title)
    actual = replace(table, rows=tuple(replace(r, entries=tuple(replace(e, column=e.column.replace("预算数", "决算数"))
                                                                  for e in r.entries)) for r in table.rows))
    assert column_keys(actual, load_tables())["合计/决算数"] == "合计"


def test_side_totals_of_a_two_sided_table_are_named_as_the_prose_names_them(corpus_reports, corpus):
    """人员经费合计 | 公用经费合计 of the 基本支出决算表 are spending.personnel / spending.public, the codes the prose's
    人员经费2152.26万元 and 公用经费184.65万元 get: one name for one quantity (never item.人员经费合计)."""
    report = corpus_reports[corpus / SHANGHAI]
    named = {(f.indicator, f.value) for f in report.facts if f.table == "final.general_budget_basic"
             and f.row_label in ("人员经费合计", "公用经费合计")}
    assert named == {("spending.personnel", Decimal("2152.26")), ("spending.public", Decimal("184.65"))}
    prose = {(f.indicator, f.value) for f in report.facts if not f.table and f.indicator.startswith("spending.p")}
    assert named <= prose


def test_parents_equal_the_sum_of_their_children(corpus_reports):
    checks = [c for r in corpus_reports.values() for c in r.table_checks if c.rule == "table.children"]
    held = [c for c in checks if c.ok]
    assert len(checks) >= 300 and len(held) / len(checks) >= 0.98, [
        (c.table, c.row_code, c.column, c.difference) for c in checks if not c.ok]


# an indicator code built from a column header or a broken word (a prose label such as 采购金额 is the report's own)
JUNK = re.compile(r"科目名称|科目编码|功能分类|经济分类|项目名称|·金额|·出|·用$|·款$|·费$|单位[:：]|^item\.(?:费支出|出|金额)$")


def test_no_indicator_named_by_a_column_header(corpus):
    bad = []
    for p in sorted(corpus.rglob("*")):
        if p.suffix.lower() in (".pdf", ".txt") and p.parent.name != "templates" and "labels" not in p.name \
                and p.name != "README.md":
            bad += [(p.name, f.indicator) for f in extract(p).facts if JUNK.search(f.indicator)]
    assert bad == []


def test_gold_table_cells_are_found(corpus):
    """tests/gold/tables/cells-corpus.jsonl: cells read off the corpus tables by eye (决算 and 预算, a rotated page, tables
    continued on the next page, a wrapped label), found by file, page, table, 科目编码 (or label), column and value."""
    import json
    from pathlib import Path

    gold = [json.loads(line) for line in (Path(__file__).parent / "gold" / "tables" / "cells-corpus.jsonl").open(encoding="utf-8")]
    facts = {}
    for name in {g["file"] for g in gold}:
        facts[name] = extract(next(corpus.rglob(name))).facts
    missed = []
    for g in gold:
        want = Decimal(str(g["value"]))
        if not any(f.page == g["page"] and f.table == g["table"] and f.column == g["column"]
                   and (f.row_code == g["row_code"] if g["row_code"] else (f.row_label or "") == g["row_label"])
                   and abs(f.value - want) <= Decimal("0.005") for f in facts[g["file"]]):
            missed.append(g)
    assert len(gold) >= 50 and not missed, missed


def test_wider_gold_table_cells_are_found(corpus):
    """tests/gold/tables/cells-wide.jsonl: 191 more cells read off other departments' and regions' tables by eye
    (决算 tables continued over pages with three-line labels, 三公 tables with stacked header words and titles
    wrapped over two lines, titles and 部门/单位 lines drawn inside the frame, codes stacked in one box), found by
    file, year, page, table, 科目编码 (or none for a total row), column key and value."""
    import json
    from pathlib import Path

    gold = [json.loads(line) for line in (Path(__file__).parent / "gold" / "tables" / "cells-wide.jsonl").open(encoding="utf-8")]
    facts = {name: extract(next(corpus.rglob(name))).facts for name in {g["file"] for g in gold}}
    missed = []
    for g in gold:
        want = Decimal(str(g["value"]))
        if not any(f.year == g["year"] and f.page == g["page"] and f.table == g["table"] and f.column == g["column"]
                   and (f.row_code or None) == g["row_code"] and abs(f.value - want) <= Decimal("0.005")
                   for f in facts[g["file"]]):
            missed.append(g)
    assert len(gold) >= 150 and len(missed) <= 0.02 * len(gold), missed


def unruled_pdf() -> bytes:
    """A 支出决算表 printed without a single ruling line: words left-aligned, figures right-aligned under a
    two-line header whose 其中 stands over 基本支出 and 项目支出, a label wrapped onto a line of its own."""
    items = [("text", "示例局2024年度支出决算表", 200, 20, 12), ("text", "单位：元", 480, 45, 8),
             ("text", "科目编码", 20, 70, 8), ("text", "科目名称", 90, 70, 8), ("text", "合计", 300, 70, 8),
             ("text", "其中", 428, 64, 8), ("text", "基本支出", 370, 78, 8), ("text", "项目支出", 460, 78, 8)]
    rows = [("", "合计", "1,000,000.00", "800,000.00", "200,000.00"),
            ("201", "一般公共服务支出", "1,000,000.00", "800,000.00", "200,000.00"),
            ("2010601", "行政运行", "  800,000.00", "800,000.00", ""),
            ("2010602", "一般行政管理事务", "  200,000.00", "", "200,000.00")]
    y = 100
    for code, label, total, basic, project in rows:
        items.append(("text", code, 20, y, 8))
        items.append(("text", label, 90, y, 8))
        for x, v in ((280, total), (360, basic), (450, project)):
            if v.strip():
                # right-aligned: a shorter figure starts further right (a digit is about 4.5 points wide at size 8)
                items.append(("text", v.strip(), x + 4.45 * (12 - len(v.strip())), y, 8))
        y += 16
    items.append(("text", "2080505", 20, y, 8))
    items.append(("text", "机关事业单位基本养老", 90, y, 8))
    items.append(("text", "500,000.00", 280 + 4.45 * 2, y + 5, 8))
    items.append(("text", "500,000.00", 360 + 4.45 * 2, y + 5, 8))
    items.append(("text", "保险缴费支出", 90, y + 10, 8))
    # a label wrapped below a row whose figures stand on its first line, as near the next row as its own
    items.append(("text", "2101101", 20, y + 26, 8))
    items.append(("text", "行政单位医疗（含公务员医疗", 90, y + 26, 8))
    items.append(("text", "100,000.00", 280 + 4.45 * 2, y + 26, 8))
    items.append(("text", "补助）", 90, y + 36, 8))
    items.append(("text", "2101102", 20, y + 46, 8))
    items.append(("text", "事业单位医疗", 90, y + 46, 8))
    items.append(("text", "100,000.00", 280 + 4.45 * 2, y + 46, 8))
    items.append(("text", "注：本表反映部门本年度各项支出情况。", 20, y + 80, 8))
    return draw_pdf([items])


def test_table_without_ruling_lines(files):
    report = extract(files("示例局2024年度部门决算.pdf", unruled_pdf()))
    (table,) = report.document.tables
    assert table.title == "示例局2024年度支出决算表" and table.unit == "元"
    cells = by_cell(report)
    run = cells[("2010601", "基本支出")]
    assert run.table == "final.expenditure" and run.indicator == "func.2010601" and run.value == Decimal("80")
    assert run.page == 1 and run.x0 is not None and report.document.text[run.start:run.end] == "800,000.00"
    assert cells[("2010602", "项目支出")].value == Decimal("20") and ("2010602", "基本支出") not in cells
    assert cells[("2010601", "合计")].value == Decimal("80")
    assert ("2010601", "项目支出") not in cells
    assert cells[("合计", "基本支出")].indicator == "spending.basic"
    wrapped = cells[("2080505", "合计")]
    assert wrapped.row_label == "机关事业单位基本养老保险缴费支出" and wrapped.value == Decimal("50")
    assert cells[("2101101", "合计")].row_label == "行政单位医疗(含公务员医疗补助)"  # widths folded as in the text
    assert cells[("2101102", "合计")].row_label == "事业单位医疗"


def test_procurement_items_keep_their_wrapped_names(corpus):
    """The 2018 检察院 政府采购支出预算表 wraps every cell over lines ('台式计算机 / (20 万以 / 上)', '车辆维修和 / 保养服务',
    '分散自行组 / 织'): each item is named whole, digits kept; no 专项 line is named by its 经济科目 (维修(护)费,
    办公设备购置 would pass for spending items); 一、货物 A / 三、服务 C are procurement.goods / procurement.services."""
    report = extract(corpus / JIANGSU / "江苏省人民检察院" / "2018年省检察院部门预算公开.pdf")
    cells = {(f.indicator, f.value) for f in report.facts if f.table == "budget.procurement"}
    assert ("item.台式计算机(20万以上)", Decimal("27.00")) in cells
    assert ("item.车辆维修和保养服务", Decimal("267.80")) in cells
    assert ("item.信息系统集成实施服务", Decimal("20.00")) in cells
    assert ("item.服务器", Decimal("40.00")) in cells  # PC服务器: a descriptive code starts with its Chinese words
    assert ("procurement.goods", Decimal("268.00")) in cells and ("procurement.services", Decimal("2828.24")) in cells
    economic = {"item.维修(护)费", "item.维修（护）费", "item.办公设备购置", "item.租赁费", "item.公务用车运行维护费",
                "item.物业管理费", "item.会议费", "item.培训费", "item.专用设备购置", "item.信息网络及软件购置更新"}
    assert not {i for i, _ in cells} & economic
    # nor does the walk's reading of those lines come back ('会议费 200.44' as the meetings budget)
    starts = [f.start for f in report.facts if f.table == "budget.procurement"]
    assert not [f for f in report.facts if min(starts) <= f.start <= max(starts) and f.table != "budget.procurement"]
    assert not [i for i, _ in cells if re.fullmatch(r"item\.[^\u4e00-\u9fff(]*[)）].*|item\..{1,2}", i)]
