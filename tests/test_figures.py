"""The `figure` table (warehouse.figures): the canned queries' picks, kept equal to picks made afresh from the facts,
reports and checks, however the warehouse was written (ingest in steps, checks, ad-hoc SQL, a bare connection)."""

from __future__ import annotations

import shutil

import duckdb
import polars as pl
import pytest

from yearwise import Warehouse, warehouse
from yearwise.queries import run_query
from yearwise.synthetic import generate
from yearwise.warehouse import figures



@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Synthetic 部门决算 and 绩效评价 files: five departments, several years (a reorganised one among them)."""
    return sorted(generate(tmp_path_factory.mktemp("synthetic"), departments=5))


def _table(path, table: str = "figure") -> pl.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return pl.DataFrame(con.sql(f"SELECT * FROM {table} ORDER BY ALL"))
    finally:
        con.close()


def _rebuilt_file(path, tmp_path):
    """A copy of the warehouse with its derived tables made afresh."""
    copy = tmp_path / "rebuilt.duckdb"
    shutil.copy(path, copy)
    con = warehouse.connect(str(copy))
    try:
        figures.refresh(con)
    finally:
        con.close()
    return copy


def _rebuilt(path, tmp_path, table: str = "figure") -> pl.DataFrame:
    """A derived table made afresh from the whole warehouse, on a copy."""
    return _table(_rebuilt_file(path, tmp_path), table)


def test_ingest_in_steps_and_checks_leave_the_same_picks_as_a_rebuild(reports, tmp_path):
    db = tmp_path / "w.duckdb"
    wh = Warehouse(str(db))
    sector = lambda p: p.name.removeprefix("synthetic-").rsplit("-", 2)[0]  # noqa: E731  (…-2022-final.txt)
    last = sorted({sector(p) for p in reports})[-1]
    wh.ingest([p for p in reports if sector(p) != last])
    later = [p for p in reports if sector(p) == last]
    wh.ingest(later[:1])
    wh.ingest(later[1:])  # one department of five, in steps: only its rows are made again (priors, picks)
    department = wh.sql("SELECT DISTINCT department FROM facts ORDER BY 1")["department"][0]
    wh.check(department=department)  # one department's checks again: its rows alone
    got = _table(db)
    assert got.height > 100 and got.filter(pl.col("prior_value").is_not_null()).height > 20
    assert got.equals(_rebuilt(db, tmp_path))
    for derived in figures.DERIVED[1:]:  # the budget pivot and the coverage counts, likewise
        rows = _table(db, derived.table)
        assert rows.height > 10 and rows.equals(_rebuilt(db, tmp_path, derived.table)), derived.table
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert figures.stored_stamp(con) == figures.stamp(con)
        # every picked figure names a fact of a current report with that value: provenance is kept
        assert con.sql("SELECT count(*) FROM figure g JOIN fact f USING (fact_id) JOIN report r "
                       "ON r.report_id = f.report_id WHERE f.value <> g.value OR r.status <> 'current' "
                       "OR g.report_id <> f.report_id").fetchall()[0][0] == 0
    finally:
        con.close()


def test_an_ad_hoc_write_is_seen_by_the_next_query(reports, tmp_path):
    wh = Warehouse(str(tmp_path / "w.duckdb"))
    wh.ingest(reports[:6])
    before = wh.run("budget_trend")
    row = before.row(0, named=True)
    # a value changed by hand: no count or id moves, so only `sql --write` can say the picks are stale
    wh.sql("UPDATE fact SET value = value + 1 WHERE fact_id IN (SELECT fact_id FROM facts WHERE department = $d "
           "AND year = $y AND indicator = $i)", write=True,
           params={"d": row["department"], "y": row["year"], "i": row["indicator"]})
    after = wh.run("budget_trend").filter((pl.col("department") == row["department"]) & (pl.col("year") == row["year"])
                                          & (pl.col("indicator") == row["indicator"]))
    assert after["value"][0] == row["value"] + 1


def test_a_stale_table_is_rebuilt_in_the_file_or_for_a_read_only_connection_alone(reports, tmp_path):
    db = tmp_path / "w.duckdb"
    Warehouse(str(db)).ingest(reports[:6])
    con = warehouse.connect(str(db))
    try:  # a bare connection supersedes one report behind yearwise's back: the stamp sees the report change
        rid, _ = con.execute("SELECT report_id, department_id FROM report WHERE doc_kind = 'final_accounts' "
                                "ORDER BY report_id LIMIT 1").fetchall()[0]
        con.execute("UPDATE report SET status = 'superseded' WHERE report_id = ?", [rid])
    finally:
        con.close()
    stale = _table(db)
    assert stale.filter(pl.col("report_id") == rid).height > 0

    ro = duckdb.connect(str(db), read_only=True)
    try:
        trend = run_query(ro, "budget_trend")  # built as a temporary table: the file stays as it was
        assert not pl.DataFrame(ro.sql("SELECT * FROM figure WHERE report_id = $r", params={"r": rid})).height
        assert trend.height > 0
    finally:
        ro.close()
    assert _table(db).equals(stale)

    con = warehouse.connect(str(db))
    try:
        run_query(con, "budget_trend")  # writable: rebuilt in the file
    finally:
        con.close()
    fresh = _table(db)
    assert fresh.filter(pl.col("report_id") == rid).height == 0
    assert fresh.equals(_rebuilt(db, tmp_path))


def test_a_doubted_value_is_picked_last_once_a_check_fails_it(tmp_path):
    from test_queries import _report

    db = tmp_path / "w.duckdb"
    con = warehouse.connect(str(db))
    try:
        for r in (_report("示例审计局", 2021, "final_accounts", [("budget.total", "level", 16, "万元")]),
                  _report("示例审计局", 2021, "performance_evaluation", [("budget.total", "level", 11, "万元")])):
            warehouse.load_report(con, r)
        total = run_query(con, "budget_trend").filter(pl.col("indicator") == "budget.total")
        assert float(total["value"][0]) == 16  # the final accounts' figure, picked first while nothing doubts it
        # a failed check blaming it, written as warehouse.checks writes one
        fact = con.execute("SELECT fact_id FROM fact WHERE value = 16").fetchall()[0][0]
        con.execute("INSERT INTO checks (check_id, \"check\", category, status, department_id, year) "
                    "SELECT 1, 'budget.parts', 'report', 'fail', department_id, 2021 FROM department")
        con.execute("INSERT INTO check_fact (check_id, fact_id, position, blamed) VALUES (1, ?, 0, true)", [fact])
        total = run_query(con, "budget_trend").filter(pl.col("indicator") == "budget.total")
        assert float(total["value"][0]) == 11 and total["checks_failed"][0] == 0
    finally:
        con.close()


def test_answers_come_in_their_documented_order(reports, tmp_path):
    """Coverage sorts each branch on integer order numbers and keeps that order through UNION ALL; budget_trend and
    budget_variance sort on order numbers too: the rows still come by department name, year and code."""
    wh = Warehouse(str(tmp_path / "w.duckdb"))
    wh.ingest(reports)
    for name, params, keys in (("coverage", {}, ["department", "year"]),
                               ("coverage", {"indicator": "budget."}, ["department", "year", "indicator"]),
                               ("budget_trend", {}, ["department", "indicator", "year"]),
                               ("budget_variance", {}, ["department", "year"])):
        answer = wh.run(name, **params)
        assert answer.height > 20, name
        assert answer.select(keys).equals(answer.select(keys).sort(keys, maintain_order=True)), (name, params)


def _stored(path, table: str) -> pl.DataFrame:
    """A table's rows in the order they are stored (no ORDER BY: a single-table scan keeps it)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return pl.DataFrame(con.sql(f"SELECT * FROM {table}"))
    finally:
        con.close()


