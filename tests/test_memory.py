"""A long ingest keeps its memory flat: DuckDB's cache of table blocks is dropped past a bound, and the checks after
an ingest run a chunk of departments at a time with the same result as one run over all."""

from __future__ import annotations

import duckdb
import pytest

from yearwise import Warehouse, api
from yearwise.synthetic import generate_many
from yearwise.warehouse import connect
from yearwise.warehouse.memory import cached_mib, trim_cache


@pytest.fixture
def filled(tmp_path):
    """A warehouse file with a table of a few MiB on disk, and its blocks read into DuckDB's cache."""
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT i, 'row ' || i AS label FROM range(2000000) r(i)")
    con.execute("CHECKPOINT")
    con.close()
    con = duckdb.connect(str(path))
    con.execute("SET memory_limit = '3GiB'")
    con.sql("SELECT sum(i), count(DISTINCT label) FROM t").fetchall()
    yield con
    con.close()


def test_trim_drops_cached_blocks_and_keeps_the_limit(filled):
    limit = filled.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit == "3.0 GiB"
    before, _ = cached_mib(filled)
    assert before > 1  # the scan left table blocks in the cache
    assert trim_cache(filled, keep_mib=0)
    after, _ = cached_mib(filled)
    assert after < before / 4
    assert filled.sql("SELECT current_setting('memory_limit')").fetchall()[0][0] == limit  # set back
    assert filled.sql("SELECT count(*) FROM t").fetchall()[0][0] == 2000000  # read again from the file


def test_trim_leaves_a_cache_under_the_bound(filled):
    before, _ = cached_mib(filled)
    assert not trim_cache(filled, keep_mib=int(before) + 1)
    assert cached_mib(filled)[0] == pytest.approx(before)


def test_trim_inside_an_open_transaction_keeps_its_rows(filled):
    filled.begin()
    filled.execute("INSERT INTO t SELECT i, 'new' FROM range(100000) r(i)")
    trim_cache(filled, keep_mib=0)
    filled.commit()
    assert filled.sql("SELECT count(*) FROM t WHERE label = 'new'").fetchall()[0][0] == 100000


def _checks(db) -> list[tuple]:
    con = connect(db, read_only=True)
    try:
        return con.execute('SELECT "check", status, department_id, year, doc_kind, indicator, stated, expected, '
                           '"table", row_code, "column", message FROM checks ORDER BY ALL').fetchall()
    finally:
        con.close()


def test_checks_in_chunks_equal_one_run(tmp_path, monkeypatch):
    reports = generate_many(tmp_path / "reports", 24)
    Warehouse(tmp_path / "one.duckdb").ingest(reports, workers=1)
    monkeypatch.setattr(api, "CHECK_DEPARTMENTS", 1)
    monkeypatch.setattr("yearwise.warehouse.memory.CACHE_MIB", 0)  # and the cache dropped after every batch
    Warehouse(tmp_path / "chunks.duckdb").ingest(reports, workers=1)
    one = _checks(tmp_path / "one.duckdb")
    assert len({row[2] for row in one}) > 1  # several departments were checked
    assert _checks(tmp_path / "chunks.duckdb") == one
