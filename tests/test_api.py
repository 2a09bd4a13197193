"""The Python API as a notebook uses it: ingest files, run canned queries and SQL, get DataFrames and charts."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl
import pytest

from yearwise import ReadOnlyError, Warehouse, expand_paths
from yearwise.params import ParamError

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
    from yearwise import warehouse

    with pytest.raises(warehouse.WarehouseError, match="no warehouse file"):
        Warehouse(tmp_path / "typo.duckdb").run("coverage")
    assert not (tmp_path / "typo.duckdb").exists()


def test_reads_work_while_this_process_holds_the_file_writable(small_wh):
    from yearwise import warehouse

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
    with pytest.raises(ParamError, match="没有这个部门"):  # an unknown name is an error, not an empty answer
        sample_wh.run("budget_trend", department="没有这个部门")
    assert "aliases" in sample_wh.departments().columns


# -- ingest in batches: several files to a transaction, each file atomic -----------------------------------


def _rows(summary) -> list[tuple]:
    return [(Path(r.file).name, r.status, r.facts, r.department, r.year, r.doc_kind, r.superseded, r.error)
            for r in summary.rows]


def test_batched_ingest_matches_file_by_file(tmp_path, monkeypatch):
    import yearwise.api as api
    from yearwise.synthetic import generate_many

    files = generate_many(tmp_path / "reports", 30, seed=3)
    (tmp_path / "reports" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / files[0].name).write_bytes(files[0].read_bytes())  # the same bytes again
    paths = [*files[:10], tmp_path / "reports" / "broken.pdf", tmp_path / "missing.txt", *files[10:],
             tmp_path / "copy" / files[0].name]

    monkeypatch.setattr(api, "INGEST_BATCH", 1)
    one = Warehouse(tmp_path / "one.duckdb").ingest(paths)
    monkeypatch.setattr(api, "INGEST_BATCH", 7)
    seen = []
    batched = Warehouse(tmp_path / "batched.duckdb").ingest(paths,
                                                           progress=lambda d, t, row: seen.append((d, t, row.file)))
    assert _rows(batched) == _rows(one)
    assert seen == [(i, len(paths), r.file) for i, r in enumerate(batched.rows, 1)]  # every row, in order
    statuses = [r.status for r in batched.rows]
    assert statuses.count("failed") == 2 and statuses[-1] == "unchanged" and statuses.count("loaded") == 30
    q = "SELECT source, count(*) AS n FROM facts GROUP BY source ORDER BY source"
    assert Warehouse(tmp_path / "batched.duckdb").sql(q).equals(Warehouse(tmp_path / "one.duckdb").sql(q))


KILLED_INGEST = """
import sys
import yearwise.api as api
from yearwise import Warehouse
api.INGEST_BATCH = 4
def progress(done, total, row):
    print(row.status, row.file, flush=True)
Warehouse({db!r}).ingest({folder!r}, progress=progress)
print("finished", flush=True)
"""


def test_killed_ingest_keeps_every_committed_file(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from yearwise import ingest
    from yearwise import warehouse
    from yearwise.synthetic import generate_many

    generate_many(tmp_path / "reports", 300, seed=5)
    db = str(tmp_path / "w.duckdb")
    code = KILLED_INGEST.format(repo=str(Path(__file__).resolve().parents[1]), db=db, folder=str(tmp_path / "reports"))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reported = []
    try:
        while len(reported) < 12:
            line = child.stdout.readline()
            assert line and not line.startswith("finished"), child.stderr.read()
            status, file = line.split(maxsplit=1)
            reported.append((status, file.strip()))
        with pytest.raises(warehouse.WarehouseBusy):  # another process meanwhile: busy, one line
            warehouse.connect(db)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    con = warehouse.connect(db)
    try:
        in_db = dict(con.execute("SELECT r.source, count(f.fact_id) FROM report r LEFT JOIN fact f USING (report_id) "
                                 "GROUP BY ALL").fetchall())
    finally:
        con.close()
    assert all(status == "loaded" for status, _ in reported)
    assert {file for _, file in reported} <= set(in_db)  # reported as loaded: committed
    assert len(in_db) < 300
    for source, n in in_db.items():  # and every document there is whole
        assert n == len(ingest.extract(source).facts), source
