"""The demo warehouse: real sample plus synthetic reports, loaded, queryable, synthetic rows recognisable."""

from __future__ import annotations

import pytest

from yearwise import Warehouse
from yearwise.demo import build_demo, origins, sample_dir


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    return build_demo(base / "demo.duckdb", workdir=base)


def test_build_demo_returns_a_loaded_warehouse(demo, tmp_path):
    assert isinstance(demo, Warehouse)
    assert demo.demo_summary.ok
    trend = demo.run("budget_trend")
    assert trend["department"].n_unique() >= 5
    assert trend["year"].n_unique() >= 6


def test_real_and_synthetic_are_told_apart(demo):
    real = list(sample_dir().glob("*.txt"))
    assert real, "data/sample holds the bundled real report"
    o = origins(demo)
    synthetic = o.filter(o["origin"] == "synthetic")["department"].to_list()
    assert len(synthetic) >= 5 and all("示例" in d for d in synthetic)
    real_depts = o.filter(o["origin"] == "real")["department"].to_list()
    assert any("中关村科技园区朝阳园" in d for d in real_depts)
    # the real report's facts come from the bundled file, the synthetic ones from generated files
    src = demo.sql("SELECT DISTINCT department, source FROM facts")
    for dept, source in src.iter_rows():
        assert ("示例" in dept) == ("synthetic-" in source), (dept, source)


def test_rebuild_replaces_the_db(tmp_path):
    db = tmp_path / "d.duckdb"
    first = build_demo(db, workdir=tmp_path).sql("SELECT count(*) AS n FROM facts")["n"][0]
    second = build_demo(db, workdir=tmp_path).sql("SELECT count(*) AS n FROM facts")["n"][0]
    assert first == second > 0
