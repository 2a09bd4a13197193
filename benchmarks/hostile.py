"""Hostile files at full size: each built here at run time, ingested by the CLI in its own process, timed.

Run by hand:  .venv/bin/python benchmarks/hostile.py [--dir DIR] [--only NAME ...]
For each case it prints the input's size, the wall time and the peak memory (max RSS) of the `yearwise ingest`
process, its exit status and its first line of output about the file: a refusal naming the file and the cause, a
flagged load, or a load. A case fails the run (exit 1) when the output holds a traceback or when it takes over 30 s
or 2 GB, the bounds of issue #12. The files are written into a temporary folder (about 1.1 GB at the most, one case
at a time) and removed after their case. The limits in force are the defaults (ingest/limits.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPORT = ("北京市示例局2023年度部门决算\n一、收入支出决算总体情况说明\n"
          "2023年度收入总计2995.39万元，与2022年度相比减少56.95万元，下降1.87%。\n"
          "本年支出合计2880.10万元，其中基本支出1234.56万元。\n")
MAX_SECONDS = 30
MAX_BYTES = 2 * 2**30
MB = 2**20


def _chunks(total: int, unit: bytes):
    """`unit` repeated to `total` bytes, in blocks of about 4 MB (nothing of that size is held at once)."""
    block = unit * max(1, (4 * MB) // len(unit))
    left = total
    while left > 0:
        yield block[:left]
        left -= len(block)


def docx_package(z: zipfile.ZipFile) -> None:
    """Write into `z` the parts a DOCX needs besides word/document.xml (content types, the one relationship); the
    caller writes word/document.xml (streamed here; from bytes in tests/test_hostile.py)."""
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
               '</Types>')
    z.writestr("_rels/.rels",
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def docx_bomb(d: Path) -> Path:
    """A DOCX whose document.xml inflates to 200 MB (about 0.6 MB zipped)."""
    path = d / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        docx_package(z)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for block in _chunks(200 * MB, "<w:p><w:r><w:t>收入100万元</w:t></w:r></w:p>".encode()):
                f.write(block)
            f.write(b"</w:body></w:document>")
    return path


def deep_html(d: Path) -> Path:
    """HTML nested 100,000 <div>s deep."""
    path = d / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + REPORT + "</div>" * 100_000 + "</body></html>",
                    encoding="utf-8")
    return path


def big_html(d: Path) -> Path:
    """84 MB of HTML: one report's paragraphs over and over."""
    path = d / "big.html"
    para = ("<p>" + REPORT.replace("\n", "</p><p>") + "</p>").encode()
    with open(path, "wb") as f:
        f.write(b"<html><body>")
        for block in _chunks(84 * MB, para):
            f.write(block)
        f.write(b"</body></html>")
    return path


def big_txt(d: Path) -> Path:
    """432 MB of text."""
    path = d / "big.txt"
    with open(path, "wb") as f:
        for block in _chunks(432 * MB, REPORT.encode()):
            f.write(block)
    return path


def damaged(d: Path) -> Path:
    """A UTF-8 report with a 0xFF byte, a NUL and a few GBK bytes in it: read with them replaced, and flagged."""
    data = (REPORT * 20).encode()
    at = data.index("本年支出".encode())
    path = d / "damaged.txt"
    path.write_bytes(data[:at] + b"\xff" + data[at:at + 30] + b"\x00" + data[at + 30:at + 60]
                     + "损坏".encode("gbk") + data[at + 60:])
    return path


def gbk_name(d: Path) -> Path:
    """A good report under a file name of GBK bytes (what unzipping a Chinese Windows archive gives)."""
    raw = os.path.join(os.fsencode(d), "北京市示例局2023年度部门决算.txt".encode("gbk"))
    with open(raw, "wb") as f:
        f.write(REPORT.encode())
    return Path(os.fsdecode(raw))


def out_of_range(d: Path) -> Path:
    """A report with one value too large to store: that value refused alone, the report loaded and flagged."""
    path = d / "range.txt"
    path.write_text(REPORT + "2023年度收入总计1,234,567,890,123,456,789万元。\n", encoding="utf-8")
    return path


def noise(d: Path) -> Path:
    """10 MB of random bytes named .txt."""
    path = d / "noise.txt"
    path.write_bytes(os.urandom(10 * MB))
    return path


def many_facts(d: Path) -> Path:
    """8 MB of figures (about 500,000 numbers), under the text limit: refused from a count of its figures."""
    path = d / "many.txt"
    with open(path, "wb") as f:
        for block in _chunks(8 * MB - 4096, REPORT.encode()):
            f.write(block)
    return path


CASES = {"docx-bomb": docx_bomb, "html-100k-deep": deep_html, "html-84MB": big_html, "txt-432MB": big_txt,
         "damaged-bytes": damaged, "gbk-name": gbk_name, "out-of-range": out_of_range, "noise-10MB": noise,
         "txt-8MB-many-facts": many_facts}


def run_case(name: str, build, work: Path) -> dict:
    """Build the case in its own folder, ingest it with the CLI in a child process, measure it, remove it."""
    d = work / name
    d.mkdir()
    try:
        path = build(d)
        size = path.stat().st_size
        out, err = d / "stdout", d / "stderr"
        t = time.perf_counter()
        with open(out, "wb") as o, open(err, "wb") as e:
            child = subprocess.Popen([sys.executable, "-m", "yearwise.cli", "ingest", str(path), "--db",
                                      str(d / "w.duckdb"), "--workers", "1"], stdout=o, stderr=e)
            _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t
        text = out.read_text(errors="replace") + err.read_text(errors="replace")
        lines = [" ".join(line.replace("│", " ").split()) for line in text.splitlines()]
        said = next((ln for ln in lines if "flagged" in ln or "error" in ln.lower() or path.name[:12] in ln
                     and ("failed" in ln or ":" in ln)), lines[0] if lines else "")
        return {"case": name, "bytes": size, "seconds": seconds, "peak": usage.ru_maxrss * 1024,
                "exit": os.waitstatus_to_exitcode(status), "traceback": "Traceback" in text, "said": said}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=None, help="where to build the files (default: a temporary folder)")
    ap.add_argument("--only", nargs="*", choices=sorted(CASES), help="run these cases only")
    a = ap.parse_args(argv)
    work = Path(a.dir or tempfile.mkdtemp(prefix="yearwise-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    bad = 0
    print(f"{'case':<20} {'input':>9} {'time':>7} {'peak':>8} exit  what the tool said")
    for name in a.only or CASES:
        r = run_case(name, CASES[name], work)
        ok = not r["traceback"] and r["seconds"] <= MAX_SECONDS and r["peak"] <= MAX_BYTES
        bad += not ok
        print(f"{r['case']:<20} {r['bytes'] / MB:>7.1f}MB {r['seconds']:>6.1f}s {r['peak'] / MB:>6.0f}MB "
              f"{r['exit']:>4}  {'' if ok else 'OVER BOUNDS / TRACEBACK: '}{r['said'][:110]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
