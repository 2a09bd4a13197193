"""The warehouse through SQLAlchemy: engine on the same file, pandas/polars readers, Core selects, inspector."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import polars as pl
import pytest
import sqlalchemy as sa

from yearwise import warehouse
from yearwise.warehouse.schema import fact, report
try:  # tests/ on sys.path (pytest's default import mode)
    from test_load import make_report
except ImportError:  # tests as a package
    from tests.test_load import make_report


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    con = warehouse.connect(path)
    warehouse.load_report(con, make_report("a", values=(Decimal("26667.28"), Decimal("1234.5"))))
    con.close()
    return path


def test_pandas_read_sql(db):
    eng = warehouse.engine(db)
    df = pd.read_sql("SELECT department, indicator, value FROM facts ORDER BY value", eng)
    assert list(df.columns) == ["department", "indicator", "value"]
    assert df["value"].tolist() == [1234.5, 26667.28]  # pandas' default coerce_float=True makes floats
    exact = pd.read_sql("SELECT value FROM facts ORDER BY value", eng, coerce_float=False)
    assert exact["value"].tolist() == [Decimal("1234.5"), Decimal("26667.28")]


def test_polars_read_database(db):
    eng = warehouse.engine(db)
    with eng.connect() as c:
        df = pl.read_database("SELECT indicator, value FROM facts ORDER BY value", c)
    assert df.height == 2 and df["indicator"].to_list() == ["spending.project", "spending.basic"]


def test_core_select_from_the_fact_table(db):
    eng = warehouse.engine(db)
    q = (sa.select(fact.c.indicator_code, fact.c.value, report.c.source)
         .join_from(fact, report)  # the declared foreign key gives the join condition
         .where(report.c.status == "current", fact.c.value > 2000))
    with eng.connect() as c:
        rows = c.execute(q).all()
    assert rows == [("spending.basic", Decimal("26667.28"), "reports/a.txt")]


def test_inspector_lists_tables_and_columns(db):
    insp = sa.inspect(warehouse.engine(db))
    assert set(insp.get_table_names()) >= set(warehouse.metadata.tables)
    assert {"facts", "all_facts"} <= set(insp.get_view_names())
    cols = insp.get_columns("fact")
    assert [c["name"] for c in cols] == [c.name for c in fact.columns]
    value = next(c for c in cols if c["name"] == "value")
    assert isinstance(value["type"], sa.Numeric) and (value["type"].precision, value["type"].scale) == (26, 12)
    assert [c["name"] for c in insp.get_columns("facts")][:3] == ["department", "year", "indicator"]


def test_engine_and_connect_share_the_file_in_one_process(db):
    con = warehouse.connect(db)  # a writable connection held open, as the CLI/API does
    eng = warehouse.engine(db)
    with eng.begin() as c:
        c.execute(sa.update(report).values(parser_version="test"))
    assert con.sql("SELECT parser_version FROM report").fetchall() == [("test",)]
    assert pd.read_sql("SELECT count(*) AS n FROM facts", eng)["n"].tolist() == [2]
    con.close()


def test_engine_holds_no_lock_between_uses(db):
    eng = warehouse.engine(db)
    pd.read_sql("SELECT 1 AS x", eng)
    import subprocess
    import sys

    code = f"from yearwise import warehouse; warehouse.connect({str(db)!r}).close()"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
