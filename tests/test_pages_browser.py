"""The report site in headless Chromium (skipped when no browser is installed): the index lists every
department and its search finds indicators; department pages draw their charts and have a row per indicator;
review pages highlight every fact and every fact link lands; no page requests anything from the network.

Screenshots of the index, a department page and a PDF review page go to tmp, and to $YEARWISE_SCREENSHOTS
when set (README: `YEARWISE_SCREENSHOTS=docs/screenshots`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from yearwise import Warehouse
from yearwise.demo import build_demo

try:  # tests/ on sys.path (pytest's default import mode)
    from cdp import Browser, BrowserError, find_chromium
except ImportError:  # tests as a package
    from tests.cdp import Browser, BrowserError, find_chromium


@pytest.fixture(scope="module")
def browser():
    exe = find_chromium()
    if exe is None:
        pytest.skip("no Chromium on PATH (apt-get install chromium, or set YEARWISE_CHROMIUM)")
    try:
        b = Browser(exe)
    except (BrowserError, OSError) as e:
        pytest.skip(f"Chromium did not start: {e}")
    yield b
    b.close()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("pages-browser")
    wh = build_demo(base / "demo.duckdb", workdir=base / "work")
    return wh, wh.report(base / "site")


def _local(urls: list[str]) -> list[str]:
    """The URLs that are not local files or inline data."""
    return [u for u in urls if not u.startswith(("file://", "data:", "about:"))]


def _screenshot(browser: Browser, tmp: Path, name: str, height: int | None = None) -> Path:
    path = tmp / name
    browser.screenshot(path, height)
    assert path.stat().st_size > 10_000
    keep = os.environ.get("YEARWISE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(keep) / name)
    return path


def test_index_lists_every_department_and_searches(browser, demo_site):
    wh, s = demo_site
    browser.requests.clear()
    browser.open(s.index.as_uri())
    shown = browser.eval("[...document.querySelectorAll('a.department')].map(a => a.textContent)")
    assert sorted(shown) == sorted(wh.sql("SELECT DISTINCT department FROM facts")["department"].to_list())
    assert browser.eval("document.fonts.check('14px \"Yearwise Sans SC\"', '部门预算')")
    hits = browser.eval("""(() => { const box = document.getElementById('search');
        box.value = '三公经费'; box.dispatchEvent(new Event('input'));
        return [...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href')); })()""")
    assert hits and all(h.startswith("departments/") and "#i-spending.three_public" in h for h in hits)
    hits = browser.eval("""(() => { const box = document.getElementById('search');
        box.value = '教育'; box.dispatchEvent(new Event('input'));
        return [...document.querySelectorAll('#search-results li.department a')].map(a => a.textContent); })()""")
    assert hits == ["示例区教育局"]
    assert _local(browser.requests) == []


def test_department_pages_draw_charts_and_a_row_per_indicator(browser, demo_site):
    wh, s = demo_site
    browser.requests.clear()
    for dep, dep_id in wh.sql("SELECT name, department_id FROM department").rows():
        browser.open((s.out / "departments" / f"d{dep_id}.html").as_uri())
        charts = browser.eval("""[...document.querySelectorAll('.chart svg')].map(svg => {
            const r = svg.getBoundingClientRect();
            return {w: r.width, h: r.height, marks: svg.querySelectorAll('path, rect').length,
                    text: svg.querySelectorAll('text').length}; })""")
        assert charts and all(c["w"] > 100 and c["h"] > 50 and c["marks"] > 5 and c["text"] > 3 for c in charts), dep
        rows = browser.eval("[...document.querySelectorAll('tr.indicator-row')].map(r => r.dataset.indicator)")
        expected = wh.sql("SELECT DISTINCT indicator FROM facts WHERE department = $d", params={"d": dep})
        assert sorted(rows) == sorted(expected["indicator"].to_list()), dep
    assert _local(browser.requests) == []


def test_review_pages_highlight_every_fact_and_links_land(browser, demo_site):
    wh, s = demo_site
    browser.requests.clear()
    links: dict[str, set[str]] = {}
    for page in (s.out / "departments").glob("*.html"):
        browser.open(page.as_uri())
        for href in browser.eval("[...document.querySelectorAll('a.fact-link')].map(a => a.href)"):
            doc, anchor = href.split("#")
            links.setdefault(doc, set()).add(anchor)
    counts = dict(wh.sql("SELECT report_id, count(*) FROM fact GROUP BY report_id").rows())
    for rid in wh.sql("SELECT report_id FROM report")["report_id"].to_list():
        url = (s.out / "docs" / f"r{rid}.html").as_uri()
        browser.open(url)
        ids = browser.eval("[...document.querySelectorAll('.fact')].map(e => e.id)")
        assert len(ids) == len(set(ids)) == counts.get(rid, 0), rid
        missing = [a for a in links.get(url, ()) if a not in set(ids)]
        assert missing == [], (rid, missing[:5])
    assert sum(map(len, links.values())) >= wh.sql("SELECT count(*) FROM facts")[0, 0]
    # following a link marks the fact and scrolls it into view
    url, anchors = next(iter(links.items()))
    anchor = sorted(anchors)[0]
    browser.open(f"{url}#{anchor}")
    assert browser.eval(f"document.getElementById('{anchor}').classList.contains('targeted')")
    assert _local(browser.requests) == []


def test_screenshots_of_index_department_and_pdf_review(browser, corpus, tmp_path):
    files = [corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf",
             *sorted((corpus / "jiangsu-budgets" / "江苏省委办公厅").glob("*.pdf"))]
    wh = Warehouse(tmp_path / "c.duckdb")
    assert wh.ingest(files).ok
    s = wh.report(tmp_path / "site")
    browser.requests.clear()
    browser.open(s.index.as_uri())
    hits = browser.eval("""(() => { const box = document.getElementById('search');
        box.value = '基本支出'; box.dispatchEvent(new Event('input'));
        return document.querySelectorAll('#search-results li').length; })()""")
    assert hits >= 2
    _screenshot(browser, tmp_path, "index.png")
    dep_id = wh.sql("SELECT department_id FROM department WHERE name LIKE '%江苏省委办公厅%'")[0, 0]
    browser.open((s.out / "departments" / f"d{dep_id}.html").as_uri())
    assert browser.eval("document.querySelectorAll('.chart svg').length") >= 1
    _screenshot(browser, tmp_path, "department.png", height=1500)
    # a table page of the Shanghai report: a table cell's fact (with its box where facts have boxes)
    # followed from a link, its page drawn beside the text
    rid = wh.sql("SELECT report_id FROM report WHERE source LIKE '%普陀区财政局%'")[0, 0]
    cols = set(wh.sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'fact'")["column_name"])
    where = "x0 IS NOT NULL" if "x0" in cols else "rule LIKE 'table%'"
    fact = wh.sql(f"SELECT fact_id FROM fact WHERE report_id = {rid} ORDER BY ({where}) DESC, start_offset LIMIT 1")
    anchor = f"#f{fact[0, 0]}"
    browser.open((s.out / "docs" / f"r{rid}.html").as_uri() + anchor)
    images = browser.eval("[...document.querySelectorAll('.page-img img')].length")
    assert images == wh.sql(f"SELECT pages FROM report WHERE report_id = {rid}")[0, 0]
    # show the page the fact is on: the last page marker before it names the page image
    page_no = browser.eval("""(() => { const t = document.querySelector('.targeted');
        const before = [...document.querySelectorAll('.pagebreak')].filter(p =>
            p.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
        document.getElementById('page-' + before.id.slice(3)).scrollIntoView();
        t.scrollIntoView({block: 'center'}); return before.id.slice(3); })()""")
    assert int(page_no) > 1
    loaded = browser.eval("""Promise.all([...document.querySelectorAll('.page-img img')].map(i => {
        i.loading = 'eager'; return i.decode().then(() => i.naturalWidth, () => 0); }))""")
    assert all(w > 0 for w in loaded)
    _screenshot(browser, tmp_path, "review-pdf.png")
    assert _local(browser.requests) == []
