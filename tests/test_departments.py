"""Department names: canonical spelling, aliases that land on one department, region guesses."""

from __future__ import annotations

import pytest

from yearwise import warehouse
from yearwise.warehouse.departments import ALIAS_FOLDS, canonical_department, department_id, kind_of, region_of
try:  # tests/ on sys.path (pytest's default import mode)
    from test_load import make_report
except ImportError:  # tests as a package
    from tests.test_load import make_report


@pytest.mark.parametrize("spelling", [
    "上海市普陀区规划和自然资源局",
    "上海市普陀区规划与自然资源局",
    "上海市普陀区规划及自然资源局",
    " 上海市 普陀區\u3000規劃與自然資源局 ",  # traditional characters, ideographic and ASCII spaces
])
def test_spellings_fold_to_one_canonical_name(spelling):
    assert canonical_department(spelling) == "上海市普陀区规划和自然资源局"


def test_folds_leave_other_words_alone():
    assert canonical_department("北京市朝阳区发展和改革委员会") == "北京市朝阳区发展和改革委员会"
    assert canonical_department("中华人民共和国海关总署") == "中华人民共和国海关总署"
    assert canonical_department("以及") == "以及"
    assert canonical_department("中关村科技园区朝阳园管委会") == "中关村科技园区朝阳园管理委员会"
    assert all(len(row) == 2 for row in ALIAS_FOLDS)


@pytest.mark.parametrize("name, region", [
    ("上海市普陀区规划和自然资源局", "上海市普陀区"),
    ("北京市朝阳区财政局", "北京市朝阳区"),
    ("江苏省财政厅", "江苏省"),
    ("浙江省杭州市西湖区民政局", "浙江省杭州市西湖区"),
    ("上海市浦东新区卫生健康委员会", "上海市浦东新区"),
    ("广西壮族自治区南宁市发展和改革委员会", "广西壮族自治区南宁市"),
    ("深圳市财政局", "深圳市"),
    ("中关村科技园区朝阳园管理委员会", None),
    ("北京市", None),
])
def test_region_of(name, region):
    assert region_of(name) == region


def test_kind_of():
    assert kind_of("上海市普陀区规划与自然资源局") == "bureau"
    assert kind_of("中关村科技园区朝阳园管委会") == "committee"
    assert kind_of("北京市海淀区人民政府办公室") == "office"


def test_aliases_map_to_one_department_across_years(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    a = warehouse.load_report(con, make_report("2022", department="上海市普陀区规划和自然资源局", year=2022))
    b = warehouse.load_report(con, make_report("2023", department="上海市普陀区规划与自然资源局", year=2023))
    c = warehouse.load_report(con, make_report("2024", department="上海市普陀區規劃與自然資源局", year=2024))
    assert a.department == b.department == c.department == "上海市普陀区规划和自然资源局"
    assert con.execute("SELECT name, region, kind FROM department").fetchall() == [
        ("上海市普陀区规划和自然资源局", "上海市普陀区", "bureau")]
    assert sorted(a for (a,) in con.execute("SELECT alias FROM department_alias").fetchall()) == sorted([
        "上海市普陀区规划和自然资源局", "上海市普陀区规划与自然资源局", "上海市普陀區規劃與自然資源局"])
    assert con.execute("SELECT department, list(DISTINCT year ORDER BY year) FROM facts GROUP BY 1").fetchall() == [
        ("上海市普陀区规划和自然资源局", [2022, 2023, 2024])]
    con.close()


def test_a_manual_alias_merges_names_the_folds_cannot_know(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.add_alias(con, "普陀区规土局", "上海市普陀区规划和自然资源局")
    dep = department_id(con, "普陀区规土局")
    assert dep == department_id(con, "上海市普陀区规划与自然资源局")
    assert con.execute("SELECT count(*) FROM department").fetchall() == [(1,)]
    assert department_id(con, None) is None and department_id(con, "  ") is None
    con.close()


def test_party_organs_named_both_ways_are_one_department():
    from yearwise.warehouse.departments import canonical_department
    names = ["中国共产党江苏省委员会办公厅", "中共江苏省委办公厅", "江苏省委办公厅"]
    assert {canonical_department(n) for n in names} == {"江苏省委办公厅"}
    assert canonical_department("中共中央办公厅") == "中共中央办公厅"  # no province/city/district: left alone


def test_congress_and_consultative_offices_named_in_full_or_short_are_one_department():
    """人民代表大会常务委员会 is written 人大常委会, and its office 人大办公厅 as often; 中国人民政治协商会议X委员会 is X政协."""
    congress = ["江苏省人民代表大会常务委员会办公厅", "江苏省人大常委会办公厅", "江苏省人大办公厅"]
    assert {canonical_department(n) for n in congress} == {"江苏省人大常委会办公厅"}
    cppcc = ["中国人民政治协商会议江苏省委员会办公厅", "江苏省政协办公厅"]
    assert {canonical_department(n) for n in cppcc} == {"江苏省政协办公厅"}
    assert canonical_department("全国人大常委会办公厅") == "全国人大常委会办公厅"
    assert canonical_department("江苏省人大常委会法制工作委员会") == "江苏省人大常委会法制工作委员会"
