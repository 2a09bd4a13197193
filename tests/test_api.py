"""The Python API as a notebook uses it: ingest files, run canned queries and SQL, get DataFrames and charts."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl
import pytest

from yearwise import ReadOnlyError, Warehouse, expand_paths

try:  # tests/ on sys.path (pytest's default import mode)
    from test_queries import build_warehouse
except ImportError:  # tests as a package
    from tests.test_queries import build_warehouse

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def sample_wh(tmp_path_factory) -> Warehouse:
    """A warehouse with the bundled real Beijing report loaded through Warehouse.ingest."""
    wh = Warehouse(tmp_path_factory.mktemp("api") / "sample.duckdb")
    summary = wh.ingest(str(SAMPLE / "*.txt"))
    assert summary.ok, summary.to_frame()
    return wh


@pytest.fixture(scope="module")
def small_wh(tmp_path_factory) -> Warehouse:
    return Warehouse(build_warehouse(tmp_path_factory.mktemp("api") / "small.duckdb"))


def test_ingest_sample_then_again_is_unchanged(sample_wh):
    row = sample_wh.ingest(SAMPLE).rows[0]
    assert row.status == "unchanged" and row.facts > 0
    assert row.department == "中关村科技园区朝阳园管理委员会" and row.year == 2023


def test_ingest_bad_file_fails_alone(tmp_path):
    good = tmp_path / "reports" / "good.txt"
    good.parent.mkdir()
    good.write_bytes((next(SAMPLE.glob("*.txt"))).read_bytes())
    (tmp_path / "reports" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "reports" / "README.md").write_text("not a report")
    (tmp_path / "reports" / "labels.jsonl").write_text("{}")
    seen = []
    wh = Warehouse(tmp_path / "w.duckdb")
    summary = wh.ingest([tmp_path / "reports", tmp_path / "missing.txt"],
                        progress=lambda done, total, row: seen.append((done, total)))
    by_name = {Path(r.file).name: r for r in summary.rows}
    assert set(by_name) == {"good.txt", "broken.pdf", "missing.txt"}  # README and .jsonl skipped
    assert by_name["good.txt"].status == "loaded" and by_name["good.txt"].facts > 0
    assert by_name["broken.pdf"].failed and "\n" not in by_name["broken.pdf"].error
    assert by_name["missing.txt"].status_text == "failed: no such file or folder"
    assert seen[-1] == (3, 3) and not summary.ok
    assert summary.to_frame().height == 3
    assert wh.run("coverage").height > 0


def test_expand_paths_files_folders_globs(tmp_path):
    (tmp_path / "a" / "labels").mkdir(parents=True)
    for name in ("x.txt", "y.HTML", "z.docx", "notes.md", "a/labels/l.txt", "README.txt"):
        (tmp_path / "a" / name).write_text("x") if "/" not in name else (tmp_path / name).write_text("x")
    names = sorted(p.name for p in expand_paths(tmp_path / "a"))
    assert names == ["x.txt", "y.HTML", "z.docx"]
    assert [p.name for p in expand_paths(str(tmp_path / "a" / "*.txt"))] == ["x.txt"]
    assert len(expand_paths([tmp_path / "a" / "x.txt", tmp_path / "a"])) == 3  # deduplicated


def test_run_returns_polars(sample_wh, small_wh):
    df = sample_wh.run("budget_trend")
    assert isinstance(df, pl.DataFrame) and df.height > 0
    assert {"department", "year", "indicator", "value", "change", "change_rate"} <= set(df.columns)
    quoted = small_wh.run("budget_trend", department="示例'引号'管理局", from_year=2021)
    assert set(quoted["department"]) == {"示例'引号'管理局"}


def test_sql_is_read_only_unless_write(small_wh):
    n = small_wh.sql("select count(*) as n from facts")["n"][0]
    with pytest.raises(ReadOnlyError, match="--write"):
        small_wh.sql("delete from facts")
    with pytest.raises(ReadOnlyError):
        small_wh.sql("select 1; drop view facts")
    for stmt in ("insert into x values (1)", "update facts set value = 0", "create table t(a int)", "checkpoint",
                 "pragma threads=1", "explain analyze delete from facts", "install httpfs", "set threads=1",
                 "alter table t add column b int", "copy facts to 'x.csv'", "attach 'x.duckdb' as x"):
        with pytest.raises(ReadOnlyError):
            small_wh.sql(stmt)
    assert small_wh.sql("select count(*) as n from facts")["n"][0] == n
    out = small_wh.sql("create table notes as select 1 as a; select count(*) as n from notes", write=True)
    assert out["n"][0] == 1


def test_chart_departments_indicators_engine(sample_wh):
    assert isinstance(sample_wh.chart("budget_trend"), alt.Chart)
    deps = sample_wh.departments()
    assert deps["department"].to_list() == ["中关村科技园区朝阳园管理委员会"]
    ind = sample_wh.indicators()
    assert "budget.total" in ind["indicator"].to_list()
    import sqlalchemy as sa

    with sample_wh.engine.connect() as c:
        assert c.execute(sa.text("select count(*) from facts")).scalar() > 0


def test_reading_a_missing_warehouse_is_a_clear_error(tmp_path):
    import warehouse

    with pytest.raises(warehouse.WarehouseError, match="no warehouse file"):
        Warehouse(tmp_path / "typo.duckdb").run("coverage")
    assert not (tmp_path / "typo.duckdb").exists()


def test_reads_work_while_this_process_holds_the_file_writable(small_wh):
    import warehouse

    con = warehouse.connect(small_wh.path)  # e.g. a notebook's own connection
    try:
        assert small_wh.run("coverage").height > 0
        with pytest.raises(ReadOnlyError):
            small_wh.sql("delete from facts")
    finally:
        con.close()


def test_unknown_doc_kind_is_refused(tmp_path):
    from yearwise import YearwiseError

    with pytest.raises(YearwiseError, match="unknown document kind 'annual'"):
        Warehouse(tmp_path / "k.duckdb").ingest(SAMPLE, doc_kind="annual")


def test_in_memory_warehouse(tmp_path):
    wh = Warehouse(":memory:")
    assert wh.ingest(SAMPLE).ok
    assert wh.run("budget_trend").height > 0
    with pytest.raises(ReadOnlyError):
        wh.sql("explain analyze delete from facts")


def test_department_param_accepts_any_known_spelling(sample_wh):
    canonical = "中关村科技园区朝阳园管理委员会"
    for spelling in ("中关村科技园区朝阳园管委会", "中關村科技園區朝陽園管理委員會", " 中关村科技园区朝阳园管理委员会"):
        df = sample_wh.run("budget_trend", department=spelling)
        assert set(df["department"]) == {canonical}, spelling
    assert sample_wh.run("budget_trend", department="没有这个部门").height == 0
    assert "aliases" in sample_wh.departments().columns
