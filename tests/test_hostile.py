"""Hostile input, built at test time: bombs, deep nesting, damaged bytes, odd names, values out of range.

Every case is one clear line or a flagged load, never a traceback, and the good file of the run still loads.
Refusals must come before the work (the limits are lowered here so the files stay small and the tests fast);
times and memory of the full-size cases are measured by hand in benchmarks/hostile.py.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yearwise import Warehouse
from yearwise.cli import app
from yearwise.ingest import IngestError, read
from yearwise.ingest.numbers import scan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # the hostile files' builders live there
from hostile import docx_package  # noqa: E402

REPORT = ("北京市示例局2023年度部门决算\n一、收入支出决算总体情况说明\n"
          "2023年度收入总计2995.39万元，与2022年度相比减少56.95万元，下降1.87%。\n"
          "本年支出合计2880.10万元，其中基本支出1234.56万元。\n") * 3
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _docx(document_xml: bytes) -> bytes:
    """A minimal DOCX package around `document_xml` (deflated: a bomb stays small on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        docx_package(z)
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(IngestError) as e:
        read(path)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    for w in words:
        assert w in msg, msg
    return msg


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    body += b"<w:p><w:r><w:t>" + "收入100万元".encode() * 400_000 + b"</w:t></w:r></w:p></w:body></w:document>"
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx(body))  # ~6 MB of XML in a ~0.1 MB zip
    assert bomb.stat().st_size < len(body) // 20
    monkeypatch.setenv("YEARWISE_MAX_DOCX_PART_BYTES", str(2**20))
    _refused(bomb, "word/document.xml", "YEARWISE_MAX_DOCX_PART_BYTES")


def test_html_deep_nesting_and_size_are_refused_before_parsing(tmp_path, monkeypatch):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "收入100万元" + "</div>" * 100_000 + "</body></html>",
                    encoding="utf-8")
    _refused(deep, "nested more than 512", "YEARWISE_MAX_HTML_DEPTH")
    monkeypatch.setenv("YEARWISE_MAX_HTML_BYTES", "100000")
    big = tmp_path / "big.html"
    big.write_text("<html><body><p>" + "收入100万元。" * 20_000 + "</p></body></html>", encoding="utf-8")
    _refused(big, "YEARWISE_MAX_HTML_BYTES")


def test_html_nesting_within_the_limit_reads_without_recursion(tmp_path, monkeypatch):
    monkeypatch.setenv("YEARWISE_MAX_HTML_DEPTH", "5000")
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + '<div class="content">' * 4000 + REPORT.replace("\n", "<br>")
                    + "</div>" * 4000 + "</body></html>", encoding="utf-8")
    assert "2995.39万元" in read(page).text


def test_text_size_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("YEARWISE_MAX_TEXT_CHARS", "10000")
    big = tmp_path / "big.txt"
    big.write_text(REPORT * 100, encoding="utf-8")
    _refused(big, "YEARWISE_MAX_TEXT_CHARS")


def test_facts_per_document_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("YEARWISE_MAX_FACTS", "3")
    f = tmp_path / "many.txt"
    f.write_text(REPORT, encoding="utf-8")
    from yearwise.ingest import extract

    with pytest.raises(IngestError, match="YEARWISE_MAX_FACTS"):
        extract(f)


def test_figures_per_document_are_bounded_before_the_walk(tmp_path, monkeypatch):
    """A text dense with figures is refused from a count of its figures, before extraction walks them."""
    f = tmp_path / "dense.txt"
    f.write_text(REPORT * 4, encoding="utf-8")
    from yearwise.ingest import extract, facts

    monkeypatch.setenv("YEARWISE_MAX_FIGURES", "10")
    monkeypatch.setattr(facts, "extract_report", lambda *a, **k: pytest.fail("walked a text over the figures limit"))
    with pytest.raises(IngestError, match="more than 10 figures.*YEARWISE_MAX_FIGURES"):
        extract(f)
    monkeypatch.undo()
    assert extract(f).facts  # under the default limit the same text loads


@pytest.mark.parametrize("damage", ["0xff", "nul", "gbk", "bitflip"])
def test_a_few_damaged_bytes_are_replaced_and_flagged(tmp_path, damage):
    data = REPORT.encode("utf-8")
    at = data.index("本年支出".encode())
    if damage == "0xff":
        data = data[:at] + b"\xff" + data[at:]
    elif damage == "nul":
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "gbk":
        data = data[:at] + "损坏".encode("gbk") + data[at:]
    else:
        data = data[:at + 1] + bytes([data[at + 1] ^ 0x40]) + data[at + 2:]  # a bit of a 3-byte character
    f = tmp_path / f"damaged-{damage}.txt"
    f.write_bytes(data)
    doc = read(f)
    assert doc.warnings and "damaged text" in doc.warnings[0] and f"byte {at}" in doc.warnings[0], doc.warnings
    assert "2995.39万元" in doc.text


