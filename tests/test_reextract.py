"""parser_version names the extraction code and data; reports loaded by other rules are extracted again and the
changed facts shown."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from yearwise import warehouse
from yearwise.cli import app
from yearwise.ingest import extract
from yearwise.ingest.version import parser_version


def test_the_parser_version_changes_with_a_rule_file(tmp_path, monkeypatch):
    before = parser_version()
    assert len(before) == 16 and extract_version(tmp_path) == before
    extra = tmp_path / "extra.csv"
    extra.write_text("code,name,synonyms,unit_kind,category\nitem.demo,示例指标,,money,item\n", encoding="utf-8")
    monkeypatch.setenv("YEARWISE_CATALOG", str(extra))
    assert parser_version() != before  # a user's catalog is part of what extracts facts


def extract_version(tmp_path) -> str:
    f = tmp_path / "r.txt"
    f.write_text("示例局2023年度部门决算\n2023年度收入总计100.00万元。\n", encoding="utf-8")
    return extract(f).parser_version


def test_reextract_replaces_the_facts_of_stale_reports_and_lists_the_changes(tmp_path, sample_report):
    src = tmp_path / sample_report.name
    shutil.copy(sample_report, src)
    db = str(tmp_path / "w.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(src), "--db", db]).exit_code == 0
    con = warehouse.connect(db)
    n = con.execute("SELECT count(*) FROM fact").fetchall()[0][0]
    assert n > 50
    # as if an older parser had loaded it: one fact it found differently, one it missed, an old version
    rid = con.execute("SELECT report_id FROM report").fetchall()[0][0]
    con.execute("UPDATE report SET parser_version = 'old-rules'")
    gone = con.execute("SELECT fact_id, indicator_code FROM fact ORDER BY fact_id LIMIT 1").fetchall()[0]
    con.execute("DELETE FROM fact WHERE fact_id = ?", [gone[0]])
    con.execute("UPDATE fact SET value = value + 1 WHERE fact_id = (SELECT max(fact_id) FROM fact)")
    con.close()

    r = runner.invoke(app, ["ingest", "--reextract", "--db", db])
    assert r.exit_code == 0, r.output
    assert "re-extracted (old-rules -> " in r.output and "1 facts removed, 2 added" in r.output
    assert f"  + {gone[1]} " in r.output
    con = warehouse.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM fact WHERE report_id = ?", [rid]).fetchall()[0][0] == n
    assert con.execute("SELECT parser_version FROM report").fetchall() == [(parser_version(),)]
    con.close()
    r = runner.invoke(app, ["ingest", "--reextract", "--db", db])
    assert "every report was extracted by the current code and rules" in r.output


def test_reextract_leaves_a_report_whose_file_is_gone_or_changed(tmp_path, sample_report):
    src = tmp_path / sample_report.name
    shutil.copy(sample_report, src)
    wh = warehouse_api(tmp_path)
    wh.ingest([str(src)])
    with wh.connect() as con:
        con.execute("UPDATE report SET parser_version = 'old-rules'")
    src.write_text(src.read_text(encoding="utf-8") + "\n附注。\n", encoding="utf-8")
    (r,) = wh.reextract()
    assert r.status == "changed" and "ingest it again" in r.message
    src.unlink()
    (r,) = wh.reextract()
    assert r.status == "missing"


def warehouse_api(tmp_path):
    from yearwise import Warehouse

    return Warehouse(str(tmp_path / "api.duckdb"))
