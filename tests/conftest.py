"""Shared fixtures: the real corpus (skipped when ../shared is absent) and small files generated at test time.

Nothing binary is committed: PDFs (plain, encrypted, truncated, image-only), DOCX, HTML and text files in
several encodings are all built here by code into a temporary directory.
"""

from __future__ import annotations

import hashlib
import random
import struct
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLE_DIR = REPO / "data" / "sample"

CHINESE = "一、收入支出决算总体情况说明\n2024年度收入支出总计2995.39万元，与2023年度相比减少56.95万元，下降1.87%。\n"


# `slow` (the rule is here, never scattered as decorators): a test that reads the real corpus, builds the demo, a
# DuckDB warehouse or big data, starts a process (a pool, a cluster, a subprocess, a browser) or renders a chart.
# A warehouse counts because opening, migrating and loading one costs 0.3-1 s a test on a shared machine.
# `make test` runs everything; `make test-fast` (pytest -m "not slow") runs the rest, the pure extraction engine and
# the rule files, in seconds. A test is slow when it uses one of SLOW_FIXTURES (directly or through another
# fixture), sits in one of SLOW_MODULES, or is named in SLOW_TESTS; each says why.
SLOW_FIXTURES = {
    "corpus": "reads the real corpus",
    "demo_db": "builds the demo warehouse",
    "planted": "builds a warehouse",
}
SLOW_MODULES = {
    "test_corpus.py": "reads the corpus wholesale",
    "test_corpus_warehouse.py": "loads the corpus",
    "test_precision.py": "scores the corpus",
    "test_notebook.py": "runs the notebook in a kernel",
    "test_demo.py": "builds the demo",
    "test_help_examples.py": "runs every --help example on the demo",
    "test_pool.py": "process pools and a Dask cluster",
    "test_pages_browser.py": "a headless browser",
    "test_pages.py": "builds the demo and its site",
    "test_charts.py": "renders charts",
    # the warehouse and its faces: nearly every test builds a warehouse
    "test_answers.py": "warehouses", "test_api.py": "warehouses", "test_cli.py": "warehouses",
    "test_dataset.py": "warehouses", "test_facts_view.py": "warehouses", "test_load.py": "warehouses",
    "test_params.py": "warehouses", "test_queries.py": "warehouses", "test_read_only.py": "warehouses",
    "test_reextract.py": "warehouses", "test_sqlalchemy.py": "warehouses", "test_terminal.py": "warehouses",
    "test_warehouse.py": "warehouses",
}
SLOW_TESTS = {
    "test_departments.py::test_aliases_map_to_one_department_across_years": "a warehouse",
    "test_departments.py::test_a_manual_alias_merges_names_the_folds_cannot_know": "a warehouse",
    "test_hostile.py::test_out_of_range_value_is_refused_alone_and_the_report_loads": "a warehouse",
    "test_hostile.py::test_gbk_file_names_ingest_and_show_readably": "a warehouse",
    "test_hostile.py::test_an_unreadable_folder_is_a_failure": "a warehouse",
    "test_hostile.py::test_one_run_of_hostile_files_loads_the_good_one": "a warehouse",
    "test_hostile.py::test_json_out_is_strict": "a warehouse",
    "test_hostile.py::test_export_to_a_full_disk_is_one_line_and_leaves_no_dataset": "a warehouse, many exports",
    "test_identity.py::test_unidentified_reports_stay_out_of_facts_until_a_department_is_given": "a warehouse",
    "test_identity.py::test_reports_of_two_entity_levels_neither_supersede_nor_conflict": "a warehouse",
    "test_identity.py::test_the_conflicts_view_lists_each_value_with_its_quote_and_source": "a warehouse",
    "test_rules.py::test_a_report_family_is_added_with_a_data_file_only": "subprocesses and a warehouse",
    "test_rules.py::test_a_broken_families_file_is_one_line_even_before_the_modules_load": "a CLI subprocess",
    "test_synthetic.py::test_ingest_recall_on_synthetic": "a warehouse",
    "test_synthetic.py::test_catalog_indicators_named_right_on_synthetic": "a warehouse",
}


