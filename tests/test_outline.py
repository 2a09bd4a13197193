"""Outline: heading lines become a section tree; section_at(offset) names the headings enclosing any offset."""

from __future__ import annotations


from yearwise.ingest.outline import Outline, heading_level, heading_title
from yearwise.ingest.readers import read

TEXT = """上海市普陀区财政局2024年度部门决算
第三部分 上海市普陀区财政局2024年度部门决算情况说明
一、收入支出决算总体情况说明
收入支出总计2995.39万元。
二、收入支出决算总体情况说明
(一)收入决算说明
本年收入合计2946.25万元。
1.财政拨款收入2940.05万元。
(1)一般公共预算财政拨款收入2940.05万元。
2、其他收入6.2万元。
(二)支出决算说明
本年支出合计2940.05万元。
一、一般公共预算财政拨款收入 2,940.05 一、一般公共服务支出 2,106.66
第四部分 名词解释
"""


def at(outline: Outline, text: str, needle: str) -> str:
    return outline.section_at(text.index(needle))


def test_section_paths_follow_heading_levels():
    o = Outline.from_text(TEXT)
    part = "第三部分 上海市普陀区财政局2024年度部门决算情况说明"
    assert at(o, TEXT, "上海市普陀区财政局2024年度部门决算\n") == ""
    assert at(o, TEXT, "收入支出总计2995.39") == f"{part} > 一、收入支出决算总体情况说明"
    assert at(o, TEXT, "本年收入合计") == f"{part} > 二、收入支出决算总体情况说明 > (一)收入决算说明"
    assert at(o, TEXT, "一般公共预算财政拨款收入2940.05") == (
        f"{part} > 二、收入支出决算总体情况说明 > (一)收入决算说明 > 1.财政拨款收入2940.05万元 > "
        "(1)一般公共预算财政拨款收入2940.05万元")
    # a level-4 heading closes the level-5 one before it
    assert at(o, TEXT, "2、其他收入") == f"{part} > 二、收入支出决算总体情况说明 > (一)收入决算说明 > 2、其他收入6.2万元"
    # a level-3 heading closes levels 4 and 5; a flattened table row is not a heading
    assert at(o, TEXT, "一、一般公共预算财政拨款收入 2,940.05") == f"{part} > 二、收入支出决算总体情况说明 > (二)支出决算说明"
    assert at(o, TEXT, "名词解释") == "第四部分 名词解释"
    assert o.section_at(len(TEXT)) == "第四部分 名词解释"


def test_heading_offsets_point_at_the_heading_line():
    o = Outline.from_text(TEXT)
    assert [TEXT[h.start:h.start + 3] for h in o.headings][:3] == ["第三部", "一、收", "二、收"]
    assert [h.level for h in o.headings] == [1, 2, 2, 3, 4, 5, 4, 3, 1]


def test_heading_levels_and_titles():
    assert heading_level("第一章 总则") == 1
    assert heading_level("十二、政府采购支出预算表") == 2
    assert heading_level("(十一)其他") == 3
    assert heading_level("10.完成省委交办的其它任务。") == 4
    assert heading_level("1、一般公共服务支出") == 4
    assert heading_level("1.5万元用于培训") is None  # a number, not a list marker
    assert heading_level("2024年度收入") is None
    assert heading_level("(12)培训费") == 5
    assert heading_level("二、政府性基金预算财政拨款收入 二、外交支出") is None  # two table columns
    assert heading_title("1.负责机关行政事务。以及其他事务") == "1.负责机关行政事务"
    assert heading_title("  (一)" + "很长的标题" * 20) == ("(一)" + "很长的标题" * 20)[:40]