@pytest.mark.parametrize("interleaved", [16, 0], ids=["interleaved", "sorted"])
def test_ordered_tables_stay_in_answer_order_when_departments_are_made_again_anywhere(reports, tmp_path, monkeypatch,
                                                                                    interleaved):
    """coverage and budget_trend read their rows in stored order without sorting them (indicator_year,
    budget_figure): each ingest of departments whose names sort between those already there, and one department's
    checks, rewrite the rows from the first name on (placed between the kept rows, or, past a few departments, sorted
    with them)."""
    monkeypatch.setattr(figures, "_INTERLEAVED_UP_TO", interleaved)
    db = tmp_path / "w.duckdb"
    wh = Warehouse(str(db))
    sector = lambda p: p.name.removeprefix("synthetic-").rsplit("-", 2)[0]  # noqa: E731
    sectors = sorted({sector(p) for p in reports})
    assert len(sectors) >= 5
    orders = {"indicator_year": ["department", "year", "indicator_code"],  # coverage's answer order
              "budget_figure": ["department", "indicator_code", "year"]}  # budget_trend's
    # the middle one, then the last, then the first, then two at once: every later step lands before some rows
    for step in ((sectors[2],), (sectors[4],), (sectors[0],), (sectors[3], sectors[1])):
        wh.ingest([p for p in reports if sector(p) in step])
        for table, keys in orders.items():
            stored = _stored(db, table)
            assert stored.height > 10
            assert stored.select(keys).equals(stored.select(keys).sort(keys, nulls_last=True)), (table, step)
    middle = wh.sql("SELECT name FROM department ORDER BY name")["name"][2]
    wh.check(department=middle)  # one department's checks: its rows (counts unchanged) written again in place
    rebuilt = _rebuilt_file(db, tmp_path)
    for table in orders:
        assert _stored(db, table).equals(_stored(rebuilt, table)), table
    answer = wh.run("coverage", indicator="budget.")
    assert answer.height > 10 and answer.select(["department", "year", "indicator"]).equals(
        answer.select(["department", "year", "indicator"]).sort(["department", "year", "indicator"], nulls_last=True))


