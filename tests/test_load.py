"""Loading reports into the warehouse: idempotence, supersession, atomicity, crash safety, exact decimals."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest

from yearwise import warehouse
from yearwise.ingest.model import Document, Fact, Report

REPO = Path(__file__).resolve().parents[1]
DEPT = "上海市普陀区规划和自然资源局"


def make_report(tag: str, *, department: str | None = DEPT, year: int | None = 2023, doc_kind: str = "budget",
                values=(Decimal("26667.28"), Decimal("1234.5")), indicators=None, dated: str | None = None) -> Report:
    """A Report built by hand: one fact per value, spans pointing into a tiny text (after a date line `dated`,
    as a cover states it: 2023年3月1日)."""
    text = (f"{dated}\n" if dated else "") + "".join(f"指标{i}为{v}万元。" for i, v in enumerate(values))
    indicators = indicators or ["spending.basic", "spending.project", *(f"output.项目{i}" for i in range(2, len(values)))]
    facts, pos = [], 0
    for i, v in enumerate(values):
        quote = f"指标{i}为{v}万元"
        start = text.index(quote, pos)
        facts.append(Fact(indicator=indicators[i], indicator_name="", measure="level", value=v, unit="万元",
                          year=year, quote=quote, start=start, end=start + len(quote), rule="test.hand",
                          section="一、概况", raw_value=str(v), raw_unit="万元"))
        pos = start + len(quote)
    doc = Document(source=f"reports/{tag}.txt", sha256=hashlib.sha256(tag.encode()).hexdigest(), text=text,
                   format="txt")
    return Report(document=doc, doc_kind=doc_kind, department=department, year=year, facts=facts)


@pytest.fixture
def con(tmp_path):
    c = warehouse.connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def counts(con) -> tuple[int, int, int, int]:
    return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                 for t in ("report", "fact", "department", "indicator"))


def test_a_companion_file_stays_current_beside_the_first(con):
    """The 表格 file of a budget beside its 文件: same department, year and kind, but other figures."""
    warehouse.load_report(con, make_report("narrative", values=(Decimal("100"), Decimal("200"))))
    tables = warehouse.load_report(con, make_report("tables", values=(Decimal("7"), Decimal("8"), Decimal("9")),
                                                    indicators=["output.甲", "output.乙", "output.丙"]))
    assert tables.status == "loaded" and tables.superseded == []
    sources = con.execute("SELECT DISTINCT source FROM facts ORDER BY source").fetchall()
    assert sources == [("reports/narrative.txt",), ("reports/tables.txt",)]


def test_same_file_twice_is_unchanged(con):
    first = warehouse.load_report(con, make_report("a"))
    assert (first.status, first.facts, first.department, first.year) == ("loaded", 2, DEPT, 2023)
    before = counts(con)
    again = warehouse.load_report(con, make_report("a"))
    assert again.status == "unchanged" and again.facts == 2 and again.superseded == []
    assert counts(con) == before
    assert con.execute("SELECT count(*) FROM facts").fetchall()[0][0] == 2


def test_new_version_supersedes_the_old(con):
    warehouse.load_report(con, make_report("v1", values=(Decimal("100"), Decimal("200")), dated="2023年1月10日"))
    other_year = warehouse.load_report(con, make_report("2022", year=2022))
    other_kind = warehouse.load_report(con, make_report("acc", doc_kind="final_accounts"))
    # a corrected re-publication dated later: it restates the first figure, corrects the second and adds a third
    r = warehouse.load_report(con, make_report("v2", values=(Decimal("100"), Decimal("202"), Decimal("3")),
                                               dated="2023年3月1日"))
    assert r.status == "replaced" and r.superseded == ["reports/v1.txt"] and r.facts == 3
    assert other_year.status == other_kind.status == "loaded"

    current = con.execute("SELECT source, value FROM facts WHERE year = 2023 AND doc_kind = 'budget' "
                          "ORDER BY value").fetchall()
    assert current == [("reports/v2.txt", Decimal("3")), ("reports/v2.txt", Decimal("100")),
                       ("reports/v2.txt", Decimal("202"))]
    history = con.execute("SELECT source, status, count(*) FROM all_facts WHERE year = 2023 AND doc_kind = 'budget' "
                          "GROUP BY ALL ORDER BY source").fetchall()
    assert history == [("reports/v1.txt", "superseded", 2), ("reports/v2.txt", "current", 3)]
    sup = con.execute("SELECT r1.status, r2.source FROM report r1 JOIN report r2 ON r1.superseded_by = r2.report_id"
                      ).fetchall()
    assert sup == [("superseded", "reports/v2.txt")]
    # the 2022 report and the final accounts are other documents, untouched
    assert con.execute("SELECT count(*) FROM facts").fetchall()[0][0] == 3 + 2 + 2
    # a third, later version supersedes only the current one
    r3 = warehouse.load_report(con, make_report("v3", values=(Decimal("100"), Decimal("202")), dated="2023年5月1日"))
    assert r3.superseded == ["reports/v2.txt"]
    # an earlier version arriving last is loaded as superseded by the current one: the documents decide
    r0 = warehouse.load_report(con, make_report("v0", values=(Decimal("100"), Decimal("199")), dated="2022年12月1日"))
    assert r0.status == "superseded" and r0.superseded == []
    assert con.execute("SELECT DISTINCT source FROM facts WHERE year = 2023 AND doc_kind = 'budget'").fetchall() == \
        [("reports/v3.txt",)]


def _versions(order: list[str], tmp_path, name: str):
    """The current facts (source, value) after loading versions in `order` into a fresh warehouse."""
    made = {"jan": make_report("jan", values=(Decimal("100"), Decimal("200")), dated="2023年1月10日"),
            "mar": make_report("mar", values=(Decimal("100"), Decimal("202")), dated="2023年3月1日"),
            "undated": make_report("undated", values=(Decimal("100"), Decimal("201")))}
    c = warehouse.connect(tmp_path / f"{name}.duckdb")
    try:
        for tag in order:
            warehouse.load_report(c, made[tag])
        return sorted(c.execute("SELECT source, value FROM facts").fetchall())
    finally:
        c.close()


def test_which_version_is_current_does_not_depend_on_ingest_order(tmp_path):
    dated = _versions(["jan", "mar"], tmp_path, "a")
    assert dated == _versions(["mar", "jan"], tmp_path, "b")
    assert {src for src, _ in dated} == {"reports/mar.txt"}
    # nothing decides between an undated version and the others: it stays current beside them, in any order
    three = _versions(["jan", "mar", "undated"], tmp_path, "c")
    assert three == _versions(["undated", "mar", "jan"], tmp_path, "d") == _versions(["mar", "undated", "jan"],
                                                                                       tmp_path, "e")
    assert {src for src, _ in three} == {"reports/mar.txt", "reports/undated.txt"}


def test_failed_insert_leaves_nothing_behind(con):
    warehouse.load_report(con, make_report("good"))
    before = counts(con)
    # the last value does not fit DECIMAL(20,6): the fact INSERT fails after the department,
    # report and indicator rows of this document were already written in its transaction
    bad = make_report("bad", department="北京市朝阳区财政局", values=(Decimal("1"), Decimal("2"), Decimal("1E+20")))
    with pytest.raises(Exception, match="DECIMAL"):
        warehouse.load_report(con, bad)
    assert counts(con) == before
    assert con.execute("SELECT count(*) FROM department_alias WHERE alias = '北京市朝阳区财政局'").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM indicator WHERE code = 'output.项目2'").fetchall()[0][0] == 0
    # a NOT NULL violation (a fact without a measure) fails the same way, superseding nothing
    broken = make_report("broken")
    broken.facts[1] = Fact(**{**{s: getattr(broken.facts[1], s) for s in Fact.__slots__}, "measure": None})
    with pytest.raises(Exception):  # noqa: B017 (whichever layer refuses the NULL first: polars or DuckDB)
        warehouse.load_report(con, broken)
    assert counts(con) == before
    assert con.execute("SELECT source, status FROM report").fetchall() == [("reports/good.txt", "current")]
    # and the connection is still usable for the next document
    assert warehouse.load_report(con, make_report("after", year=2024)).status == "loaded"


def test_decimal_values_round_trip_exactly(con):
    values = (Decimal("26667.28"), Decimal("0.000001"), Decimal("-56.95"), Decimal("99999999999999.999999"),
              Decimal("1E+3"), Decimal("12.5"), Decimal("1E-7"), Decimal("0.000000000001"))  # kept as written
    warehouse.load_report(con, make_report("dec", values=values))
    got = [v for (v,) in con.execute("SELECT value FROM fact ORDER BY fact_id").fetchall()]
    assert got == list(values)
    assert all(isinstance(v, Decimal) for v in got)
    assert str(con.execute("SELECT typeof(value) FROM facts LIMIT 1").fetchall()[0][0]) == "DECIMAL(26,12)"
    # and through polars the column stays a decimal, not a float
    df = con.sql("SELECT value FROM facts ORDER BY value").pl()
    assert str(df.schema["value"]).startswith("Decimal")


def test_indicators_catalog_and_unknown_codes(con):
    from yearwise.ingest.catalog import load_catalog

    warehouse.load_report(con, make_report("ind", values=(Decimal("1"), Decimal("2"), Decimal("3"))))
    n_catalog = len(load_catalog())
    assert con.execute("SELECT count(*) FROM indicator").fetchall()[0][0] == n_catalog + 1
    row = con.execute("SELECT name, category, unit_kind, unit, additive FROM indicator WHERE code = 'output.项目2'"
                      ).fetchall()[0]
    assert row == ("项目2", "output", "money", "万元", False)
    basic = load_catalog().get("spending.basic")
    assert con.execute("SELECT indicator_name, category FROM facts WHERE indicator = 'spending.basic'"
                       ).fetchall()[0] == (basic.name, basic.category)


def test_report_without_department_or_year_loads_and_never_supersedes(con):
    a = warehouse.load_report(con, make_report("nodep1", department=None))
    b = warehouse.load_report(con, make_report("nodep2", department=None))
    c = warehouse.load_report(con, make_report("unk1", doc_kind="unknown"))
    d = warehouse.load_report(con, make_report("unk2", doc_kind="unknown"))
    assert [x.status for x in (a, b, c, d)] == ["loaded"] * 4
    # reports without a department are kept out of `facts`, in a view of their own
    assert con.execute("SELECT count(DISTINCT source) FROM facts").fetchall()[0][0] == 2
    assert con.execute("SELECT count(DISTINCT source) FROM unidentified_facts").fetchall()[0][0] == 2


def test_fact_year_defaults_to_report_year(con):
    r = make_report("yr")
    r.facts[0] = Fact(**{**{s: getattr(r.facts[0], s) for s in Fact.__slots__}, "year": None})
    r.facts[1] = Fact(**{**{s: getattr(r.facts[1], s) for s in Fact.__slots__}, "year": 2022})
    warehouse.load_report(con, r)
    assert con.execute("SELECT year, report_year FROM facts ORDER BY year").fetchall() == [(2022, 2023), (2023, 2023)]


def test_load_reports_and_region(con):
    results = warehouse.load_reports(con, [make_report("x"), make_report("y", department="苏州市吴中区教育局")])
    assert [r.status for r in results] == ["loaded", "loaded"]
    assert dict(con.execute("SELECT name, region FROM department").fetchall()) == {
        DEPT: "上海市普陀区", "苏州市吴中区教育局": "苏州市吴中区"}
    warehouse.load_report(con, make_report("z", department="中关村科技园区朝阳园管理委员会"), region="北京市朝阳区")
    assert con.execute("SELECT region FROM facts WHERE department LIKE '中关村%' LIMIT 1").fetchall()[0] == ("北京市朝阳区",)


def test_a_large_report_loads_whole(con):
    """20,000 facts of one report land exactly (their speed is measured by benchmarks/bench_ingest.py)."""
    values = [Decimal(i) / 100 for i in range(20_000)]
    r = make_report("bulk", values=values, indicators=[f"output.项目{i % 50}" for i in range(20_000)])
    assert warehouse.load_report(con, r).facts == 20_000
    assert con.execute("SELECT sum(value) FROM facts").fetchall()[0][0] == sum(values)


CHILD = textwrap.dedent("""
    import sys
    sys.path[:0] = [{repo!r}, {tests!r}]
    from decimal import Decimal
    from yearwise import warehouse
    import yearwise.warehouse.load as wl
    from test_load import make_report
    insert = wl._insert_facts
    def announced(con, *a, **k):  # tell the parent we are inside a document's transaction
        print("in-tx", flush=True)
        return insert(con, *a, **k)
    wl._insert_facts = announced
    con = warehouse.connect({db!r})
    values = [Decimal(i) / 7 for i in range(30_000)]
    ind = ["output.项目%d" % (i % 40) for i in range(30_000)]
    for i in range(1000):
        warehouse.load_report(con, make_report("child%d" % i, year=1000 + i, values=values, indicators=ind))
        print("done", i, flush=True)
