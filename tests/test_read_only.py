"""Read-only SQL really is read-only: every statement of the hostile-input campaign (writing CTEs, file and
network reads, extensions, foreign database files) through the CLI and the API, with and without a writable
connection open in the same process, and on ':memory:'. Nothing changes and each refusal is one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from yearwise import ReadOnlyError, Warehouse, YearwiseError, warehouse
from yearwise.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

# item 1: writes hidden in statements that parse as SELECT
WRITING_SELECTS = [
    "WITH d AS (DELETE FROM fact RETURNING *) SELECT count(*) FROM d",
    "WITH d AS (UPDATE fact SET value = 0 RETURNING *) SELECT count(*) FROM d",
    "WITH d AS (INSERT INTO schema_version (version) VALUES (99) RETURNING *) SELECT count(*) FROM d",
    "SELECT (WITH d AS (DELETE FROM report RETURNING 1) SELECT count(*) FROM d) AS n",
    "SELECT 1 UNION ALL (WITH d AS (DELETE FROM fact RETURNING 1) SELECT count(*) FROM d)",
    "SELECT nextval('fact_id_seq')",
    "SELECT * FROM checkpoint()",
    "delete from fact", "update fact set value = 0", "insert into schema_version (version) values (99)",
    "drop view facts", "select 1; delete from fact", "explain analyze delete from fact", "checkpoint",
    "create table t (a int)", "set threads = 1", "pragma threads = 1", "install httpfs", "load httpfs",
    "attach 'other.duckdb' as o", "copy fact to 'out.csv'", "prepare p as delete from fact", "begin",
]
# item 2: reads of the machine and the network, and extensions fetched on the fly
FILE_READS = [
    "select content from read_text('/etc/passwd')",
    "select content from read_text('/proc/self/environ')",
    "select * from read_csv('/etc/passwd')",
    "select content from read_blob('/etc/passwd')",
    "select * from glob('/etc/*')",
    "select * from read_parquet('http://127.0.0.1:9/x.parquet')",
    "select * from sqlite_scan('x.db', 't')",
]


def _counts(path) -> tuple:
    con = duckdb.connect(str(path), read_only=True, config=warehouse.duckdb_config())
    try:
        return con.execute("SELECT (SELECT count(*) FROM fact), (SELECT count(*) FROM report), "
                           "(SELECT max(version) FROM schema_version)").fetchall()[0]
    finally:
        con.close()


@pytest.fixture()
def loaded(tmp_path) -> Warehouse:
    wh = Warehouse(tmp_path / "w.duckdb")
    assert wh.ingest(SAMPLE).ok
    return wh


def _refused(wh: Warehouse, stmt: str) -> str:
    with pytest.raises(YearwiseError) as e:
        wh.sql(stmt)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("refused"), msg
    return msg


@pytest.mark.parametrize("holding", [False, True], ids=["alone", "writable-connection-open"])
def test_api_refuses_every_write_and_file_read(loaded, holding):
    before = _counts(loaded.path)
    holder = warehouse.connect(loaded.path) if holding else None  # a notebook's own writable handle
    try:
        for stmt in WRITING_SELECTS:
            assert "--write" in _refused(loaded, stmt), stmt
        for stmt in FILE_READS:
            msg = _refused(loaded, stmt)
            assert "--allow-files" in msg or "--write" in msg, stmt
        assert loaded.sql("select count(*) as n from facts")["n"][0] == before[0]  # reads still work
    finally:
        if holder is not None:
            holder.close()
    assert _counts(loaded.path) == before


def test_in_memory_warehouse_keeps_its_facts():
    wh = Warehouse(":memory:")
    assert wh.ingest(SAMPLE).ok
    n = wh.sql("select count(*) as n from fact")["n"][0]
    assert n > 0
    for stmt in WRITING_SELECTS + FILE_READS:
        _refused(wh, stmt)
    assert wh.sql("select count(*) as n from fact")["n"][0] == n
    assert wh.sql("describe facts").height > 0  # harmless statements still answer


def test_unprovable_statements_run_only_where_duckdb_enforces_read_only(loaded):
    pivot = "pivot facts on unit using count(*)"
    with pytest.raises(ReadOnlyError):  # DuckDB types PIVOT apart from SELECT: refused as not a read
        loaded.sql(pivot)
    assert loaded.sql("show tables").height > 0 and loaded.sql("summarize fact").height > 0


def test_write_is_the_only_way_to_change_data(loaded):
    n = loaded.sql("select count(*) as n from fact")["n"][0]
    out = loaded.sql("WITH d AS (DELETE FROM fact WHERE fact_id < 0 RETURNING *) SELECT count(*) AS n FROM d",
                     write=True)
    assert out["n"][0] == 0
    assert loaded.sql("select count(*) as n from fact")["n"][0] == n
    for stmt in ("copy (select 1) to 'x.csv'", "attach 'other.duckdb' as o", FILE_READS[0]):
        with pytest.raises(YearwiseError, match="--allow-files"):  # --write is no licence to reach files
            loaded.sql(stmt, write=True)


def test_allow_files_opts_in(tmp_path, loaded):
    target = tmp_path / "note.txt"
    target.write_text("hello", encoding="utf-8")
    wh = Warehouse(loaded.path, allow_files=True)
    assert wh.sql(f"select content from read_text('{target}')")["content"][0] == "hello"
    with pytest.raises(ReadOnlyError):  # file access is no licence to write
        wh.sql("WITH d AS (DELETE FROM fact RETURNING *) SELECT count(*) FROM d")


# -- CLI ------------------------------------------------------------------------------------


def _one_line_failure(r) -> str:
    assert r.exit_code != 0, r.stdout
    err = r.stderr
    assert "Traceback" not in err + r.stdout and err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.mark.parametrize("holding", [False, True], ids=["alone", "writable-connection-open"])
def test_cli_refuses_every_write_and_file_read(loaded, holding):
    before = _counts(loaded.path)
    runner = CliRunner()
    holder = warehouse.connect(loaded.path) if holding else None
    try:
        for stmt in WRITING_SELECTS + FILE_READS:
            _one_line_failure(runner.invoke(app, ["--db", loaded.path, "sql", stmt]))
    finally:
        if holder is not None:
            holder.close()
    assert _counts(loaded.path) == before


def test_cli_in_its_own_process_refuses_the_writing_cte(loaded):
    before = _counts(loaded.path)
    for stmt in (WRITING_SELECTS[0], FILE_READS[0]):
        p = subprocess.run([sys.executable, "-m", "yearwise.cli", "--db", loaded.path, "sql", stmt],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 1 and p.stderr.startswith("error: refused") and p.stderr.count("\n") == 1, p.stderr
    assert _counts(loaded.path) == before


def test_sql_starting_with_a_comment_is_no_option(loaded):
    r = CliRunner().invoke(app, ["--db", loaded.path, "sql", "-- how many\nselect count(*) as n from facts",
                                 "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "n" and int(r.stdout.splitlines()[1]) > 0


# -- item 3: foreign files are never migrated ----------------------------------------------------


def test_a_foreign_duckdb_file_is_refused_and_left_alone(tmp_path):
    theirs = tmp_path / "their.duckdb"
    con = duckdb.connect(str(theirs))
    con.execute("CREATE TABLE mine (a INTEGER)")
    con.close()
    runner = CliRunner()
    for args in (["sql", "select 1"], ["run", "coverage"], ["departments"],
                 ["ingest", str(SAMPLE)], ["sql", "--write", "create table x (a int)"]):
        err = _one_line_failure(runner.invoke(app, ["--db", str(theirs), *args]))
        assert "not a yearwise warehouse" in err, err
    with pytest.raises(warehouse.WarehouseError, match="not a yearwise warehouse"):
        Warehouse(theirs).sql("select 1")
    con = duckdb.connect(str(theirs), read_only=True)
    assert [t for (t,) in con.execute("SHOW TABLES").fetchall()] == ["mine"]
    con.close()


def test_an_empty_duckdb_file_is_not_created_in_by_a_read(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    err = _one_line_failure(CliRunner().invoke(app, ["--db", str(empty), "sql", "select 1"]))
    assert "yearwise ingest" in err
    con = duckdb.connect(str(empty), read_only=True)
    assert con.execute("SHOW TABLES").fetchall() == []
    con.close()


def test_an_sqlite_file_as_db_is_named_and_fetches_nothing(tmp_path):
    lite = tmp_path / "x.db"
    import sqlite3

    c = sqlite3.connect(lite)
    c.execute("create table t (a int)")
    c.commit()
    c.close()
    size = lite.stat().st_size
    err = _one_line_failure(CliRunner().invoke(app, ["--db", str(lite), "sql", "select 1"]))
    assert "SQLite database" in err
    assert lite.stat().st_size == size


READER = """
import sys, time, duckdb
from yearwise import warehouse
con = warehouse.connect(sys.argv[1], read_only=True)
print("reading", flush=True)
time.sleep(60)
"""


def test_busy_says_another_process_is_reading(loaded):
    holder = subprocess.Popen([sys.executable, "-c", READER, loaded.path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "reading", holder.stderr.read()
        with pytest.raises(warehouse.WarehouseBusy, match="another process is reading it") as e:
            warehouse.connect(loaded.path)
        assert e.value.reading
        r = CliRunner().invoke(app, ["--db", loaded.path, "ingest", str(SAMPLE)])
        assert r.exit_code == 2 and "reading" in r.stderr and r.stderr.count("\n") == 1
        assert loaded.sql("select count(*) as n from facts")["n"][0] > 0  # reading beside a reader is fine
    finally:
        holder.kill()
        holder.wait()
