"""Department, fiscal year and kind come from a report's own title lines, however it words them."""

import pytest

from yearwise.ingest.metadata import detect


@pytest.mark.parametrize("head,department,year,kind", [
    ("北京市朝阳区财政局2022年度部门决算公开\n日期:2023-09-13 来源:区财政局", "北京市朝阳区财政局", 2022, "final_accounts"),
    ("上海市普陀区财政局\n2024年度部门决算\n目 录", "上海市普陀区财政局", 2024, "final_accounts"),
    ("北京市丰台区环境卫生服务中心\n大红门环卫所\n2021年度部门决算(草案)", "北京市丰台区环境卫生服务中心大红门环卫所", 2021, "final_accounts"),
    ("2023年北京市朝阳区财政局部门决算\n正文", "北京市朝阳区财政局", 2023, "final_accounts"),
    ("北京市公园管理中心2016年部门预算情况的说明", "北京市公园管理中心", 2016, "budget"),
    ("南县财政局2020年度 机关整体支出绩效评价报告\n一、自评得分情况", "南县财政局", 2020, "performance_evaluation"),
    ("部门预算项目支出绩效自评表(2023年度) |\n主管部门 |\n青神县发展和改革局本级 |", "青神县发展和改革局", 2023, "performance_evaluation"),
    ("2023年度部门决算\n目 录\n第一部分 2023年度部门决算报表", None, 2023, "final_accounts"),
])
def test_title_variants(head, department, year, kind):
    meta = detect(head)
    assert (meta.department, meta.year, meta.doc_kind) == (department, year, kind)
