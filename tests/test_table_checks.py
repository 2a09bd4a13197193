"""Table arithmetic (parent = Σ children, 合计 = Σ 类, 合计 column = Σ parts): small tables built here with planted
slips, two-sided tables whose halves add up on their own, and the real corpus tables."""

from __future__ import annotations

from decimal import Decimal

from yearwise.ingest.table import Entry, Row, Table
from yearwise.ingest.table_checks import group_width, table_checks

TITLE = "一般公共预算财政拨款基本支出决算表"
HALF = ("经济分类科目编码", "科目名称", "决算数")


def _two_sided(rows) -> Table:
    """人员经费 codes in columns 0-2, 公用经费 codes in columns 3-5, each side with its own 合计 row."""
    out = []
    for left, right in rows:
        for side, cells in ((0, left), (1, right)):
            if cells is None:
                continue
            code, label, value = cells
            out.append(Row(code, label, (Entry("决算数", value, 1, None, 3 * side + 2),), 1))
    return Table(TITLE, "万元", (1,), HALF * 2, tuple(out))


# 301 = 30101 + 30102 and 303 = 30302 on the left (人员经费合计 = 301 + 303); 302 = 30201 + 30202 and 310 on the
# right (公用经费合计 = 302 + 310). Planted: 302 prints 30.00 over children adding to 29.00.
SIDES = [
    (("301", "工资福利支出", "100.00"), ("302", "商品和服务支出", "30.00")),
    (("30101", "基本工资", "60.00"), ("30201", "办公费", "20.00")),
    (("30102", "津贴补贴", "40.00"), ("30202", "印刷费", "9.00")),
    (("303", "对个人和家庭的补助", "5.00"), ("310", "资本性支出", "2.00")),
    (("30302", "退休费", "5.00"), None),
    (("", "人员经费合计", "105.00"), ("", "公用经费合计", "32.00")),
]


def test_repeated_column_groups_are_found():
    assert group_width(HALF * 2) == 3
    assert group_width(("类", "款", "科目名称", "决算数") * 2) == 4
    assert group_width(("科目编码", "科目名称", "金额")) == 0
    assert group_width(("", "", "")) == 0  # no header to repeat: one block


def test_each_side_of_a_two_sided_table_adds_up_on_its_own():
    checks = table_checks([_two_sided(SIDES)])
    classes = {c.row_label: c for c in checks if c.rule == "table.classes"}
    # each side's 合计 is the sum of that side's 类 only (105 = 100 + 5; 32 = 30 + 2), never of all four
    assert classes["人员经费合计"].ok and classes["人员经费合计"].count == 2
    assert classes["公用经费合计"].ok and classes["公用经费合计"].parts == Decimal("32.00")
    bad = [(c.rule, c.row_code, c.difference) for c in checks if not c.ok]
    assert bad == [("table.children", "302", Decimal("1.00"))]
    held = {c.row_code for c in checks if c.rule == "table.children" and c.ok}
    assert held == {"301", "303"}


def test_a_side_total_that_does_not_add_up_is_reported():
    rows = [*SIDES[:-1], (("", "人员经费合计", "106.00"), ("", "公用经费合计", "32.00"))]
    bad = [c for c in table_checks([_two_sided(rows)]) if c.rule == "table.classes" and not c.ok]
    assert [(c.row_label, c.whole, c.parts) for c in bad] == [("人员经费合计", Decimal("106.00"), Decimal("105.00"))]


def test_a_one_sided_table_keeps_one_block():
    rows = tuple(Row(code, label, (Entry("金额", v, 1, None, 2),), 1) for code, label, v in (
        ("", "合计", "7.00"), ("301", "工资福利支出", "4.00"), ("30101", "基本工资", "4.00"),
        ("302", "商品和服务支出", "3.00"), ("30201", "办公费", "2.00")))
    checks = table_checks([Table(TITLE, "万元", (1,), ("科目编码", "科目名称", "金额"), rows)])
    assert {(c.rule, c.row_code or c.row_label, c.ok) for c in checks} == {
        ("table.classes", "合计", True), ("table.children", "301", True), ("table.children", "302", False)}


def test_codes_printed_on_rows_of_their_own_are_their_rows_codes():
    """A reader that puts each 科目编码 on a row above its name ('301' / '工资福利支出 4.00', the Jiangsu 预算表):
    the checks read the rows as the facts do, so the 合计 meets every 类, not only the one printed with its code."""
    printed = (("", "合计", "7.00"), ("", "", "301"), ("", "工资福利支出", "4.00"), ("", "", "30101"),
               ("", "基本工资", "4.00"), ("303", "对个人和家庭的补助", "3.00"), ("30301", "离休费", "3.00"))
    rows = tuple(Row(code, label, (Entry("金额", v, 1, None, 2),), 1) for code, label, v in printed)
    checks = table_checks([Table(TITLE, "万元", (1,), ("科目编码", "科目名称", "金额"), rows)], 2024)
    got = {(c.rule, c.row_code or c.row_label): (c.ok, c.parts) for c in checks}
    assert got[("table.classes", "合计")] == (True, Decimal("7.00"))
    assert got[("table.children", "301")] == (True, Decimal("4.00"))


def test_real_two_sided_tables_add_up_by_side(corpus):
    """The Putuo 一般公共预算财政拨款基本支出决算表 print 人员经费 and 公用经费 side by side, each with its 合计."""
    from yearwise.ingest import extract

    report = extract(corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf")
    sides = {c.row_label: c for c in report.table_checks
             if c.rule == "table.classes" and c.table == "final.general_budget_basic"}
    assert sides["人员经费合计"].ok and sides["人员经费合计"].whole == Decimal("2152.26")
    assert sides["公用经费合计"].ok and sides["公用经费合计"].whole == Decimal("184.65")
    # the source's own 0.01 slips stay reported: 301 prints 2,082.85 over items adding to 2,082.86
    bad = {(c.row_code, c.difference) for c in report.table_checks if not c.ok and c.rule == "table.children"}
    assert ("301", Decimal("-0.01")) in bad and ("302", Decimal("-0.02")) in bad