def test_binary_is_still_refused(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 64)
    _refused(junk, "binary")
    noise = tmp_path / "noise.txt"
    noise.write_bytes(os.urandom(50_000))
    _refused(noise, "binary")


def test_pdf_without_pages_says_so(tmp_path):
    from conftest import _pdf

    f = tmp_path / "empty.pdf"
    f.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    msg = _refused(f, "no pages")
    assert "Success" not in msg


def test_chinese_numerals_in_every_mix():
    cases = {"本年收入合计一亿五千万元。": [("15000", "万元")], "1亿2千万元": [("12000", "万元")],
             "3.5万亿元": [("350000000", "万元")], "两千零五十万元": [("2050", "万元")],
             "0.0000001万元": [("0.0000001", "万元")],
             "八千四百八十五亿三千二百一十六万五千四百三十二元": [("84853216.5432", "万元")]}
    for text, want in cases.items():
        assert [(q.value, q.unit) for q in scan(text)] == [(Decimal(v), u) for v, u in want], text
    long = "九" * 70 + "万元"  # longer than any numeral: no tail of it read as a number
    assert scan(long) == []


def test_out_of_range_value_is_refused_alone_and_the_report_loads(tmp_path):
    f = tmp_path / "range.txt"
    f.write_text(REPORT + "2023年度收入总计1,234,567,890,123,456,789万元，与2022年度相比减少56.95万元。"
                 "另有0.0000001万元结余。\n", encoding="utf-8")
    wh = Warehouse(tmp_path / "w.duckdb")
    summary = wh.ingest([f])
    row = summary.rows[0]
    assert row.status == "loaded" and row.facts > 0, row
    assert len(row.warnings) == 1 and "1,234,567,890,123,456,789万元" in row.warnings[0], row.warnings
    assert "「2023年度收入总计1,234,567,890,123,456,789万元" in row.warnings[0]  # the sentence it stood in
    values = wh.sql("select value from fact")["value"].to_list()
    assert Decimal("0.0000001") in values and Decimal("2995.39") in values
    flagged = wh.sql("select warnings from report")["warnings"][0]
    assert "out of the storable range" in flagged


def test_gbk_file_names_ingest_and_show_readably(tmp_path):
    name = "北京市示例局2023年度部门决算.txt".encode("gbk")
    raw = os.path.join(os.fsencode(tmp_path), name)
    with open(raw, "wb") as fh:
        fh.write(REPORT.encode("utf-8"))
    wh = Warehouse(tmp_path / "w.duckdb")
    summary = wh.ingest([tmp_path])
    assert summary.ok, summary.to_frame()
    assert summary.rows[0].file.endswith("北京市示例局2023年度部门决算.txt")
    assert wh.sql("select source from report")["source"][0].endswith("北京市示例局2023年度部门决算.txt")


UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]  # root without its power over modes
INGEST_ROWS = ("import json, sys; from yearwise import Warehouse; s = Warehouse(sys.argv[1]).ingest([sys.argv[2]]); "
               "print(json.dumps([[r.file, r.status, r.failed, r.error] for r in s.rows]))")


def _ingest_rows(db: Path, folder: Path) -> list[tuple]:
    """(file, status, failed, error) of ingesting `folder`: here, or as root without the capabilities that let it
    read any folder (setpriv, in a child process), so an unreadable folder is unreadable under root too."""
    if os.geteuid() != 0:
        return [(r.file, r.status, r.failed, r.error) for r in Warehouse(db).ingest([folder]).rows]
    if shutil.which("setpriv") is None:
        pytest.skip("root reads any folder, and setpriv (util-linux) is not there to drop that")
    probe = subprocess.run([*UNPRIVILEGED, sys.executable, "-c", "import os, sys; os.listdir(sys.argv[1])",
                            str(folder / "locked")], capture_output=True, text=True)
    if "PermissionError" not in probe.stderr:
        pytest.skip(f"setpriv could not drop root's read-anything capability: {probe.stderr.strip()[-200:]}")
    p = subprocess.run([*UNPRIVILEGED, sys.executable, "-c", INGEST_ROWS, str(db), str(folder)],
                       capture_output=True, text=True, check=True)
    return [tuple(row) for row in json.loads(p.stdout)]


def test_an_unreadable_folder_is_a_failure(tmp_path):
    reports = tmp_path / "reports"
    (reports / "ok").mkdir(parents=True)
    (reports / "ok" / "a.txt").write_text(REPORT, encoding="utf-8")
    locked = reports / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(REPORT, encoding="utf-8")
    locked.chmod(0)
    try:
        rows = _ingest_rows(tmp_path / "w.duckdb", reports)
    finally:
        locked.chmod(0o755)
    assert [status for file, status, _, _ in rows if file.endswith("a.txt")] == ["loaded"]
    assert [(status, error) for file, status, _, error in rows if file.endswith("locked")] == [
        ("failed", "cannot read folder: Permission denied")], rows


