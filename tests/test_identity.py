"""Report identity: department, year, kind and entity level with the line that said each; unidentified reports kept
apart; templates refused; different values of one quantity shown by the conflicts view."""

from __future__ import annotations

from decimal import Decimal

import pytest

from test_load import make_report
from yearwise import Warehouse, warehouse
from yearwise.ingest import extract
from yearwise.ingest.metadata import detect
from yearwise.ingest.model import IngestError


@pytest.mark.parametrize("head, department, place", [
    # the title wraps: the region part of the name stands on the line above
    ("中共上海市普陀区委\n社会工作部 2024 年度\n部门决算\n目 录", "中共上海市普陀区委社会工作部", "title"),
    # a site banner names the body when the title does not
    ("欢迎来到南县政协网站!\n您现在的位置: 首页 > 通知公告\n部门整体支出绩效评价报告\n2021年部门决算收支完成情况。",
     "南县政协", "header"),
    ("部门预算项目支出绩效自评表(2023年度) |\n主管部门 |\n青神县发展和改革局本级 |", "青神县发展和改革局", "header"),
    ("项目支出绩效自评表(2023年度)\n主管部门:青神县发展和改革局;实施单位:县发改局", "青神县发展和改革局", "field"),
    ("2023年度部门决算\n目 录\n一、收入支出决算总表\n我单位“北京市通州区城镇绿化服务中心”设立了预算机构1个。",
     "北京市通州区城镇绿化服务中心", "body"),
    ("第二部分:梧州市第三中学 2023 年单位预算及“三公”经费预算情况说明", "梧州市第三中学", "title"),
    ("一、部门基本情况\n" + "收入100万元。\n" * 10 + "\n北京市朝阳区园林绿化局\n2024年8月30日", "北京市朝阳区园林绿化局", "signature"),
])
def test_the_department_and_the_place_that_names_it(head, department, place):
    meta = detect(head)
    said = meta.said("department")
    assert (meta.department, said.place) == (department, place)
    assert said.line  # the line that said it is kept


def test_the_file_name_is_the_last_resort():
    meta = detect("2023年度部门决算\n一、收入100万元", source="downloads/北京市朝阳区财政局2023年度部门决算.pdf")
    assert meta.department == "北京市朝阳区财政局" and meta.said("department").place == "file name"


def test_nothing_names_a_department():
    assert detect("2023年度部门决算\n目 录\n第一部分 2023年度部门决算报表").department is None


@pytest.mark.parametrize("head, level", [
    ("第二部分 2022年度单位决算情况说明", "unit"),
    ("梧州市第三中学 2023 年单位预算", "unit"),
    ("上海市普陀区财政局(本级)2024年度决算", "unit"),
    ("上海市普陀区财政局2024年度部门决算", "department"),
])
def test_entity_level(head, level):
    assert detect(head).entity_level == level


@pytest.mark.parametrize("head, kind", [
    ("关于上海市普陀区2023年预算执行情况和2024年预算草案的报告\n各位代表:", "region_finance"),
    ("全区35个部门绩效排名出炉\n本报讯(记者 王某)近日,区财政局公布……", "news"),
    ("上海市普陀区财政局2024年度部门决算", "final_accounts"),
])
def test_documents_that_are_no_departments_report_get_their_own_kind(head, kind):
    assert detect(head).doc_kind == kind


def test_a_region_finance_report_speaks_of_the_region(files):
    report = extract(files("r.txt", "关于南县2023年预算执行情况和2024年预算草案的报告\n全县一般公共预算收入12.5亿元,"
                                    "县本级支出8.2亿元。"))
    assert report.doc_kind == "region_finance" and report.facts
    assert {f.scope for f in report.facts} == {"region"}


def test_a_template_is_refused_with_its_reason(files):
    with pytest.raises(IngestError, match="a template, not a report: placeholder '上海市XX局"):
        extract(files("t.txt", "上海市XX局\n2024年度部门决算\n一、收入支出决算总体情况说明\n收入支出总计万元。"))


def test_a_real_report_with_a_stray_placeholder_is_loaded_and_flagged(files):
    report = extract(files("r.txt", "上海市普陀区财政局\n2024年度部门决算\n第二部分 上海市普陀区XX局 2024 年度部门决算表\n"
                                    "2024年度收入总计2,995.39万元。"))
    assert report.department == "上海市普陀区财政局" and report.facts
    assert report.flags == ("placeholder: 第二部分 上海市普陀区XX局 2024 年度部门决算表",)


def test_the_altered_corpus_copy_is_flagged_not_refused(corpus):
    report = extract(corpus / "shanghai-putuo-altered" / "24年普陀区财政局（测试问题版本）.pdf")
    assert report.department == "上海市普陀区财政局" and any("XX局" in f for f in report.flags)


def test_unidentified_reports_stay_out_of_facts_until_a_department_is_given(tmp_path, files):
    path = files("x.txt", "2023年度部门决算\n一、收入支出决算总体情况说明\n2023年度收入总计4,125.49万元。")
    wh = Warehouse(tmp_path / "w.duckdb")
    summary = wh.ingest([path])
    assert [r.file for r in summary.unidentified] == [str(path)]
    assert wh.sql("SELECT count(*) FROM facts").item() == 0
    assert wh.sql("SELECT count(*) FROM unidentified_facts").item() >= 1
    again = wh.ingest([path], department="北京市通州区城镇绿化服务中心")
    assert again.rows[0].status == "identified" and not again.unidentified
    assert wh.sql("SELECT count(*) FROM unidentified_facts").item() == 0
    assert wh.sql("SELECT DISTINCT department FROM facts").item() == "北京市通州区城镇绿化服务中心"


def test_reports_of_two_entity_levels_neither_supersede_nor_conflict(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    whole = make_report("dept", values=(Decimal("100"), Decimal("200")))
    unit = make_report("unit", values=(Decimal("60"), Decimal("150")))
    unit.entity_level = "unit"
    assert warehouse.load_report(con, whole).status == "loaded"
    assert warehouse.load_report(con, unit).status == "loaded"  # not a new version of the 部门 report
    assert con.execute("SELECT count(*) FROM conflicts").fetchall()[0][0] == 0
    assert con.execute("SELECT count(DISTINCT entity_level) FROM facts").fetchall()[0][0] == 2
    con.close()


def test_the_conflicts_view_lists_each_value_with_its_quote_and_source(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.load_report(con, make_report("a", values=(Decimal("100"), Decimal("200"))))
    b = make_report("b", values=(Decimal("101"), Decimal("7")), indicators=["spending.basic", "output.甲"])
    b.doc_kind = "final_accounts"
    warehouse.load_report(con, b)
    rows = con.execute("SELECT indicator, measure, n_values, distinct_values, quotes, sources FROM conflicts").fetchall()
    con.close()
    assert len(rows) == 1
    indicator, measure, n, values, quotes, sources = rows[0]
    assert (indicator, measure, n) == ("spending.basic", "level", 2)
    assert [float(v) for v in values] == [100, 101]
    assert any("指标0为100万元" in q for q in quotes) and any("指标0为101万元" in q for q in quotes)
    assert sources == ["reports/a.txt", "reports/b.txt"]
