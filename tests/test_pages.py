"""The report site without a browser: every page is written, links resolve to elements that exist, nothing
points to the network, every fact has exactly one highlight, and PDF pages are drawn with their boxes."""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yearwise import Warehouse
from yearwise.cli import app
from yearwise.demo import build_demo
from yearwise.pages.data import FactRow
from yearwise.pages.pdfimage import png_gray, render_pages
from yearwise.pages.review import marked_text, untaken_numbers

try:  # tests/ on sys.path (pytest's default import mode)
    from conftest import make_text_pdf
except ImportError:  # tests as a package
    from tests.conftest import make_text_pdf


class Page(HTMLParser):
    """Ids, links, resource URLs and elements with class `fact` of one HTML file."""

    def __init__(self, path: Path):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.facts: list[str] = []
        self.classes: Counter = Counter()
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        classes = (a.get("class") or "").split()
        self.classes.update(classes)
        if "fact" in classes:
            self.facts.append(a.get("id"))
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        for attr in ("src", "href", "srcset", "data", "poster", "action"):
            if attr in a and not (tag == "a" and attr == "href"):
                self.resources.append(a[attr])


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("pages-demo")
    wh = build_demo(base / "demo.duckdb", workdir=base / "work")
    summary = wh.report(base / "site")
    return wh, summary


def _facts_per_report(wh: Warehouse) -> dict[int, int]:
    df = wh.sql("SELECT report_id, count(*) AS n FROM fact GROUP BY report_id")
    return dict(zip(df["report_id"].to_list(), df["n"].to_list()))


def test_demo_site_has_every_page(demo_site):
    wh, s = demo_site
    reports = wh.sql("SELECT report_id FROM report")["report_id"].to_list()
    departments = wh.sql("SELECT DISTINCT department FROM facts")["department"].to_list()
    assert s.documents == len(reports) and s.departments == len(departments)
    assert sorted(p.name for p in (s.out / "docs").glob("r*.html")) == sorted(f"r{r}.html" for r in reports)
    index = Page(s.index)
    listed = [h for h in index.links if h.startswith("departments/")]
    assert len(set(listed)) == len(departments)
    text = s.index.read_text(encoding="utf-8")
    assert all(name in text for name in departments)
    assert (s.out / "assets" / "YearwiseSansSC-Regular.otf").stat().st_size > 1_000_000


def test_no_page_points_to_the_network(demo_site):
    _, s = demo_site
    remote = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
    for path in s.out.rglob("*.html"):
        page = Page(path)
        assert not [u for u in page.resources + page.links if remote.match(u)], path
    for css in (s.out / "assets").glob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css.read_text(encoding="utf-8")), css
    assert "http" not in (s.out / "assets" / "site.js").read_text(encoding="utf-8")


def test_every_fact_has_one_highlight_and_every_link_lands(demo_site):
    wh, s = demo_site
    counts = _facts_per_report(wh)
    pages = {p: Page(p) for p in (s.out / "docs").glob("r*.html")}
    for path, page in pages.items():
        rid = int(path.stem[1:])
        assert len(page.facts) == counts.get(rid, 0), path.name
        assert len(set(page.facts)) == len(page.facts)
    linked = 0
    for dep in (s.out / "departments").glob("*.html"):
        for href in Page(dep).links:
            if "#f" in href:
                target, anchor = href.split("#")
                doc = (dep.parent / target).resolve()
                assert anchor in pages[doc].ids, href
                linked += 1
    # every current fact of a department is reachable from its department page
    assert linked >= wh.sql("SELECT count(*) AS n FROM facts WHERE department IS NOT NULL")["n"][0]


def test_department_page_has_a_row_per_indicator_and_charts(demo_site):
    wh, s = demo_site
    name = "示例区教育局"
    dep_id = wh.sql(f"SELECT department_id FROM department WHERE name = '{name}'")["department_id"][0]
    html = (s.out / "departments" / f"d{dep_id}.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="indicator-row" id="[^"]+" data-indicator="([^"]+)"', html)
    expected = wh.sql(f"SELECT DISTINCT indicator FROM facts WHERE department = '{name}'")["indicator"].to_list()
    assert sorted(rows) == sorted(expected)
    for chart in ("budget-spending", "three-public", "outputs"):
        svg = re.search(rf'id="chart-{chart}">(<svg.*?</svg>)', html, re.S)
        assert svg and svg.group(1).count("<path") > 5, chart
    assert "SYNTHETIC" in html


def test_review_page_labels_facts_and_shows_numbers_left_out(demo_site):
    wh, s = demo_site
    rid = wh.sql("SELECT report_id FROM report WHERE source LIKE '%中关村%'")["report_id"][0]
    html = (s.out / "docs" / f"r{rid}.html").read_text(encoding="utf-8")
    page = Page(s.out / "docs" / f"r{rid}.html")
    one = wh.sql(f"SELECT fact_id, indicator_code, rule FROM fact WHERE report_id = {rid} AND "
                 "indicator_code = 'budget.total' LIMIT 1").row(0)
    mark = re.search(rf'<mark id="f{one[0]}" class="fact[^"]*"[^>]*data-label="([^"]*)"', html)
    assert mark and "budget.total" in mark.group(1) and f"规则：{one[2]}" in mark.group(1)
    assert page.classes["untaken"] > 0


def _fact(i, start, end, indicator="budget.total") -> FactRow:
    return FactRow(fact_id=i, report_id=1, department_id=1, year=2023, indicator=indicator, indicator_name="x",
                   category=None, measure="level", period="FY", scope="department", value=Decimal(1), unit="万元",
                   approximate=False, compared_to=None, raw_value="1", raw_unit="万元", quote="", start=start,
                   end=end, section="", rule="level", doc_kind="budget", report_year=2023, status="current")


