"""The `yearwise` command as a user types it: help examples, queries, run/sql/chart output, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from yearwise.cli import app

try:  # tests/ on sys.path (pytest's default import mode)
    from test_queries import build_warehouse
except ImportError:  # tests as a package
    from tests.test_queries import build_warehouse

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
COMMANDS = ["ingest", "extract", "queries", "run", "sql", "chart", "departments", "indicators", "demo", "synthetic", "export", "load"]


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return build_warehouse(tmp_path_factory.mktemp("cli") / "cli.duckdb")


def _no_traceback(result):
    assert "Traceback" not in (result.stdout + result.stderr)


def test_every_command_help_has_an_example(runner):
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "Example:" in top.stdout
    for cmd in COMMANDS:
        r = runner.invoke(app, [cmd, "--help"])
        assert r.exit_code == 0, cmd
        assert "Example:" in r.stdout, cmd
        assert f"yearwise {cmd}" in r.stdout, cmd


def test_queries_table_and_json(runner):
    r = runner.invoke(app, ["queries"])
    assert r.exit_code == 0 and "budget_trend" in r.stdout and "department_ranking" in r.stdout
    specs = json.loads(runner.invoke(app, ["queries", "--format", "json"]).stdout)
    ranking = next(s for s in specs if s["name"] == "department_ranking")
    order = next(p for p in ranking["params"] if p["name"] == "order")
    assert order == {"name": "order", "type": "str", "default": "desc", "choices": ["desc", "asc"],
                     "help": order["help"]}


def test_run_formats_to_files(runner, db, tmp_path):
    base = ["--db", db, "run", "budget_trend", "--param", "department=示例'引号'管理局"]
    r = runner.invoke(app, base + ["--format", "csv", "--out", str(tmp_path / "t.csv")])
    assert r.exit_code == 0, r.stderr
    csv = pl.read_csv(tmp_path / "t.csv")
    assert csv.height == 12 and set(csv["department"]) == {"示例'引号'管理局"}
    r = runner.invoke(app, base + ["--format", "json", "--out", str(tmp_path / "t.json")])
    rows = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert len(rows) == 12 and isinstance(rows[0]["value"], (int, float))  # Decimal as a JSON number
    r = runner.invoke(app, base + ["--format", "parquet", "--out", str(tmp_path / "t.parquet")])
    assert r.exit_code == 0 and pl.read_parquet(tmp_path / "t.parquet").height == 12
    r = runner.invoke(app, base + ["--format", "parquet"])
    assert r.exit_code == 1 and "needs --out" in r.stderr


def test_run_to_stdout_and_env_db(runner, db):
    r = runner.invoke(app, ["run", "department_ranking", "-p", "year=2021", "-f", "csv"], env={"YEARWISE_DB": db})
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("rank,department,year")
    r = runner.invoke(app, ["run", "coverage", "--db", db])
    assert r.exit_code == 0 and "coverage" in r.stdout


def test_user_errors_are_one_line(runner, db):
    r = runner.invoke(app, ["--db", db, "run", "budget_trend", "--param", "dept=x"])
    assert r.exit_code == 1
    assert r.stderr.strip() == ("error: query budget_trend: unknown parameter dept "
                                "(valid: department, from_year, to_year)")
    r = runner.invoke(app, ["--db", db, "run", "nope"])
    assert r.exit_code == 1 and r.stderr.count("\n") == 1 and "no canned query 'nope'" in r.stderr
    r = runner.invoke(app, ["--db", db, "run", "budget_trend", "--param", "from_year=soon"])
    assert r.exit_code == 1 and "expected int" in r.stderr
    r = runner.invoke(app, ["--db", db, "sql", "select * from no_such_table"])
    assert r.exit_code == 1 and r.stderr.count("\n") == 1
    for res in (r,):
        _no_traceback(res)


def test_sql_refuses_writes_without_flag(runner, db):
    r = runner.invoke(app, ["--db", db, "sql", "delete from facts"])
    assert r.exit_code == 1
    assert "read-only" in r.stderr and "--write" in r.stderr and r.stderr.count("\n") == 1
    _no_traceback(r)
    r = runner.invoke(app, ["--db", db, "sql", "select count(*) as n from facts", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["n"] > 0


def test_chart_png(runner, db, tmp_path):
    out = tmp_path / "trend.png"
    r = runner.invoke(app, ["--db", db, "chart", "budget_trend", "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"
    r = runner.invoke(app, ["--db", db, "chart", "budget_trend", "--out", str(tmp_path / "x.gif")])
    assert r.exit_code == 1 and ".png" in r.stderr


def test_departments_and_indicators(runner, db):
    r = runner.invoke(app, ["--db", db, "departments", "--format", "json"])
    assert r.exit_code == 0
    assert {d["department"] for d in json.loads(r.stdout)} == {"示例教育局", "示例'引号'管理局"}
    r = runner.invoke(app, ["--db", db, "indicators", "--format", "csv"])
    assert r.exit_code == 0 and "budget.total" in r.stdout


def test_ingest_table_and_failure_exit(runner, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not a real docx")
    wdb = str(tmp_path / "i.duckdb")
    r = runner.invoke(app, ["ingest", str(SAMPLE), str(bad), "--db", wdb])
    assert r.exit_code == 1, r.stdout
    assert "loaded" in r.stdout and "failed:" in r.stdout and "broken.docx" in r.stdout
    _no_traceback(r)
    r = runner.invoke(app, ["ingest", str(SAMPLE), "--db", wdb])
    assert r.exit_code == 0 and "unchanged" in r.stdout


def test_ingest_busy_is_one_line_exit_2(runner, tmp_path):
    wdb = tmp_path / "busy.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(wdb)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = runner.invoke(app, ["ingest", str(SAMPLE), "--db", str(wdb)])
        assert r.exit_code == 2, (r.stdout, r.stderr)
        assert "busy" in r.stderr and r.stderr.count("\n") == 1
        _no_traceback(r)
    finally:
        holder.kill()
        holder.wait()


def test_extract_jsonl_and_bad_file(runner, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nope")
    sample = next(SAMPLE.glob("*.txt"))
    r = runner.invoke(app, ["extract", str(sample), str(bad)])
    assert r.exit_code == 1
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines, "the good file's facts are still printed"
    need = {"source", "department", "year", "doc_kind", "indicator", "indicator_name", "measure", "value", "unit",
            "period", "scope", "approximate", "quote", "start", "end", "section", "rule"}
    assert need <= set(lines[0])
    assert all(isinstance(x["value"], (int, float)) for x in lines)
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(str(bad)) and ": " in err[0]
    t = runner.invoke(app, ["extract", str(sample), "--format", "table"])
    assert t.exit_code == 0 and "budget.total" in t.stdout


def test_demo_is_wired(runner, tmp_path, monkeypatch):
    import yearwise.demo as demo_mod
    from yearwise import Warehouse

    calls = []

    def fake_build(db_path="yearwise-demo.duckdb"):
        calls.append(db_path)
        return Warehouse(build_warehouse(Path(db_path)))

    monkeypatch.setattr(demo_mod, "build_demo", fake_build)
    r = runner.invoke(app, ["demo", "--db", str(tmp_path / "d.duckdb")], env={"YEARWISE_DB": "/nonexistent.db"})
    assert r.exit_code == 0, r.stderr
    assert calls == [str(tmp_path / "d.duckdb")] and "budget_trend" in r.stdout


def test_synthetic_writes_labelled_reports_that_ingest_with_workers(runner, tmp_path):
    out = tmp_path / "synthetic"
    r = runner.invoke(app, ["synthetic", "--reports", "30", "--out", str(out)])
    assert r.exit_code == 0, r.output
    files = sorted(out.glob("*.txt"))
    assert len(files) == 30 and all(f.name.startswith("synthetic-") for f in files)
    assert "SYNTHETIC" in r.stderr and "示例" in r.stderr
    assert all("SYNTHETIC" in f.read_text(encoding="utf-8").splitlines()[0] for f in files)
    db = tmp_path / "w.duckdb"
    r = runner.invoke(app, ["--db", str(db), "ingest", str(out), "--workers", "2"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["--db", str(db), "sql", "select count(DISTINCT source) AS n, "
                            "bool_and(contains(department, '示例')) AS all_synthetic from facts", "-f", "csv"])
    assert r.stdout.splitlines()[1] == "30,true"
