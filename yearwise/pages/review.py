"""The review page of one document: its text with every extracted fact highlighted (labelled on hover),
numbers the tool did not take in another style, and for PDFs every page as an image with table-cell boxes.

Each fact has exactly one element with class `fact` and id `f<fact_id>`: its span in the text, else its box
on the page image, else an entry in the list of facts without a place (the source changed or is gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yearwise.pages.data import MEASURE_NAMES, Doc, FactRow
from yearwise.pages.department import fact_label
from yearwise.pages.html import esc, fmt_value, list_items
from yearwise.pages.pdfimage import PageImage


@dataclass(frozen=True, slots=True)
class Source:
    """The document text spans point into, and where each PDF page starts in it; text None when unreadable."""

    text: str | None
    page_starts: tuple[int, ...] = ()
    problem: str = ""  # why the text could not be shown


def source_path(doc: Doc, bases: tuple[Path, ...] = ()) -> Path | None:
    """The report's file: its path as stored, else (a relative path ingested from elsewhere) under each base."""
    p = Path(doc.source)
    if p.is_file():
        return p
    if not p.is_absolute():
        for base in bases:
            if (base / p).is_file():
                return base / p
    return None


def read_source(doc: Doc, bases: tuple[Path, ...] = ()) -> Source:
    """Re-read the report's file; refuse it when its bytes are not the ones ingested (spans would be wrong)."""
    from yearwise.ingest import IngestError, read

    path = source_path(doc, bases)
    if path is None:
        return Source(None, problem=f"源文件已不在：{doc.source}")
    try:
        document = read(path)
    except IngestError as e:
        return Source(None, problem=f"源文件无法读取：{e.cause}")
    if document.sha256 != doc.sha256:
        return Source(None, problem="源文件已改变（SHA-256 与载入时不同），无法标注位置")
    return Source(document.text, tuple(document.page_starts))


def hover_label(f: FactRow, doubts=()) -> str:
    """The hover text of a highlight: indicator, measure, year, value, rule (and table cell, section)."""
    lines = [f"{f.indicator_name}（{f.indicator}）",
             f"{MEASURE_NAMES.get(f.measure, f.measure)} · {f.year or '年度不明'}年"
             + (f" · 较{f.compared_to}年" if f.compared_to else "") + (f" · {f.period}" if f.period != "FY" else "")
             + (" · 地区" if f.scope != "department" else ""),
             f"{fmt_value(f.value, f.unit)}" + ("（约）" if f.approximate else "")
             + (f" ← {f.raw_value}{f.raw_unit or ''}" if f.raw_value else ""),
             f"规则：{f.rule or ''}"]
    if f.table or f.row_code or f.column:
        lines.append("表：" + " / ".join(str(x) for x in (f.table, f.row_code, f.row_label, f.column) if x))
    if f.section:
        lines.append(f"章节：{f.section[:60]}")
    lines += [f"⚑ {c.text}" for c in doubts]
    return "\n".join(lines)


def _attrs(f: FactRow, doubts: dict, extra_class: str = "") -> str:
    mine = doubts.get(f.fact_id, ())
    cls = "fact" + ("" if f.current else " superseded") + (" doubted" if mine else "") + extra_class
    label = esc(hover_label(f, mine))
    return (f'id="{f.anchor}" class="{cls}" data-indicator="{esc(f.indicator)}" data-measure="{esc(f.measure)}" '
            f'data-year="{esc(f.year or "")}" data-value="{esc(f.value)}" data-rule="{esc(f.rule or "")}" '
            f'data-label="{label}" title="{label}"')