def test_beijing_report_outline(sample_report):
    text = read(sample_report).text
    o = Outline.from_text(text)
    top = [h.title for h in o.headings if h.level == 2]
    assert top == ["一、部门概况", "二、当年预算执行情况", "三、整体绩效目标实现情况", "四、预算管理情况分析",
                   "五、总体评价结论", "六、措施建议(下一步工作举措)"]
    assert at(o, text, "预算执行率") == "二、当年预算执行情况"
    assert o.section_at(text.index("产出数量") + 10).startswith("三、整体绩效目标实现情况 > (一)产出完成情况分析 > 1.产出数量")


def test_outline_on_real_pdf_text(corpus):
    doc = read(corpus / "jiangsu-budgets/江苏省委办公厅/江苏省委办公厅2018年度部门预算公开文件.pdf")
    o = Outline.from_text(doc.text)
    i = doc.text.index("增长17.31%")
    assert o.section_at(i) == "第三部分 2018年度部门预算情况说明 > 一、收支预算总体情况说明"


FLATTENED_TABLE = """第二部分 上海市普陀区财政局2024年度部门决算表
收入支出决算总表
一、一般公共预算财政拨款收入 2,940.05 一、一般公共服务支出 2,106.66
二、政府性基金预算财政拨款收入 二、外交支出
八、其他收入 6.20 八、社会保障和就业支出 326.71
十、节能环保支出
十一、城乡社区支出
本年收入合计 2,946.25 本年支出合计 2,940.05
第三部分 上海市普陀区财政局2024年度部门决算情况说明
一、收入支出决算总体情况说明
收入支出总计2995.39万元。
"""


def test_table_rows_without_amounts_are_not_headings():
    """'十、节能环保支出' opens a row of a flattened table: its number jumps, so the section stays the part."""
    o = Outline.from_text(FLATTENED_TABLE)
    assert [h.title for h in o.headings] == [
        "第二部分 上海市普陀区财政局2024年度部门决算表",
        "第三部分 上海市普陀区财政局2024年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
    ]
    assert at(o, FLATTENED_TABLE, "本年收入合计") == "第二部分 上海市普陀区财政局2024年度部门决算表"


def test_numbering_that_continues_across_parents_and_sections_out_of_order():
    text = """三、2018年主要工作任务
(一)坚决捍卫国家政治安全
1.依法打击危害国家安全犯罪。
2.严厉惩处危害社会安全犯罪。
4.积极开展国家安全教育活动。
(二)切实担当起公共利益代表者职责
5.全面开展公益诉讼工作。准确把握修改后的法律。
二、收入决算情况说明
本年收入合计2946.25万元,其中:财政拨款收入2940.05万元。
"""
    o = Outline.from_text(text)
    # '4.' skips a number but reads like a sentence; '5.' continues across (一)/(二); '二、' comes back
    # out of order yet is followed by running text, so it is a real (moved) section
    assert [h.title for h in o.headings] == [
        "三、2018年主要工作任务", "(一)坚决捍卫国家政治安全", "1.依法打击危害国家安全犯罪",
        "2.严厉惩处危害社会安全犯罪", "4.积极开展国家安全教育活动", "(二)切实担当起公共利益代表者职责", "5.全面开展公益诉讼工作",
        "二、收入决算情况说明",
    ]
    assert at(o, text, "准确把握") == "三、2018年主要工作任务 > (二)切实担当起公共利益代表者职责 > 5.全面开展公益诉讼工作"
    assert at(o, text, "本年收入合计") == "二、收入决算情况说明"


def test_shanghai_tables_sit_in_their_part(corpus):
    doc = read(corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf")
    o = Outline.from_text(doc.text)
    assert o.section_at(doc.text.index("201 06 01 行政运行 1,511.90")) == "第二部分 上海市普陀区财政局2024年度部门决算表"
    i = doc.text.index("收入支出总计2995.39万元")
    # the centred part heading wraps ('…情况' / '说明') in the PDF; the reader joins it again
    assert o.section_at(i) == "第三部分上海市普陀区财政局2024年度部门决算情况说明 > 一、收入支出决算总体情况说明"
