"""Extraction on the bundled Beijing report: the facts an analyst expects, exactly."""

from decimal import Decimal
from pathlib import Path

import pytest

from yearwise.ingest import extract

SAMPLE = next((Path(__file__).resolve().parents[1] / "data" / "sample").glob("*.txt"))


@pytest.fixture(scope="module")
def beijing():
    return extract(SAMPLE)


def levels(report, code):
    return {f.value for f in report.facts if f.indicator == code and f.measure == "level"
            and f.scope == "department" and f.year == 2023}


def test_report_metadata(beijing):
    assert beijing.department == "中关村科技园区朝阳园管理委员会"
    assert beijing.year == 2023
    assert beijing.doc_kind == "performance_evaluation"


@pytest.mark.parametrize("code,value", [
    ("budget.total", "29300.48"), ("budget.basic", "2091.35"), ("budget.project", "27209.13"),
    ("budget.other", "0"), ("spending.total", "29300.48"), ("spending.basic", "2091.35"),
    ("spending.project", "27209.13"), ("budget.execution_rate", "100"), ("budget.initial.basic", "1959.86"),
    ("budget.initial.project", "15723.8"), ("budget.final_variance_rate.basic", "6.71"),
    ("budget.final_variance_rate.project", "73.04"), ("budget.carryover", "0"), ("evaluation.score", "100"),
])
def test_department_levels_are_exactly_these(beijing, code, value):
    assert levels(beijing, code) == {Decimal(value)}


def test_district_economy_is_region_scope_with_period_and_sign(beijing):
    region = [f for f in beijing.facts if f.scope == "region"]
    digital = [f for f in region if f.measure == "level" and f.value == Decimal("24591000")]
    assert digital and digital[0].period == "H1"
    assert any(f.measure == "change_rate" and f.value == Decimal("7.8") and f.period == "H1" for f in region)
    sci = [f for f in region if f.measure == "level" and f.value == Decimal("10482000")]
    assert sci and sci[0].period == "M1-8"
    assert any(f.measure == "change_rate" and f.value == Decimal("-4.9") and f.period == "M1-8" for f in region)
    assert not any(f.scope == "region" for f in beijing.facts if f.indicator.startswith(("budget.", "spending.")))


def test_outputs_are_named_after_what_they_count(beijing):
    outputs = {f.value: f for f in beijing.facts if f.indicator.startswith("output.")}
    assert outputs[Decimal("202")].unit == "个"
    assert outputs[Decimal("11800")].unit == "万元"  # 1.18亿元
    assert outputs[Decimal("1500")].indicator.startswith("output.")


def test_every_fact_traces_back_to_its_quote(beijing):
    text = beijing.document.text
    for f in beijing.facts:
        assert text[f.start:f.end] == f.quote
        assert f.raw_value in f.quote
        assert f.rule and f.section is not None


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])  # (GBK cannot hold its •)
def test_the_same_report_in_another_encoding_gives_the_same_facts(beijing, tmp_path, encoding):
    copy = tmp_path / f"copy-{encoding}.txt"
    copy.write_bytes(SAMPLE.read_text(encoding="utf-8").encode(encoding))
    again = extract(copy)
    assert [(f.indicator, f.value, f.quote) for f in again.facts] == [(f.indicator, f.value, f.quote) for f in beijing.facts]
    assert (again.department, again.year) == (beijing.department, beijing.year)