""")


def test_sigkill_during_bulk_load_keeps_earlier_documents(tmp_path):
    db = str(tmp_path / "crash.duckdb")
    con = warehouse.connect(db)
    warehouse.load_report(con, make_report("before", dated="2023年1月10日"))
    con.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(repo=str(REPO), tests=str(REPO / "tests"), db=db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        done = []
        while True:
            line = child.stdout.readline()
            assert line, child.stderr.read()
            if line.startswith("done"):
                done.append(int(line.split()[1]))
            elif len(done) >= 3:  # "in-tx" of the 4th document: its report row is written, facts going in
                break
        time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    con = warehouse.connect(db)  # reopening replays the WAL; the torn transaction is discarded
    try:
        per_report = dict(con.execute(
            "SELECT r.source, count(f.fact_id) FROM report r LEFT JOIN fact f USING (report_id) GROUP BY ALL").fetchall())
        assert per_report.pop("reports/before.txt") == 2
        for i in done:
            assert per_report.pop(f"reports/child{i}.txt") == 30_000
        assert all(n == 30_000 for n in per_report.values())  # the document caught by the kill: all or nothing
        assert con.execute("SELECT count(*) FROM fact WHERE report_id NOT IN (SELECT report_id FROM report)"
                           ).fetchall()[0][0] == 0
        assert warehouse.load_report(con, make_report("after", dated="2023年3月1日")).status == "replaced"
    finally:
        con.close()


def test_bundled_sample_loads_if_extract_is_available(con):
    from yearwise import ingest

    sample = next((REPO / "data" / "sample").glob("*.txt"))
    try:
        report = ingest.extract(sample)
    except (ImportError, NotImplementedError):
        pytest.skip("ingest extraction is not there yet")
    result = warehouse.load_report(con, report)
    assert result.status == "loaded" and result.facts == len(report.facts) > 0
    assert result.department == report.department and result.year == report.year
    assert warehouse.load_report(con, ingest.extract(sample)).status == "unchanged"
    n, spans_ok = con.execute(
        "SELECT count(*), bool_and(end_offset > start_offset) FROM facts WHERE source = ?", [str(sample)]
    ).fetchall()[0]
    assert n == len(report.facts) and spans_ok
    text = report.document.text
    for quote, start, end in con.execute("SELECT quote, start_offset, end_offset FROM facts").fetchall():
        assert text[start:end] == quote  # the trace back to the document survives the warehouse


def test_load_after_the_caller_left_a_result_open(con):
    # DuckDB 2 keeps a result open after fetchone(); load_report must not trip over the caller's
    con.execute("SELECT count(*) FROM report").fetchone()
    assert warehouse.load_report(con, make_report("open")).status == "loaded"
    con.execute("SELECT * FROM facts")  # never fetched
    assert warehouse.load_report(con, make_report("open2", year=2024)).status == "loaded"


# -- batches: several documents per transaction, each atomic, as if loaded one by one ------------------


def _state(con) -> dict:
    """What a warehouse holds, in terms that do not depend on ids or on how many transactions wrote it."""
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    return {
        "reports": q("SELECT r.source, r.status, s.source, d.name, r.fiscal_year, r.doc_kind, "
                     "(SELECT count(*) FROM fact f WHERE f.report_id = r.report_id) FROM report r "
                     "LEFT JOIN report s ON s.report_id = r.superseded_by "
                     "LEFT JOIN department d ON d.department_id = r.department_id ORDER BY r.report_id"),
        "facts": q("SELECT r.source, f.indicator_code, f.value, f.year, f.quote FROM fact f JOIN report r USING (report_id) "
                   "ORDER BY f.fact_id"),
        "departments": q("SELECT d.name, d.region, d.kind FROM department d ORDER BY d.department_id"),
        "aliases": q("SELECT a.alias, d.name FROM department_alias a JOIN department d USING (department_id) ORDER BY 1"),
        "indicators": q("SELECT * FROM indicator ORDER BY code"),
    }


def _mixed_reports() -> list[Report]:
    """A run with every case a batch must keep apart: the same bytes twice, versions and a companion of one
    key, folded department spellings, no department, unknown kind, a bad value, and unknown indicators."""
    bad = make_report("bad", department="北京市朝阳区财政局", values=(Decimal("1"), Decimal("2"), Decimal("1E+20")))
    return [
        make_report("v1", values=(Decimal("100"), Decimal("200")), dated="2023年1月10日"),
        make_report("other", department="苏州市吴中区教育局", values=(Decimal("5"), Decimal("6"), Decimal("7"))),
        make_report("v1", dated="2023年1月10日"),  # the same bytes again (the sha256 is of the tag): unchanged
        make_report("tables", values=(Decimal("7"), Decimal("8"), Decimal("9")),
                    indicators=["output.甲", "output.乙", "output.丙"]),  # a companion: stays current
        bad,
        make_report("other", department="苏州市吴中区教育局", values=(Decimal("5"), Decimal("6"), Decimal("7"))),
        make_report("trad", department="上海市普陀區規劃與自然資源局", year=2024),  # folds to DEPT
        make_report("nodep", department=None),
        make_report("unk", doc_kind="unknown"),
        make_report("v2", values=(Decimal("100"), Decimal("202"), Decimal("3")), dated="2023年3月1日"),
        make_report("new-ind", department="苏州市吴中区教育局", year=2020,
                    values=(Decimal("1"), Decimal("2"), Decimal("3"), Decimal("4")),
                    indicators=["output.甲", "output.新", "output.新", "spending.basic"]),
    ]


def test_a_batch_ends_as_one_by_one_would(tmp_path):
    from yearwise.warehouse.load import load_batch

    one = warehouse.connect(tmp_path / "one.duckdb")
    many = warehouse.connect(tmp_path / "many.duckdb")
    try:
        expected = []
        for r in _mixed_reports():
            try:
                expected.append(warehouse.load_report(one, r))
            except Exception as e:
                expected.append(type(e))
        got = load_batch(many, _mixed_reports())
        assert [x if isinstance(x, type) else (x.source, x.status, x.facts, x.department, x.superseded)
                for x in expected] == \
               [type(x) if isinstance(x, BaseException) else (x.source, x.status, x.facts, x.department, x.superseded)
                for x in got]
        assert "DECIMAL" in str(got[4])
        assert [getattr(x, "status", None) for x in got] == [
            "loaded", "loaded", "unchanged", "loaded", None, "unchanged", "loaded", "loaded", "loaded", "replaced",
            "loaded"]
        assert _state(many) == _state(one)
        # and again: every document is unchanged (the bad one still fails), nothing is written
        before = _state(many)
        again = load_batch(many, _mixed_reports())
        assert [getattr(x, "status", None) for x in again] == ["unchanged"] * 4 + [None] + ["unchanged"] * 6
        assert _state(many) == before
    finally:
        one.close()
        many.close()


def test_a_failing_batch_is_retried_document_by_document(con):
    from yearwise.warehouse.load import load_batch

    reports = [make_report(f"ok{i}", year=2000 + i) for i in range(5)]
    reports.insert(2, make_report("overflow", year=1990, values=(Decimal("1"), Decimal("1E+20"))))
    broken = make_report("polars", year=1991)
    broken.facts[0] = Fact(**{**{s: getattr(broken.facts[0], s) for s in Fact.__slots__}, "year": "二〇二三"})
    reports.insert(4, broken)  # a record polars refuses: the whole batch's frame fails before BEGIN
    got = load_batch(con, reports)
    assert [getattr(x, "status", type(x).__name__) for x in got][:2] == ["loaded", "loaded"]
    assert isinstance(got[2], Exception) and isinstance(got[4], Exception)
    assert all(x.status == "loaded" for k, x in enumerate(got) if k not in (2, 4))
    assert con.execute("SELECT count(*), count(DISTINCT report_id) FROM fact").fetchall() == [(10, 5)]
    assert con.execute("SELECT count(*) FROM report WHERE source IN ('reports/overflow.txt', 'reports/polars.txt')"
                       ).fetchall() == [(0,)]


def test_versions_merged_only_by_an_alias_in_one_batch(con):
    """Two spellings that do not fold together but name one department (add_alias): the second document is
    a version of the first even when both come in one batch."""
    from yearwise.warehouse.load import load_batch

    warehouse.load_report(con, make_report("seed", year=2001))
    con.execute("BEGIN")
    warehouse.add_alias(con, "普陀区规土局", DEPT)
    con.execute("COMMIT")
    got = load_batch(con, [make_report("long", values=(Decimal("100"), Decimal("200")), dated="2023年1月10日"),
                           make_report("short", department="普陀区规土局", values=(Decimal("100"), Decimal("200"),
                                                                                 Decimal("300")), dated="2023年3月1日")])
    assert [(x.status, x.superseded, x.department) for x in got] == [
        ("loaded", [], DEPT), ("replaced", ["reports/long.txt"], DEPT)]


def test_load_reports_stops_at_the_first_failure(con):
    reports = [make_report("first"), make_report("bad", year=2020, values=(Decimal("1E+20"),)),
               make_report("never", year=2021)]
    with pytest.raises(Exception, match="DECIMAL"):
        warehouse.load_reports(con, reports)
    assert con.execute("SELECT source FROM report").fetchall() == [("reports/first.txt",)]


def test_a_batch_takes_few_round_trips(con):
    """Statements per batch do not grow with its documents (departments seen before, nothing to supersede)."""
    from yearwise.warehouse.load import load_batch

    names = [f"苏州市吴中区第{i}局" for i in range(30)]
    load_batch(con, [make_report(f"warm{i}", department=n, year=2000) for i, n in enumerate(names)])

    class Counting:
        def __init__(self, c):
            self.c, self.n = c, 0

        def execute(self, *a, **k):
            self.n += 1
            return self.c.execute(*a, **k)

        def __getattr__(self, name):
            return getattr(self.c, name)

    counting = Counting(con)
    got = load_batch(counting, [make_report(f"r{i}", department=n, year=2001) for i, n in enumerate(names)])
    assert [x.status for x in got] == ["loaded"] * 30
    assert counting.n <= 10