@pytest.mark.parametrize("name, words", [("huge.txt", "bytes of text"), ("huge.html", "HTML of"),
                                         ("huge.jsp", "HTML of")])
def test_a_huge_text_or_html_file_is_refused_from_its_size_before_it_is_read(tmp_path, name, words):
    import tracemalloc

    f = tmp_path / name
    with open(f, "wb") as fh:
        fh.write("收入".encode() if name.endswith(".txt") else b"<html><body><p>")
        fh.truncate(2**30)  # a sparse GiB: nothing on disk, and nothing read when the size is judged first
    tracemalloc.start()
    try:
        _refused(f, words, "1,073,741,824")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"{peak:,} bytes allocated to refuse it"


def _export(db: Path, out: Path, limit: int | None = None) -> tuple[int, str]:
    """(exit status, stderr) of `yearwise export`: in this process, or in a child whose files may not grow past
    `limit` bytes (RLIMIT_FSIZE: a write past it fails with EFBIG, as a full disk fails one with ENOSPC)."""
    if limit is None:
        r = CliRunner().invoke(app, ["--db", str(db), "export", "--out", str(out)])
        return r.exit_code, r.stderr + r.stdout
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
            "from yearwise.cli import app; sys.argv[0] = 'yearwise'; app()")
    p = subprocess.run([sys.executable, "-c", code, "--db", str(db), "export", "--out", str(out)],
                       capture_output=True, text=True)
    return p.returncode, p.stderr + p.stdout


def test_export_to_a_full_disk_is_one_line_and_leaves_no_dataset(tmp_path):
    """A disk that fills up at each point of an export (a 64 KiB tmpfs filled to a different level each time; where
    no tmpfs can be mounted, a cap on the size of a file the export process may write): one line naming the file and
    the cause, no traceback, and no folder that `yearwise load` would take for a dataset."""
    wh = Warehouse(tmp_path / "w.duckdb")
    assert wh.ingest([SAMPLE]).ok
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = (os.geteuid() == 0 and shutil.which("mount") is not None and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True).returncode == 0)
    outcomes = []
    try:
        for kib in range(4, 64, 4):
            out = disk / "dataset"
            if mounted:
                (disk / "fill").write_bytes(b"\0" * (64 - kib) * 1024)  # kib KiB left free
                status, said = _export(wh.path, out)
                (disk / "fill").unlink()
            else:
                status, said = _export(wh.path, out, limit=kib * 1024)
            assert "Traceback" not in said
            if status == 0:
                assert (out / "reports.parquet").is_file() and any((out / "facts").rglob("*.parquet"))
                shutil.rmtree(out)
            else:
                lines = said.strip().splitlines()
                assert len(lines) == 1 and str(out) in lines[0], said
                assert "No space left on device" in lines[0] or "File too large" in lines[0], said
                assert not out.exists(), sorted(p.name for p in out.rglob("*"))
            outcomes.append(status)
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)
    assert 1 in outcomes and outcomes[-1] == 0, outcomes  # it failed where the disk was full, and worked with room


def test_one_run_of_hostile_files_loads_the_good_one(tmp_path, monkeypatch):
    monkeypatch.setenv("YEARWISE_MAX_DOCX_PART_BYTES", str(2**20))
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "bomb.docx").write_bytes(_docx(b"<w:document/>" + b" " * 3_000_000))
    (tmp_path / "deep.html").write_text("<div>" * 2000 + "x", encoding="utf-8")
    (tmp_path / "noise.txt").write_bytes(os.urandom(10_000))
    damaged = REPORT.replace("北京市示例局", "北京市示例二局").encode()
    (tmp_path / "damaged.txt").write_bytes(damaged[:40] + b"\xff" + damaged[40:])
    r = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "w.duckdb")])
    out = r.stdout + r.stderr
    assert "Traceback" not in out
    assert r.exit_code == 1  # failures reported
    wh = Warehouse(tmp_path / "w.duckdb")
    sources = set(wh.sql("select source from report")["source"].to_list())
    assert {str(tmp_path / "good.txt"), str(tmp_path / "damaged.txt")} <= sources
    assert "flagged" in out


def test_json_out_is_strict(tmp_path):
    wh = Warehouse(tmp_path / "w.duckdb")
    assert wh.ingest([SAMPLE]).ok
    r = CliRunner().invoke(app, ["--db", wh.path, "sql", "--format", "json",
                                 "select interval 1 day as i, 'nan'::double as n, 'ab'::blob as b, "
                                 "'inf'::double as f"])
    assert r.exit_code == 0, r.stderr
    import json

    assert json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}")) == \
        [{"i": "1 day", "n": None, "b": "YWI=", "f": None}]
