"""The national 部门决算 template's wording, filled in with made-up figures (a synthetic 示例 file of our own):
most final accounts follow it, so every sentence kind in it must come out right."""

from decimal import Decimal
from pathlib import Path

import pytest

from yearwise.ingest import extract

FILE = Path(__file__).parent / "fixtures" / "synthetic-national-template-final-accounts.txt"


@pytest.fixture(scope="module")
def found():
    report = extract(FILE)
    assert (report.department, report.year, report.doc_kind) == ("示例市示例区审计局", 2023, "final_accounts")
    return {(f.indicator, f.measure, f.value) for f in report.facts}


@pytest.mark.parametrize("indicator,measure,value", [
    ("accounts.income_total", "level", "2345.67"),
    ("accounts.expenditure_total", "change_rate", "5.56"),
    ("revenue.total", "level", "2200.00"),
    ("revenue.fiscal", "share", "95.45"),
    ("revenue.business", "level", "50.00"),
    ("spending.basic", "share", "68.18"),
    ("spending.project", "level", "700.00"),
    ("revenue.fiscal_total", "change", "100.00"),
    ("spending.general_budget", "change_rate", "3.96"),
    ("spending.general_budget.initial_budget", "level", "2000.00"),
    ("spending.general_budget.completion_rate", "level", "105.00"),
    ("item.审计事务行政运行.initial_budget", "level", "1000.00"),  # 行政运行 every 款 has: named with its 款
    ("item.审计事务行政运行.final", "level", "1050.00"),
    ("spending.personnel", "level", "1300.00"),
    ("spending.public", "level", "150.00"),
    ("spending.three_public.adjusted_budget", "level", "10.00"),
    ("spending.three_public", "level", "8.00"),
    ("spending.overseas_trips", "level", "0"),
    ("spending.official_vehicles", "change", "-1.00"),
    ("spending.official_reception", "change_rate", "33.33"),
    ("spending.office_operation", "change_rate", "-6.25"),
    ("procurement.total", "level", "300.00"),
    ("procurement.services", "level", "200.00"),
    ("procurement.sme", "share", "83.33"),
    ("assets.vehicles", "level", "3"),
    ("performance.projects", "level", "10"),
])
def test_template_sentence(found, indicator, measure, value):
    assert (indicator, measure, Decimal(value)) in found


def test_no_department_total_is_confused_with_an_item(found):
    totals = {v for code, m, v in found if code == "spending.total" and m == "level"}
    assert totals == {Decimal("2200.00")}


def test_county_performance_self_evaluation_wording():
    """A 部门整体支出绩效自评报告 in the wording county reports use (synthetic figures)."""
    report = extract(Path(__file__).parent / "fixtures" / "synthetic-county-performance-evaluation.txt")
    assert (report.department, report.year, report.doc_kind) == ("示例县水利局", 2022, "performance_evaluation")
    got = {(f.indicator, f.measure, f.value) for f in report.facts}
    for expected in [("staff.quota", "level", Decimal("35")), ("staff.admin_quota", "level", Decimal("20")),
                     ("staff.actual", "level", Decimal("33")), ("spending.basic", "level", Decimal("856.32")),
                     ("spending.public", "level", Decimal("136.21")), ("budget.total", "level", Decimal("1300")),
                     ("spending.total", "level", Decimal("1279.42")),
                     ("budget.execution_rate", "level", Decimal("98.42")),
                     ("spending.three_public", "change_rate", Decimal("-8.1")),
                     ("evaluation.score", "level", Decimal("92.6"))]:
        assert expected in got, expected
    outputs = {f.indicator: f for f in report.facts if f.indicator.startswith("output.")}
    assert outputs["output.惠及群众"].value == Decimal("12000") and outputs["output.惠及群众"].unit == "人"