def test_marks_nest_and_a_crossing_span_is_cut_not_lost():
    text = "基本支出和项目支出分别为100万元和200万元，另有300人。"
    facts = [_fact(1, 0, 18), _fact(2, 12, 18), _fact(3, 14, 24), _fact(4, 19, 24)]
    untaken = untaken_numbers(text, [(f.start, f.end) for f in facts])
    html = marked_text(text, facts, untaken)
    assert [int(i) for i in re.findall(r'<mark id="f(\d+)"', html)] == [1, 2, 3, 4]
    assert html.count("<mark") == html.count("</mark>") == 4
    assert 'class="fact clipped"' in html  # fact 3 crosses fact 1's end
    assert re.sub(r"<[^>]+>", "", html).replace("&quot;", '"') == text
    assert untaken == [(text.index("300"), text.index("人") + 1)] and 'class="untaken"' in html


def test_page_images_are_grey_pngs_of_every_page(tmp_path):
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(make_text_pdf())
    pages = render_pages(pdf, tmp_path / "img", "r1")
    assert [p.number for p in pages] == [1] and (pages[0].width, pages[0].height) == (300, 200)
    data = (tmp_path / "img" / pages[0].file).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == pages[0].pixels == (450, 300)
    raw = zlib.decompress(data[data.index(b"IDAT") + 4: data.index(b"IEND") - 8])
    assert len(raw) == h * (w + 1) and min(raw[1:]) < 128 < max(raw[1:])  # the text drew dark pixels
    assert png_gray(2, 1, 4, b"\x00\xff\x00\x00")[:8] == data[:8]


def test_api_and_cli_limit_to_a_department(demo_site, tmp_path):
    wh, _ = demo_site
    s = wh.report(tmp_path / "one", department="示例区教育局")
    assert s.departments == 1 and s.documents == len(wh.sql(
        "SELECT 1 FROM report r JOIN department d USING (department_id) WHERE d.name = '示例区教育局'"))
    r = CliRunner().invoke(app, ["--db", wh.path, "report", "--out", str(tmp_path / "cli"), "-d", "没有这个部门"])
    assert r.exit_code == 1 and "没有这个部门" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["--db", wh.path, "report", "--out", str(tmp_path / "cli"), "-d", "示例区教育局"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "cli" / "index.html").is_file()


def test_notebook_page_is_self_contained(demo_site):
    wh, _ = demo_site
    page = wh.department_page("示例区教育局")
    html = page._repr_html_()
    assert "data:font/otf;base64," in html and "<svg" in html and 'class="indicator-row"' in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)


def test_corpus_pdf_review_pages_draw_every_page(corpus, tmp_path):
    files = [corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf"]
    wh = Warehouse(tmp_path / "c.duckdb")
    assert wh.ingest(files).ok
    s = wh.report(tmp_path / "site")
    rid, pages = wh.sql("SELECT report_id, pages FROM report").row(0)
    assert s.page_images == pages > 1
    page = Page(s.out / "docs" / f"r{rid}.html")
    assert len(page.facts) == _facts_per_report(wh)[rid]
    imgs = [u for u in page.resources if u.endswith(".png")]
    assert len(imgs) == pages and all((s.out / "docs" / u).is_file() for u in imgs)
    cols = set(wh.sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'fact'")["column_name"])
    if {"page", "x0", "y0", "x1", "y1"} <= cols:
        boxed = wh.sql(f"SELECT count(*) AS n FROM fact WHERE report_id = {rid} AND x0 IS NOT NULL")["n"][0]
        assert page.classes["box"] == boxed


def test_failed_checks_are_counted_flagged_and_marked(demo_site, tmp_path):
    wh, _ = demo_site
    db = tmp_path / "planted.duckdb"
    import shutil

    shutil.copyfile(wh.path, db)
    planted = Warehouse(db)
    # plant one failed and one doubtful check on facts the demo's checks already cover
    ids = planted.sql("SELECT c.check_id, cf.fact_id FROM checks c JOIN check_fact cf USING (check_id) "
                      "WHERE cf.blamed ORDER BY c.check_id LIMIT 2").rows()
    assert len(ids) == 2
    planted.sql(f"UPDATE checks SET status = 'fail', message = '计划的失败' WHERE check_id = {ids[0][0]}", write=True)
    planted.sql(f"UPDATE checks SET status = 'doubtful' WHERE check_id = {ids[1][0]}", write=True)
    s = planted.report(tmp_path / "site")
    html = s.index.read_text(encoding="utf-8")
    assert "未通过 1，存疑 1" in html
    assert len(re.findall(r'class="num count-fail">1<', html)) == 1
    fact = planted.sql(f"SELECT f.report_id, d.name, d.department_id FROM fact f JOIN department d USING "
                       f"(department_id) WHERE f.fact_id = {ids[0][1]}").row(0)
    review = (s.out / "docs" / f"r{fact[0]}.html").read_text(encoding="utf-8")
    mark = re.search(rf'<mark id="f{ids[0][1]}" class="fact doubted[^"]*"[^>]*data-label="([^"]*)"', review)
    assert mark and "计划的失败" in mark.group(1)
    dep_page = (s.out / "departments" / f"d{fact[2]}.html").read_text(encoding="utf-8")
    assert 'class="cell flag-fail"' in dep_page and "计划的失败" in dep_page
