"""Every answer writes in every format: table, csv, json, jsonl, parquet, xlsx, chosen by --format or --out's name."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from yearwise.cli import app

# an answer with a list column and a struct column, as users write them (issue #10: polars refused nested CSV)
NESTED_SQL = ("select indicator, list(distinct unit order by unit) as units, "
              "{'n': count(*), 'first_year': min(year)} as summary "
              "from facts where indicator like 'budget.%' group by indicator order by indicator")


@pytest.fixture()
def runner():
    return CliRunner()


def _sql(runner, db, *args):
    r = runner.invoke(app, ["--db", db, "sql", NESTED_SQL, *args])
    assert "Traceback" not in r.stdout + r.stderr
    assert r.exit_code == 0, r.stderr
    return r


def test_a_list_column_round_trips_every_format(runner, demo_db, tmp_path):
    expected = runner.invoke(app, ["--db", demo_db, "sql", NESTED_SQL, "--format", "json"])
    rows = json.loads(expected.stdout)
    assert rows and isinstance(rows[0]["units"], list) and isinstance(rows[0]["summary"], dict)
    units = {r["indicator"]: r["units"] for r in rows}

    for ext in ("csv", "json", "jsonl", "parquet", "xlsx"):
        out = tmp_path / f"answer.{ext}"
        r = _sql(runner, demo_db, "--out", str(out))  # the format comes from the extension
        assert f"({ext}, {len(rows)} rows)" in r.stderr
        if ext == "csv":
            back = pl.read_csv(out)
            got = {i: json.loads(u) for i, u in zip(back["indicator"], back["units"])}  # JSON-encoded cells
        elif ext == "json":
            got = {r["indicator"]: r["units"] for r in json.loads(out.read_text(encoding="utf-8"))}
        elif ext == "jsonl":
            lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            got = {r["indicator"]: r["units"] for r in lines}
        elif ext == "parquet":
            back = pl.read_parquet(out)
            assert isinstance(back.schema["units"], pl.List)  # parquet keeps the list itself
            got = dict(zip(back["indicator"], back["units"].to_list()))
        else:
            got = _xlsx_units(out)
        assert got == units, ext


def _xlsx_units(path) -> dict:
    """indicator -> units from the first sheet of a workbook, read with the standard library (cells as text)."""
    import re
    import zipfile
    from html import unescape

    with zipfile.ZipFile(path) as z:
        strings = [unescape(s) for s in re.findall(r"<t[^>]*>(.*?)</t>", z.read("xl/sharedStrings.xml").decode())]
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    rows = []
    for row in re.findall(r"<row[^>]*>(.*?)</row>", sheet):
        cells = {}
        for attrs, body in re.findall(r"<c ([^>]*)>(.*?)</c>", row):
            col = re.search(r'r="([A-Z]+)', attrs).group(1)
            value = re.search(r"<v>(.*?)</v>", body).group(1)
            cells[col] = strings[int(value)] if 't="s"' in attrs else value
        rows.append(cells)
    header = rows[0]
    named = [{header[c]: v for c, v in r.items()} for r in rows[1:]]
    return {r["indicator"]: json.loads(r["units"]) for r in named}


def test_nested_csv_to_stdout_and_coverage_csv(runner, demo_db):
    # the two tracebacks of issue #10
    r = runner.invoke(app, ["--db", demo_db, "run", "coverage", "--format", "csv"])
    assert r.exit_code == 0 and "Traceback" not in r.stdout + r.stderr
    header = r.stdout.splitlines()[0].split(",")
    assert "missing_core" in header
    r = _sql(runner, demo_db, "--format", "csv")
    assert r.stdout.splitlines()[0] == "indicator,units,summary"


def test_csv_bom_for_excel(runner, demo_db, tmp_path):
    out = tmp_path / "t.csv"
    r = runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--out", str(out), "--bom"])
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert "示例" in out.read_text(encoding="utf-8-sig")
    plain = tmp_path / "p.csv"
    runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--out", str(plain)])
    assert plain.read_bytes()[:3] != b"\xef\xbb\xbf"


def test_format_from_extension_and_unknown_extensions(runner, demo_db, tmp_path):
    for ext, magic in (("csv", b"department,"), ("parquet", b"PAR1"), ("xlsx", b"PK")):
        out = tmp_path / f"trend.{ext}"
        r = runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--out", str(out)])
        assert r.exit_code == 0, r.stderr
        assert out.read_bytes().startswith(magic), ext  # never a box-drawing table under that name
    r = runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--out", str(tmp_path / "trend.docx")])
    assert r.exit_code == 1 and "cannot write .docx" in r.stderr and not (tmp_path / "trend.docx").exists()
    # --format wins over the extension
    out = tmp_path / "trend.data"
    r = runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--out", str(out), "--format", "jsonl"])
    assert r.exit_code == 0 and json.loads(out.read_text(encoding="utf-8").splitlines()[0])["department"]
    # sql and chart take the format from --out too
    out = tmp_path / "q.json"
    r = runner.invoke(app, ["--db", demo_db, "sql", "select 1 as one", "--out", str(out)])
    assert r.exit_code == 0 and json.loads(out.read_text(encoding="utf-8")) == [{"one": 1}]
    r = runner.invoke(app, ["--db", demo_db, "chart", "budget_trend", "--out", str(tmp_path / "c.svg")])
    assert r.exit_code == 0 and (tmp_path / "c.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
    r = runner.invoke(app, ["--db", demo_db, "chart", "budget_trend", "--out", str(tmp_path / "c.csv")])
    assert r.exit_code == 1 and "cannot draw a chart as csv" in r.stderr


def test_binary_formats_need_a_file(runner, demo_db):
    for fmt in ("parquet", "xlsx"):
        r = runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--format", fmt])
        assert r.exit_code == 1 and "needs --out" in r.stderr


def test_figures_print_as_written_in_every_format_and_parquet_stays_exact(runner, demo_db, tmp_path):
    """budget_trend's values are stored at the DECIMAL scale (20351.560000) but the reports print two decimals:
    every format shows them with the decimals they need, and parquet keeps them exact decimals."""
    from yearwise import Warehouse

    stored = Warehouse(demo_db).run("budget_trend")["value"].to_list()  # at the storage scale
    csv = runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--format", "csv"]).stdout
    header, *rows = csv.splitlines()
    values = [line.split(",")[header.split(",").index("value")] for line in rows]
    assert values and all(v.count(".") == 1 and len(v.split(".")[1]) == 2 for v in values if v), values[:5]
    js = json.loads(runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--format", "json"]).stdout)
    assert not any(".000000" in json.dumps(r) for r in js)
    out = tmp_path / "trend.parquet"
    runner.invoke(app, ["--db", demo_db, "run", "budget_trend", "--out", str(out)])
    df = pl.read_parquet(out)
    assert isinstance(df.schema["value"], pl.Decimal) and df.schema["value"].scale == 2
    assert df["value"].to_list() == stored  # equal as numbers: no value rounded on the way


def test_as_written_narrows_only_where_no_value_changes():
    from decimal import Decimal

    from yearwise.answers import as_written

    df = pl.DataFrame({"money": pl.Series([Decimal("20351.56"), Decimal("1.5"), None], dtype=pl.Decimal(20, 6)),
                       "tiny": pl.Series([Decimal("0.000001"), Decimal("2")], dtype=pl.Decimal(20, 6)).extend_constant(None, 1)})
    got = as_written(df)
    assert got.schema["money"].scale == 2 and got.schema["tiny"].scale == 6
    assert got["money"].to_list() == [Decimal("20351.56"), Decimal("1.50"), None]
