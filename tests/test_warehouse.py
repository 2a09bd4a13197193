"""The warehouse file: schema from the MetaData, migrations, views, busy/missing files, export."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from yearwise import warehouse
from yearwise.warehouse import migrations, schema
try:  # tests/ on sys.path (pytest's default import mode)
    from test_load import make_report
except ImportError:  # tests as a package
    from tests.test_load import make_report

REPO = Path(__file__).resolve().parents[1]

FACTS_COLUMNS = ["department", "year", "indicator", "indicator_name", "measure", "value", "unit", "period", "scope",
                 "approximate", "quote", "source", "source_path", "section", "doc_kind", "region", "report_year", "compared_to",
                 "rule", "start_offset", "end_offset", "sha256", "category", "report_id", "entity_level", "raw_value",
                 "raw_unit", "page", "table", "row_code", "row_label", "column", "x0", "y0", "x1", "y1",
                 "checks_failed"]


def test_connect_creates_the_star_schema_from_the_metadata(tmp_path):
    db = tmp_path / "new.duckdb"
    con = warehouse.connect(db)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_type = 'BASE TABLE'").fetchall()}
    assert tables == set(schema.metadata.tables) == set(schema.TABLES)
    for table in schema.metadata.sorted_tables:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table.name}").fetchall()]
        assert cols == [c.name for c in table.columns]
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'fact'").fetchall())
    assert types["value"] == "DECIMAL(26,12)" and types["approximate"] == "BOOLEAN"  # precision as written (issue 12)
    indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {"ix_fact_star", "ix_fact_report", "ix_report_key"} <= indexes
    assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(warehouse.SCHEMA_VERSION,)]
    assert con.sql("SELECT * FROM facts").columns == FACTS_COLUMNS
    assert con.sql("SELECT * FROM all_facts").columns == FACTS_COLUMNS + ["status"]
    # the connection comes back ready for the caller's sql()/register() (no result left open)
    assert con.sql("SELECT count(*) FROM facts").fetchall() == [(0,)]
    con.close()
    # reopening is a no-op for the schema
    con = warehouse.connect(db)
    assert con.execute("SELECT count(*) FROM schema_version").fetchall() == [(warehouse.SCHEMA_VERSION,)]
    con.close()


def test_report_status_is_checked(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO report (sha256, source, doc_kind, status) VALUES ('x', 'x', 'budget', 'deleted')")
    con.close()


def test_default_path_comes_from_YEARWISE_DB(tmp_path, monkeypatch):
    monkeypatch.setenv("YEARWISE_DB", str(tmp_path / "env.duckdb"))
    warehouse.connect().close()
    assert (tmp_path / "env.duckdb").exists()
    monkeypatch.delenv("YEARWISE_DB")
    monkeypatch.chdir(tmp_path)
    assert warehouse.default_path() == "yearwise.duckdb"


def test_read_only_connect_of_a_missing_file_is_a_one_line_error(tmp_path):
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(warehouse.WarehouseError) as e:
        warehouse.connect(missing, read_only=True)
    assert str(e.value) == f"{missing}: no warehouse file there (nothing has been loaded yet)"
    assert not missing.exists()


def test_not_a_database_is_a_one_line_error(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a duckdb file" * 1000)
    with pytest.raises(warehouse.WarehouseError) as e:
        warehouse.connect(junk)
    assert "\n" not in str(e.value) and str(e.value).startswith(str(junk))


def test_read_only_connection_reads_and_refuses_writes(tmp_path):
    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    warehouse.load_report(con, make_report("a"))
    con.close()
    ro = warehouse.connect(db, read_only=True)
    assert ro.sql("SELECT count(*) FROM facts").fetchall() == [(2,)]
    with pytest.raises(duckdb.Error):
        ro.execute("DELETE FROM fact")
    ro.close()


HOLDER = textwrap.dedent("""
    import sys, time
    from yearwise import warehouse
    con = warehouse.connect({db!r})
    print("holding", flush=True)
    time.sleep(60)