def pytest_configure(config):
    """Stop at once, with the fix, when this environment lacks a dependency pyproject.toml pins (a stale .venv made
    xlsx and SVG tests fail with ModuleNotFoundError deep inside the run)."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wrong = []
    for spec in (*project["dependencies"], *project["optional-dependencies"]["test"]):
        req = Requirement(spec)
        try:
            found = version(req.name)
        except PackageNotFoundError:
            found = None
        if found is None or not req.specifier.contains(found, prereleases=True):
            wrong.append(f"{req.name} {found or 'missing'} (pyproject.toml wants {req.specifier})")
    if wrong:
        pytest.exit("this environment does not match pyproject.toml: " + "; ".join(wrong) + ". Run `make install`.",
                    returncode=4)


def pytest_ignore_collect(collection_path, config):
    """Under exactly `-m "not slow"` a module in SLOW_MODULES is not even imported: importing them (altair, pandas,
    SQLAlchemy, nbclient) is most of the fast run's time otherwise."""
    if collection_path.name in SLOW_MODULES and " ".join(config.getoption("markexpr", "").split()) == "not slow":
        return True
    return None


def pytest_collection_modifyitems(config, items):
    """Mark `slow` by the rule above; a name in SLOW_TESTS that matches no test is an error (a renamed test would
    otherwise silently become fast)."""
    unused = set(SLOW_TESTS)
    for item in items:
        test = f"{item.path.name}::{item.originalname}"
        unused.discard(test)
        if (set(getattr(item, "fixturenames", ())) & SLOW_FIXTURES.keys() or item.path.name in SLOW_MODULES
                or test in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
    collected = {item.path.name for item in items}
    stale = sorted(t for t in unused if t.split("::")[0] in collected)
    if stale:
        raise pytest.UsageError(f"tests/conftest.py SLOW_TESTS names tests that do not exist: {', '.join(stale)}")


@pytest.fixture(scope="session")
def corpus() -> Path:
    """../shared/corpus beside the repo; tests using it skip on a clone without it."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this clone")
    return CORPUS


@pytest.fixture(scope="session")
def sample_report() -> Path:
    """The bundled Beijing performance-evaluation report (always present)."""
    return next(SAMPLE_DIR.glob("*.txt"))


# ---------------------------------------------------------------- hand-written PDFs

def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """Assemble numbered objects (1..n, object 1 the catalog) into a PDF with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _page_objects(content: bytes | None) -> list[bytes]:
    """Catalog, pages, one page with Helvetica text (or no content stream at all), content, font."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 5 0 R >> >>"
    page += b" /Contents 4 0 R >>" if content is not None else b" >>"
    stream = content or b""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


TEXT_STREAM = b"BT /F1 12 Tf 20 150 Td (Total 2995.39) Tj ET"


def make_text_pdf() -> bytes:
    """A one-page PDF whose text layer says 'Total 2995.39'."""
    return _pdf(_page_objects(TEXT_STREAM))


def make_imageonly_pdf() -> bytes:
    """A one-page PDF with no text at all, like a scan."""
    return _pdf(_page_objects(None))


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def make_encrypted_pdf(user_password: bytes = b"secret", owner_password: bytes = b"owner") -> bytes:
    """The text PDF encrypted with the Standard security handler, revision 2 (RC4 40-bit, PDF 1.4 §3.5).

    Pure Python so CI needs no qpdf; opening it without `user_password` fails like any protected report.
    """
    doc_id = hashlib.md5(b"yearwise test fixture").digest()
    perms = -4
    o_key = hashlib.md5((owner_password + _PAD)[:32]).digest()[:5]
    o_value = _rc4(o_key, (user_password + _PAD)[:32])
    key = hashlib.md5((user_password + _PAD)[:32] + o_value + struct.pack("<i", perms) + doc_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    obj_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    objects = _page_objects(_rc4(obj_key, TEXT_STREAM))
    objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                   % (o_value.hex().encode(), u_value.hex().encode(), perms))
    hex_id = doc_id.hex().encode()
    return _pdf(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (hex_id, hex_id))


# ---------------------------------------------------------------- other formats

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>普陀区财政局2024年度部门决算</title>
<script>var menu = "首页 政务公开 收入支出";</script><style>.nav {{ color: red }}</style></head>
<body>
<div id="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a>信息公开目录</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 财政预决算</div>
<div class="main"><div class="TRS_Editor">
<h2>一、收入支出决算总体情况说明</h2>
<p>2024年度收入支出总计<b>2,995.39</b>万元，与2023年度相比，<span>减少56.95万元</span>，下降1.87%。</p>
<table border="1">
<tr><th>项目</th><th>决算数</th><th>上年数</th></tr>
<tr><td>收入合计</td><td>2,946.25</td><td>3,003.20</td></tr>
<tr><td>支出合计</td><td>2,940.05</td><td>3,003.19</td></tr>
</table>
<p>主要原因：人员变化。</p>
</div></div>
<div class="footer">版权所有：上海市普陀区人民政府　网站地图</div>
</body></html>
"""


def make_docx(path: Path) -> Path:
    """A DOCX with a heading, a paragraph, a table with a merged cell, and a closing paragraph, in that order."""
    import docx

    d = docx.Document()
    d.add_heading("一、收入支出决算总体情况说明", level=1)
    d.add_paragraph("2024年度收入支出总计２，９９５．３９万元。")
    t = d.add_table(rows=3, cols=3)
    for c, text in enumerate(("项目", "决算数", "上年数")):
        t.cell(0, c).text = text
    merged = t.cell(1, 0).merge(t.cell(1, 1))
    merged.text = "收入合计（含结转）"
    t.cell(1, 2).text = "2,946.25"
    for c, text in enumerate(("支出合计", "2,940.05", "3,003.19")):
        t.cell(2, c).text = text
    d.add_paragraph("表后说明：数据为决算数。")
    d.save(path)
    return path


@pytest.fixture
def files(tmp_path):
    """A factory writing generated content to tmp_path under a given name: files('a.txt', b'...') -> Path."""

    def write(name: str, data: bytes | str) -> Path:
        p = tmp_path / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    return write


@pytest.fixture
def random_bytes() -> bytes:
    """4 KB of seeded random bytes (NULs and undecodable sequences included)."""
    return random.Random(20240101).randbytes(4096)


# ---------------------------------------------------------------- the demo warehouse


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """A demo warehouse (the bundled real report plus synthetic 示例 reports), built once per test session."""
    from yearwise.demo import build_demo

    base = tmp_path_factory.mktemp("demo-db")
    return build_demo(base / "demo.duckdb", workdir=base).path


# ---------------------------------------------------------------- ruled tables drawn as PDFs (pypdfium2)

FONT = REPO / "yearwise" / "data" / "YearwiseSansSC-Regular.otf"


def ruled_table(x: float, top: float, widths: list[float], height: float, cells) -> list[tuple]:
    """Drawing items for a ruled table: `cells` are (r0, c0, r1, c1, text), each outlined; text lines split on \\n."""
    edges = [x]
    for w in widths:
        edges.append(edges[-1] + w)
    items = []
    for r0, c0, r1, c1, text in cells:
        x0, x1 = edges[c0], edges[c1]
        y0, y1 = top + r0 * height, top + r1 * height
        items += [("line", x0, y0, x1, y0), ("line", x0, y1, x1, y1), ("line", x0, y0, x0, y1), ("line", x1, y0, x1, y1)]
        lines = text.split("\n") if text else []
        for k, line in enumerate(lines):
            items.append(("text", line, x0 + 3, y0 + 2 + k * 9, 8))
    return items


def draw_pdf(pages: list[list[tuple]], rotated: tuple[int, ...] = (), size=(600, 400)) -> bytes:
    """A PDF drawn at test time: each page a list of ("text", s, X, Y, size) and ("line", X0, Y0, X1, Y1) items in
    display coordinates (points from the top-left). Pages listed in `rotated` are drawn sideways and carry
    /Rotate 90, as landscape tables in portrait PDFs are."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    font = FONT.read_bytes()
    pdf = pdfium.PdfDocument.new()
    buf = (ctypes.c_uint8 * len(font)).from_buffer_copy(font)
    handle = raw.FPDFText_LoadFont(pdf.raw, buf, len(font), raw.FPDF_FONT_TRUETYPE, True)
    W, H = size
    for n, items in enumerate(pages):
        rot = n in rotated
        page = pdf.new_page(H, W) if rot else pdf.new_page(W, H)

        def user(X, Y):
            return (Y, X) if rot else (X, H - Y)

        for item in items:
            if item[0] == "text":
                _, s, X, Y, sz = item
                obj = raw.FPDFPageObj_CreateTextObj(pdf.raw, handle, sz)
                ws = (s + "\0").encode("utf-16-le")
                raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(ws), ctypes.POINTER(raw.FPDF_WCHAR)))
                x, y = user(X, Y + 0.88 * sz)
                if rot:
                    raw.FPDFPageObj_Transform(obj, 0, 1, -1, 0, x, y)
                else:
                    raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            else:
                _, X0, Y0, X1, Y1 = item
                obj = raw.FPDFPageObj_CreateNewPath(*user(X0, Y0))
                raw.FPDFPath_LineTo(obj, *user(X1, Y1))
                raw.FPDFPath_SetDrawMode(obj, 0, True)
            raw.FPDFPage_InsertObject(page.raw, obj)
        if rot:
            raw.FPDFPage_SetRotation(page.raw, 1)
        raw.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
