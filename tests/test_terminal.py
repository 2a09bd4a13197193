"""Terminal tables: numbers by unit, never split over lines, long text cut, bounded rows with a note."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import polars as pl
from rich.console import Console

from yearwise import Warehouse
from yearwise.terminal import number, table


def _render(df: pl.DataFrame, width: int, **kw) -> str:
    buf = io.StringIO()
    con = Console(file=buf, width=width, highlight=False)
    con.print(table(df, width=width, **kw))
    return buf.getvalue()


def test_numbers_by_unit():
    assert number(Decimal("29300.480000"), "value", "万元") == "29,300.48"
    assert number(Decimal("29300.480000"), "value", None) == "29,300.48"
    assert number(Decimal("10403.1"), "value", "万元") == "10,403.10"
    assert number(Decimal("42.0700"), "value", "%") == "42.07"
    assert number(Decimal("5.5"), "change_rate", None) == "5.50"
    assert number(Decimal("163.000000"), "value", "分") == "163"
    assert number(2021, "year") == "2021" and number(12345, "facts") == "12,345"
    assert number(None) == ""


def test_no_number_is_split_at_100_columns(demo_db):
    df = Warehouse(demo_db).run("growth_rates", indicator="spending.total")
    text = _render(df, 100)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    shown = [c for c in df.columns if f" {c} " in text]
    assert "value" in shown and "change_rate" in shown
    hidden = [c for c in df.columns if c not in shown]
    assert hidden and all(c in text for c in hidden) and "--wide" in text  # named under the table
    for v in df["value"].drop_nulls().to_list():
        assert number(v, "value", "万元") in text  # whole on one line
    assert "29300.480000" not in text and ".000000" not in text
    wide = _render(df, 100_000, wide=True)  # --wide: the console is as wide as the table
    assert all(f" {c} " in wide for c in df.columns)


def test_long_text_is_cut_and_rows_are_bounded(demo_db):
    df = Warehouse(demo_db).sql("SELECT department, year, quote, value, unit FROM facts ORDER BY department, year")
    assert df.height > 100
    text = _render(df, 160)
    assert "…" in text
    assert f"first 100 of {df.height:,} rows" in text and "--limit 0" in text
    assert len(_render(df, 160, limit=5).splitlines()) < 15
    everything = _render(df, 160, limit=0)
    assert "first" not in everything and f"{df.height:,} rows" in everything


def test_ingest_of_many_files_prints_failures_and_totals_not_a_row_each(demo_db, tmp_path):
    from typer.testing import CliRunner

    from yearwise.cli import SUMMARY_ROWS, app

    synthetic = sorted((Path(demo_db).parent / "synthetic").glob("synthetic-*"))
    assert len(synthetic) > SUMMARY_ROWS
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    r = CliRunner().invoke(app, ["ingest", str(Path(demo_db).parent / "synthetic"), str(bad),
                                 "--db", str(tmp_path / "many.duckdb")])
    assert r.exit_code == 1
    assert r.stdout.strip().count("\n") == 0  # one totals line
    from yearwise.api import expand_paths

    files = len(expand_paths([str(Path(demo_db).parent / "synthetic"), str(bad)]))
    assert r.stdout.startswith(f"{files} files, ") and r.stdout.strip().endswith(f"{files - 1} loaded, 1 failed")
    failures = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(failures) == 1 and "broken.pdf" in failures[0]