def test_a_writer_that_fails_part_way_still_leaves_its_committed_rows_picked(tmp_path):
    from test_queries import _report

    con = warehouse.connect(str(tmp_path / "w.duckdb"))
    try:
        with pytest.raises(RuntimeError, match="the writer's own error"):
            with figures.refreshed(con) as touched:
                warehouse.load_report(con, _report("示例统计局", 2022, "final_accounts",
                                                   [("spending.total", "level", 321, "万元")]))
                touched.update(i for (i,) in con.execute("SELECT department_id FROM department").fetchall())
                raise RuntimeError("the writer's own error")
        assert figures.stored_stamp(con) == figures.stamp(con)
        assert [float(v) for (v,) in con.execute("SELECT value FROM figure").fetchall()] == [321]
    finally:
        con.close()


def test_the_first_figure_across_units_is_the_one_ranked_and_grown(tmp_path):
    """figure keeps one pick per unit; growth_rates and department_ranking show the first across units (figure.best):
    the final accounts' figure in 元 before the evaluation's in 万元, as the pick order says."""
    from test_queries import _report

    con = warehouse.connect(str(tmp_path / "w.duckdb"))
    try:
        for r in (_report("示例水务局", 2022, "performance_evaluation", [("spending.total", "level", 300, "万元")]),
                  _report("示例水务局", 2022, "final_accounts", [("spending.total", "level", 2_500_000, "元")]),
                  _report("示例水务局", 2023, "performance_evaluation", [("spending.total", "level", 330, "万元"),
                                                                      ("spending.total", "change_rate", 10, "%",
                                                                       2023, 2022)])):
            warehouse.load_report(con, r)
        ranked = run_query(con, "department_ranking", indicator="spending.total", year=2022)  # builds `figure`
        assert con.execute("SELECT count(*) FROM figure WHERE year = 2022").fetchall()[0][0] == 2  # one per unit
        assert (float(ranked["value"][0]), ranked["unit"][0]) == (2_500_000, "元")
        grown = run_query(con, "growth_rates", indicator="spending.total").sort("year")
        assert [(float(v), u) for v, u in zip(grown["value"], grown["unit"])] == [(2_500_000, "元"), (330, "万元")]
        assert float(grown["stated_change_rate"][1]) == 10
    finally:
        con.close()


@pytest.mark.parametrize("touched", [1, 3, 20], ids=["one", "three", "twenty-sorted"])
def test_an_ordered_table_keeps_its_order_when_rows_are_made_again_among_many_row_groups(tmp_path, touched):
    """The same rewrite on 600,000 rows (five row groups), where DuckDB runs each statement on every thread: a step
    that reorders rows (a join, such as `= ANY(list)`) shows here, not in the small warehouses above."""
    con = duckdb.connect(str(tmp_path / "ordered.duckdb"))
    try:
        # 3,000 departments whose names sort in another order than their ids (7919 is prime to 3000)
        con.execute("CREATE TABLE department AS SELECT i AS department_id, printf('部门%05d', (i * 7919) % 3000) "
                    "AS name FROM range(3000) t(i)")
        con.execute("CREATE TABLE source AS SELECT d.department_id, d.name AS department, 2000 + y AS year, "
                    "'x.' || c AS indicator_code, 1 AS facts FROM department d, range(10) a(y), range(20) b(c)")
        order = "department NULLS LAST, year NULLS LAST, indicator_code"
        derived = figures.Derived("cells", f"SELECT * FROM source f WHERE true{{only}} ORDER BY {order}",
                                  unidentified=True, ordered=order)
        con.execute(f"CREATE TABLE cells AS {derived.build.format(only='')}")
        ids = [d for (d,) in con.execute("SELECT department_id FROM department ORDER BY name LIMIT ? OFFSET 1000",
                                         [touched]).fetchall()]
        con.execute("UPDATE source SET facts = 2 WHERE list_contains(?, department_id) AND year = 2003", [ids])
        derived.remake(con, ids, {"ids": ids})
        stored = pl.DataFrame(con.sql("SELECT * FROM cells"))
        assert stored.height == 600_000 and stored["facts"].sum() == 600_000 + 20 * touched
        assert stored.equals(pl.DataFrame(con.sql(f"SELECT * FROM source ORDER BY {order}")))
    finally:
        con.close()


def test_a_file_from_before_budget_figure_answers_budget_trend_once_upgraded(reports, tmp_path):
    """v13 adds budget_figure to a file whose stamp still matches: the upgrade clears the stamp, so the first query
    builds the new table instead of answering from it empty."""
    db = tmp_path / "w.duckdb"
    wh = Warehouse(str(db))
    wh.ingest(reports[:6])
    before = wh.run("budget_trend")
    assert before.height > 5
    con = duckdb.connect(str(db))  # the file as v12 left it: no budget_figure, the stamp current
    try:
        con.execute("DROP TABLE budget_figure")
        con.execute("DELETE FROM schema_version WHERE version >= 13")
    finally:
        con.close()
    assert Warehouse(str(db)).run("budget_trend").equals(before)
