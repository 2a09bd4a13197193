"""Export to a Parquet dataset and load it back: the same facts (current and superseded), partitions by year and
province that other engines read, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from yearwise import Warehouse, YearwiseError
from yearwise.cli import app
from yearwise.synthetic import generate
from yearwise.warehouse import connect
from yearwise.warehouse.digest import facts_digest

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _digests(db) -> tuple[str, str, list]:
    con = connect(db, read_only=True)
    try:
        statuses = con.execute("SELECT sha256, status, doc_kind, fiscal_year FROM report ORDER BY sha256").fetchall()
        return facts_digest(con), facts_digest(con, "all_facts"), statuses
    finally:
        con.close()


@pytest.fixture(scope="module")
def versioned(tmp_path_factory) -> list[Path]:
    """Synthetic reports plus a corrected re-issue of one of them (same department, year and kind, one figure
    changed), loaded after it so it supersedes it; and the real sample report."""
    folder = tmp_path_factory.mktemp("versions")
    paths = generate(folder / "synthetic", departments=3, years=range(2021, 2024))
    first = paths[0]
    text = first.read_text(encoding="utf-8")
    reissue = folder / "reissue" / first.name.replace(".txt", "-corrected.txt")
    reissue.parent.mkdir()
    reissue.write_text("（更正版）\n" + text.replace("。", "。\n", 1), encoding="utf-8")  # 更正 decides the version
    return [*paths, reissue, *sorted(SAMPLE.glob("*.txt"))]


def test_export_then_load_gives_the_same_facts_and_versions(versioned, tmp_path):
    a, b, out = tmp_path / "a.duckdb", tmp_path / "b.duckdb", tmp_path / "dataset"
    summary = Warehouse(a).ingest(versioned)
    assert summary.ok and any(r.status == "replaced" for r in summary.rows)
    reports, facts = Warehouse(a).export(out)
    assert reports == len(versioned) and facts > 500
    loaded = Warehouse(b).load(out)
    assert loaded.ok and len(loaded.rows) == reports
    assert [r.status for r in loaded.rows] == [r.status for r in summary.rows]
    assert _digests(a) == _digests(b)
    # loading the same dataset again changes nothing
    again = Warehouse(b).load(out)
    assert {r.status for r in again.rows} == {"unchanged"}
    assert _digests(a) == _digests(b)


def test_the_dataset_is_partitioned_by_year_and_province_as_plain_folders(corpus, tmp_path):
    db, out = tmp_path / "c.duckdb", tmp_path / "dataset"
    Warehouse(db).ingest([corpus / "shanghai-putuo", SAMPLE])
    _, facts = Warehouse(db).export(out)
    folders = {p.relative_to(out / "facts").as_posix() for p in (out / "facts").glob("*/*") if p.is_dir()}
    assert any(f.endswith("/province=上海市") for f in folders)  # UTF-8 as written, not %E4%B8%8A…
    assert all(f.startswith("year=") and "/province=" in f for f in folders)
    con = connect(db, read_only=True)
    try:
        departments, years = con.execute("SELECT count(DISTINCT department_id), count(DISTINCT year) FROM fact").fetchall()[0]
        by_cell = con.execute("SELECT year, count(*) FROM all_facts GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        con.close()
    assert len(folders) < departments * years or departments == 1  # never a folder per department
    # another engine reads it with the Hive layout alone: the counts per year and the province values
    read = duckdb.connect()
    rows = read.execute(f"SELECT year, count(*) FROM read_parquet('{out}/facts/**/*.parquet', hive_partitioning = true) "
                        "GROUP BY ALL ORDER BY ALL").fetchall()
    assert rows == by_cell and sum(n for _, n in rows) == facts
    provinces = {p for (p,) in read.execute(
        f"SELECT DISTINCT province FROM read_parquet('{out}/facts/**/*.parquet', hive_partitioning = true)").fetchall()}
    assert "上海市" in provinces


def test_export_refuses_a_folder_with_files_and_load_a_folder_without_a_dataset(tmp_path):
    db = tmp_path / "w.duckdb"
    Warehouse(db).ingest(sorted(SAMPLE.glob("*.txt")))
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(YearwiseError, match="not an empty folder"):
        Warehouse(db).export(busy)
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    with pytest.raises(YearwiseError, match="not a dataset written by `yearwise export`"):
        Warehouse(tmp_path / "x.duckdb").load(busy)


def test_cli_export_and_load(tmp_path):
    runner = CliRunner()
    db, out, merged = tmp_path / "w.duckdb", tmp_path / "dataset", tmp_path / "merged.duckdb"
    Warehouse(db).ingest(sorted(SAMPLE.glob("*.txt")))
    r = runner.invoke(app, ["--db", str(db), "export", "--out", str(out)])
    assert r.exit_code == 0 and "wrote 1 reports" in r.stderr, r.output
    r = runner.invoke(app, ["--db", str(merged), "load", str(out)])
    assert r.exit_code == 0 and "1 loaded" in r.stdout, r.output
    assert _digests(db) == _digests(merged)
    r = runner.invoke(app, ["--db", str(db), "export", "--out", str(out)])
    assert r.exit_code == 1 and r.stderr.startswith("error: ") and "Traceback" not in r.output
