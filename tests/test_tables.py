"""Tables in reports: a cell is named by its row, its column header, or both."""

from decimal import Decimal

from yearwise.ingest import extract


def write_html(tmp_path, rows):
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    html = ("<html><body><div class='nav'>首页 > 信息公开</div><div class='content'>"
            "<p>示例县教育局2022年度部门整体支出绩效自评表</p><p>单位：万元</p>"
            f"<table>{cells}</table></div></body></html>")
    path = tmp_path / "自评表.html"
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