""")


def test_a_second_process_writing_makes_the_warehouse_busy(tmp_path):
    db = str(tmp_path / "busy.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(repo=str(REPO), db=db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        for read_only in (False, True):
            with pytest.raises(warehouse.WarehouseBusy) as e:
                warehouse.connect(db, read_only=read_only)
            assert str(e.value) == (f"{db}: warehouse is busy (another yearwise process is writing to it); "
                                    "try again when it finishes")
            assert e.value.path == db and isinstance(e.value, warehouse.WarehouseError)
    finally:
        holder.kill()
        holder.wait()
    warehouse.connect(db).close()  # free again once the holder is gone


def test_same_process_mixed_modes_is_a_clear_error(tmp_path):
    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    with pytest.raises(warehouse.WarehouseError, match="already open writable in this process"):
        warehouse.connect(db, read_only=True)
    second = warehouse.connect(db)  # same mode shares the open database
    assert second.sql("SELECT count(*) FROM report").fetchall() == [(0,)]
    second.close()
    con.close()


def _v1_file(path) -> None:
    """A warehouse as the first release wrote it: tables only, schema_version 1, no indexes."""
    con = duckdb.connect(str(path))
    assert migrations.migrate(con, target=1) == [1]
    con.close()


def test_a_v1_file_opens_under_the_current_code(tmp_path):
    db = tmp_path / "v1.duckdb"
    _v1_file(db)
    con = duckdb.connect(str(db))
    assert migrations.current_version(con) == 1
    assert not con.execute("SELECT count(*) FROM duckdb_indexes() WHERE index_name LIKE 'ix_%'").fetchall()[0][0]
    con.close()

    con = warehouse.connect(db)
    assert migrations.current_version(con) == warehouse.SCHEMA_VERSION
    assert [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == \
        [v for v, _ in migrations.MIGRATIONS]
    assert con.execute("SELECT count(*) FROM duckdb_indexes() WHERE index_name LIKE 'ix_%'").fetchall()[0][0] == \
        len(schema.index_ddl())  # every declared index, the checks' ones (v4) included
    assert warehouse.load_report(con, make_report("a")).status == "loaded"
    con.close()


def test_a_v1_file_opened_read_only_is_upgraded_first(tmp_path):
    db = tmp_path / "v1.duckdb"
    _v1_file(db)
    ro = warehouse.connect(db, read_only=True)
    assert migrations.current_version(ro) == warehouse.SCHEMA_VERSION
    ro.close()


def test_a_file_from_a_newer_yearwise_is_refused(tmp_path):
    db = tmp_path / "future.duckdb"
    warehouse.connect(db).close()
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version (version) VALUES (?)", [warehouse.SCHEMA_VERSION + 1])
    con.close()
    for read_only in (False, True):
        with pytest.raises(warehouse.WarehouseError, match="newer than this yearwise"):
            warehouse.connect(db, read_only=read_only)


def test_a_failing_migration_rolls_back(tmp_path, monkeypatch):
    db = tmp_path / "v1.duckdb"
    _v1_file(db)

    def broken(con):
        con.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (99, broken)])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 99)
    con = duckdb.connect(str(db))
    with pytest.raises(RuntimeError):
        migrations.migrate(con)
    assert migrations.current_version(con) == 1
    assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'"
                           ).fetchall()[0][0]
    con.close()


def test_export_csv_json_parquet(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.load_report(con, make_report("a", values=(Decimal("26667.28"), Decimal("0.000001"))))
    sql = "SELECT department, year, indicator, value FROM facts WHERE year = ? ORDER BY value"
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / "out" / f"rows.{fmt}"
        assert warehouse.export_query(con, sql, [2023], fmt, out) == 2
    csv = pl.read_csv(tmp_path / "out" / "rows.csv", infer_schema=False)
    assert csv["value"].to_list() == ["0.000001000000", "26667.280000000000"]  # DECIMAL(26,12): exact, scale 12
    rows = json.loads((tmp_path / "out" / "rows.json").read_text(encoding="utf-8"))
    assert rows[1] == {"department": "上海市普陀区规划和自然资源局", "year": 2023, "indicator": "spending.basic",
                       "value": "26667.280000000000"}  # polars writes decimals as exact strings
    pq = pl.read_parquet(tmp_path / "out" / "rows.parquet")
    assert pq["value"].to_list() == [Decimal("0.000001"), Decimal("26667.28")]
    with pytest.raises(ValueError, match="unknown export format"):
        warehouse.export_query(con, sql, [2023], "xlsx", tmp_path / "x.xlsx")
    con.close()


def test_a_v3_file_gains_the_table_cell_columns(tmp_path):
    """v4 adds where a table cell stood; a file written before keeps its facts, the new columns empty."""
    db = tmp_path / "v3.duckdb"
    con = warehouse.connect(db)
    assert warehouse.load_report(con, make_report("a")).status == "loaded"
    con.close()
    con = duckdb.connect(str(db))  # take the file back to v3: the fact table as v3 wrote it
    con.execute("DROP VIEW facts")
    con.execute("DROP VIEW all_facts")
    con.execute("DROP INDEX ix_fact_star")  # DuckDB drops no column of an indexed table
    con.execute("DROP INDEX ix_fact_report")
    for column in ("page", "table", "row_code", "row_label", "column", "x0", "y0", "x1", "y1"):
        con.execute(f'ALTER TABLE fact DROP COLUMN "{column}"')
    for stmt in schema.index_ddl():
        con.execute(stmt)
    con.execute("DELETE FROM schema_version WHERE version > 3")
    con.close()

    con = warehouse.connect(db)
    assert migrations.current_version(con) == warehouse.SCHEMA_VERSION
    assert con.sql("SELECT * FROM facts").columns == FACTS_COLUMNS
    rows = con.execute('SELECT count(*), count(page), count("table"), count(x0) FROM facts').fetchall()
    assert rows[0][0] > 0 and rows[0][1:] == (0, 0, 0)
    assert warehouse.load_report(con, make_report("b", department="示例乙局")).status == "loaded"
    con.close()


def test_the_fact_table_and_views_follow_the_fact_spec():
    """One column spec: every field of ingest's Fact is a column of `fact` and of the views, with its type."""
    from yearwise.ingest.model import FACT_COLUMNS

    stored = dict(schema.fact_storage())
    for c in FACT_COLUMNS:
        if c.name in schema.NOT_STORED:
            continue
        column = schema.fact.columns[stored[c.name]]
        assert column.nullable == c.nullable, c.name
        assert isinstance(column.type, type(schema.SQL_TYPES[c.type]())), c.name
    view = set(FACTS_COLUMNS)
    assert {stored.get(c.name, c.name) if c.name in ("start", "end") else c.name for c in FACT_COLUMNS} <= view
