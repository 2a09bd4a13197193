"""Build the static report site: index, a page per department, a review page per document, assets.

The site opens from disk (file://) with no server and requests nothing from the network: CSS, JS and the
bundled font are files in assets/, charts are inline SVG, PDF pages are PNG files beside the review pages.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from yearwise.pages.data import Department, SiteData, load
from yearwise.pages.department import department_body, row_id
from yearwise.pages.html import copy_assets, esc, frame
from yearwise.pages.pdfimage import render_pages
from yearwise.pages.review import read_source, review_body, source_path


@dataclass(frozen=True)
class SiteSummary:
    """What `build_site` wrote: where, how many pages of each kind, bytes and seconds."""

    out: Path
    departments: int
    documents: int
    page_images: int
    facts: int
    bytes: int
    seconds: float

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    def __str__(self) -> str:
        return (f"{self.index}: {self.departments} department pages, {self.documents} review pages, "
                f"{self.page_images} page images, {self.facts} facts; {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s")


def department_file(dep: Department) -> str:
    return f"d{dep.department_id}.html" if dep.department_id is not None else "d-none.html"


def build_site(con, out: str | os.PathLike[str], departments: list[str] | None = None) -> SiteSummary:
    """Write the site for the warehouse open on `con` into `out` (created; files of an earlier build replaced)."""
    t0 = time.perf_counter()
    out = Path(out)
    site = load(con, departments)
    for sub in ("departments", "docs", "docs/img"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    dep_by_id = {d.department_id: d for d in site.departments}
    bases = _source_bases(con)
    images = 0
    for doc in site.docs:
        source = read_source(doc, bases)
        path = source_path(doc, bases)
        pictures = None
        if (doc.format == "pdf" or doc.source.lower().endswith(".pdf")) and path is not None:
            try:
                pictures = render_pages(path, out / "docs" / "img", f"r{doc.report_id}")
            except Exception as e:  # a PDF pdfium cannot draw still gets its text review
                source = type(source)(source.text, source.page_starts,
                                      (source.problem + "；" if source.problem else "") + f"页面无法绘制：{e}")
            images += len(pictures or [])
        dep = dep_by_id.get(doc.department_id)
        body = review_body(doc, site.facts_of_report(doc.report_id), source, pictures, images_prefix="img",
                           department_href=f"../departments/{department_file(dep)}" if dep else None,
                           index_href="../index.html", doubts=site.doubts)
        (out / "docs" / f"r{doc.report_id}.html").write_text(
            frame(f"{doc.file_name} · 核对", body, root=".."), encoding="utf-8")
    for dep in site.departments:
        body = department_body(site, dep, docs_prefix="../docs", index_href="../index.html")
        (out / "departments" / department_file(dep)).write_text(frame(dep.name, body, root=".."), encoding="utf-8")
    (out / "index.html").write_text(frame("yearwise 报告", index_body(site), root="."), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return SiteSummary(out, len(site.departments), len(site.docs), images, len(site.facts), size,
                       time.perf_counter() - t0)


def _source_bases(con) -> tuple[Path, ...]:
    """Folders a relative source path may be relative to: the warehouse file's folder (ingest ran beside it)."""
    try:
        rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    except Exception:
        return ()
    return tuple(Path(r[0]).resolve().parent for r in rows if r[0])


def _search_items(site: SiteData) -> list[dict]:
    items = []
    for dep in site.departments:
        href = f"departments/{department_file(dep)}"
        items.append({"type": "department", "text": " ".join((dep.name, *dep.aliases)), "label": dep.name,
                      "what": "部门" + (f"（别名 {'、'.join(dep.aliases)}）" if dep.aliases else ""), "href": href})
    deps = {d.department_id: d for d in site.departments}
    seen = {(f.indicator, f.department_id) for f in site.facts if f.current and f.department_id in deps}
    for code, dep_id in sorted(seen, key=lambda k: (k[0], deps[k[1]].name)):
        dep = deps[dep_id]
        name = site.indicator_names.get(code, code)
        items.append({"type": "indicator", "text": f"{code} {name}", "label": f"{name} — {dep.name}",
                      "what": code, "href": f"departments/{department_file(dep)}#{row_id(code)}"})
    return items


def index_body(site: SiteData) -> str:
    """Departments x years: the reports that cover each (by kind, superseded struck through), check counts,
    and a search box over departments and indicators."""
    years = sorted({d.fiscal_year for d in site.docs if d.fiscal_year is not None})
    unknown_year = any(d.fiscal_year is None for d in site.docs)
    cols = years + ([None] if unknown_year else [])
    cells: dict[tuple, list] = defaultdict(list)
    for d in site.docs:
        cells[(d.department_id, d.fiscal_year)].append(d)
    fact_counts: dict = defaultdict(int)
    for f in site.facts:
        if f.current:
            fact_counts[f.department_id] += 1
    has_checks = site.checks is not None
    head = "".join(f'<th class="num">{y if y is not None else "年度不明"}</th>' for y in cols)
    check_head = '<th class="num">未通过</th><th class="num">存疑</th>' if has_checks else ""
    rows = []
    for dep in site.departments:
        tds = []
        for y in cols:
            links = "".join(
                f'<a class="kind {esc(d.status)}" href="docs/r{d.report_id}.html" title="{esc(d.file_name)}">'
                f'{esc(d.kind_name)}</a>' for d in cells.get((dep.department_id, y), []))
            tds.append(f"<td>{links}</td>")
        checks = ""
        if has_checks:
            mine = site.checks_of(dep.name)
            fail = sum(c.status == "fail" for c in mine)
            doubt = sum(c.status == "doubtful" for c in mine)
            checks = (f'<td class="num{" count-fail" if fail else ""}">{fail}</td>'
                      f'<td class="num{" count-doubtful" if doubt else ""}">{doubt}</td>')
        rows.append(f'<tr class="department-row"><th><a class="department" href="departments/{department_file(dep)}">'
                    f'{esc(dep.name)}</a></th>{"".join(tds)}<td class="num">{fact_counts[dep.department_id]}</td>'
                    f"{checks}</tr>")
    total_fail = sum(c.status == "fail" for c in site.checks or ())
    total_doubt = sum(c.status == "doubtful" for c in site.checks or ())
    summary = (f"{len(site.departments)} 个部门，{len(site.docs)} 份报告，"
               f"{sum(f.current for f in site.facts)} 条现行事实")
    if has_checks:
        summary += f"；检查 {len(site.checks or ())} 项：未通过 {total_fail}，存疑 {total_doubt}"
    else:
        summary += "；仓库中尚无检查结果"
    search = json.dumps(_search_items(site), ensure_ascii=False).replace("</", "<\\/")
    synthetic = any("示例" in d.name for d in site.departments)
    return ('<header class="top"><h1>yearwise 报告</h1></header><main>'
            + ('<div class="banner">SYNTHETIC：名称含“示例”的部门及其报告由 yearwise 的生成器编造，仅供演示。</div>'
               if synthetic else "")
            + f'<p class="muted">{esc(summary)}</p>'
            f'<input id="search" type="search" placeholder="搜索部门或指标（名称或代码）" autocomplete="off">'
            f'<ul id="search-results"></ul><script type="application/json" id="search-data">{search}</script>'
            f'<h2>覆盖：部门 × 年度（按报告类型）</h2>'
            f'<table class="grid coverage"><thead><tr><th>部门</th>{head}<th class="num">事实数</th>{check_head}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="note">决算、预算、绩效评价：该年度载入的报告，点击打开核对页；划线者为已被取代的版本。</p></main>')