def untaken_numbers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the quantities in `text` (ingest's own number scanner) that overlap no fact."""
    from yearwise.ingest.numbers import scan

    covered = bytearray(len(text) + 1)
    for s, e in spans:
        covered[s:e] = b"\x01" * (e - s)
    return [(q.start, q.end) for q in scan(text) if not any(covered[q.start:q.end])]


def marked_text(text: str, facts: list[FactRow], untaken: list[tuple[int, int]], page_starts=(),
                doubts: dict | None = None) -> str:
    """`text` as HTML with a <mark> per fact (nested where spans nest; a span crossing an enclosing one is cut
    at that one's end and classed `clipped`), a <span class="untaken"> per number not taken, and a marker
    where each PDF page starts."""
    items = [(f.start, f.end, 0, f) for f in facts if f.start is not None and f.end is not None] \
        + [(s, e, 1, None) for s, e in untaken]
    items.sort(key=lambda it: (it[0], -it[1], it[2]))
    breaks = sorted((p, n + 1) for n, p in enumerate(page_starts))
    out: list[str] = []
    pos = 0
    b = 0
    stack: list[tuple[int, str]] = []  # (end, closing tag)

    def emit(upto: int):
        nonlocal pos, b
        while b < len(breaks) and breaks[b][0] <= upto:
            at, number = breaks[b]
            if at >= pos:
                out.append(esc(text[pos:at]))
                pos = at
                out.append(f'<span class="pagebreak" id="t-p{number}">— 第 {number} 页 —'
                           f' <a href="#page-{number}">页面图像</a></span>')
            b += 1
        out.append(esc(text[pos:upto]))
        pos = max(pos, upto)

    for start, end, kind, f in items:
        while stack and stack[-1][0] <= start:
            end_at, tag = stack.pop()
            emit(end_at)
            out.append(tag)
        clipped = ""
        if stack and end > stack[-1][0]:
            end, clipped = stack[-1][0], " clipped"
        emit(start)
        if f is not None:  # kind 0: a fact
            out.append(f"<mark {_attrs(f, doubts or {}, clipped)}>")
            stack.append((end, "</mark>"))
        else:
            if stack:  # a number inside a fact's quote is that fact's context, not a number left out
                continue
            out.append('<span class="untaken" title="未提取的数字">')
            stack.append((end, "</span>"))
    while stack:
        end_at, tag = stack.pop()
        emit(end_at)
        out.append(tag)
    emit(len(text))
    return "".join(out)


def _box_style(box, page: PageImage) -> str:
    """CSS placing a box given in PDF points from the page's top-left corner (the fact spec) over the page image."""
    x0, y0, x1, y1 = box
    left, right = sorted((x0, x1))
    top, bottom = sorted((y0, y1))
    return (f"left:{left / page.width * 100:.3f}%;top:{top / page.height * 100:.3f}%;"
            f"width:{(right - left) / page.width * 100:.3f}%;height:{(bottom - top) / page.height * 100:.3f}%")


def review_body(doc: Doc, facts: list[FactRow], source: Source, images: list[PageImage] | None,
                *, images_prefix: str, department_href: str | None, index_href: str,
                doubts: dict | None = None) -> str:
    """The review page's body for `doc` with all its facts (current or superseded)."""
    text = source.text
    placed, boxed, unplaced = [], [], []
    for f in facts:
        if text is not None and f.start is not None and f.end is not None and 0 <= f.start < f.end <= len(text):
            placed.append(f)
        elif images and f.box is not None and f.page and f.page <= len(images):
            boxed.append(f)
        else:
            unplaced.append(f)
    nav = f'<a href="{index_href}">全部部门</a>'
    if department_href:
        nav += f' <a href="{department_href}">{esc(doc.department)}</a>'
    parts = [f'<header class="top">{nav}<h1>{esc(doc.file_name)}</h1></header><main>']
    meta = (f"{doc.department or '未识别部门'} · {doc.fiscal_year or '年度不明'} · {doc.kind_name} · "
            f"{len(facts)} 条事实 · {'现行版本' if doc.status == 'current' else '已被取代的版本'} · SHA-256 {doc.sha256[:12]}…")
    parts.append(f'<p class="muted">{esc(meta)}</p>')
    if doc.department and "示例" in doc.department:
        parts.append('<div class="banner">SYNTHETIC：本文件由 yearwise 的生成器编造，仅供演示。</div>')
    if source.problem:
        parts.append(f'<div class="banner">{esc(source.problem)}</div>')
    spans = [(f.start, f.end) for f in placed if f.start is not None and f.end is not None]  # all of placed
    untaken = untaken_numbers(text, spans) if text is not None else []
    parts.append(f'<p class="legend"><span><mark class="fact-legend" style="background:#fff1a8">已提取</mark> '
                 f'{len(facts)}</span><span><span class="untaken">未提取的数字</span> {len(untaken)}</span>'
                 f'<span class="muted">鼠标停在高亮处查看指标、口径、年度、数值与规则</span></p>')
    has_pages = bool(images)
    parts.append(f'<div class="review{"" if has_pages else " text-only"}">')
    if text is not None:
        parts.append(f'<div class="doc-text"><pre>{marked_text(text, placed, untaken, source.page_starts, doubts)}</pre></div>')
    elif not has_pages:
        parts.append('<div class="doc-text"><p class="muted">（无原文）</p></div>')
    if images:  # has_pages
        by_page: dict[int, list[FactRow]] = {}
        for f in facts:
            if f.box is not None and f.page and f.page <= len(images):
                by_page.setdefault(f.page, []).append(f)
        boxed_ids = {f.fact_id for f in boxed}
        parts.append('<div class="doc-pages">')
        for img in images:
            boxes = []
            for f in by_page.get(img.number, []):
                if f.fact_id in boxed_ids:  # the box is this fact's only highlight
                    boxes.append(f'<a class="box" href="#{f.anchor}" style="{_box_style(f.box, img)}">'
                                 f'<span {_attrs(f, doubts or {})}></span></a>')
                else:
                    boxes.append(f'<a class="box" id="b{f.fact_id}" href="#{f.anchor}" '
                                 f'title="{esc(hover_label(f, (doubts or {}).get(f.fact_id, ())))}" '
                                 f'style="{_box_style(f.box, img)}"></a>')
            parts.append(f'<div class="page-img" id="page-{img.number}"><img loading="lazy" '
                         f'src="{images_prefix}/{esc(img.file)}" alt="第 {img.number} 页" '
                         f'width="{img.pixels[0]}" height="{img.pixels[1]}"><span class="page-no">'
                         f'<a href="#t-p{img.number}">第 {img.number} 页</a></span>{"".join(boxes)}</div>')
        parts.append("</div>")
    parts.append("</div>")
    if unplaced:
        items = list_items(unplaced, lambda f: f'<span {_attrs(f, doubts or {})}>{esc(fact_label(f))}</span>',
                           lambda f: f"「{esc(f.quote)}」")
        parts.append(f'<h2>无法在原文中定位的事实</h2><ul class="unplaced">{items}</ul>')
    parts.append("</main>")
    return "".join(parts)
