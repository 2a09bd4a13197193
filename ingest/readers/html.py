"""HTML reader: keep a page's main content (the block with the most Chinese text), drop navigation and scripts.

Blocks become lines and table rows become ' | '-joined lines, so figures keep their row context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yearwise.ingest.normalize import normalize
from yearwise.ingest.readers.text import Unreadable, checked_text, decode_bytes
from yearwise.ingest.table import Grid, GridCell

_DROP_TAGS = ["script", "style", "noscript", "iframe", "template", "svg", "select", "button"]
# page furniture, dropped unless it holds most of the page's text (ASP.NET pages wrap everything in <form>)
_FURNITURE_TAGS = frozenset(["nav", "header", "footer", "aside", "form"])
_DROP_ATTR = re.compile(r"nav|menu|breadcrumb|footer|header|sidebar|crumb", re.I)
_CONTENT_ATTR = re.compile(r"content|article|text|detail|trs_editor|zoom|main|body", re.I)
_CANDIDATE_TAGS = {"article", "main", "div", "td", "section"}
_BLOCK = frozenset("""address article aside blockquote body center dd details dialog dir div dl dt fieldset
figcaption figure h1 h2 h3 h4 h5 h6 hgroup hr html li main menu ol p pre section summary
table tbody thead tfoot tr ul caption title""".split())
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_WS = re.compile(r"\s+")
_LAYOUT_CELL_CHARS = 300


# elements that never nest (void) or whose end tag the parser infers (p, li, td …): not counted as depth,
# since sloppy pages leave them open without nesting anything
_FLAT = frozenset("""area base br col embed hr img input link meta param source track wbr p li dt dd td th tr tbody
thead tfoot option optgroup rb rt rp colgroup caption html head body""".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)|<!--")


def nesting_depth(html: str, stop: int) -> int:
    """The deepest element nesting in `html`, read in one linear pass over the tags (comments, script and style
    content skipped); stops counting once past `stop`. The HTML parser's own work grows with depth × tags, so
    depth is checked before parsing."""
    depth = deepest = 0
    pos, n = 0, len(html)
    lower = None
    while pos < n:
        m = _TAG.search(html, pos)
        if m is None:
            break
        if m.group(0) == "<!--":
            end = html.find("-->", m.end())
            pos = n if end < 0 else end + 3
            continue
        name = m.group(2).lower()
        pos = m.end()
        if m.group(1):
            if name not in _FLAT and depth:
                depth -= 1
            continue
        gt = html.find(">", pos)
        if gt < 0:
            break
        if name in ("script", "style"):
            lower = lower if lower is not None else html.lower()
            end = lower.find(f"</{name}", gt)
            pos = n if end < 0 else end
            continue
        if name not in _FLAT and html[gt - 1] != "/":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    return deepest
        pos = gt + 1
    return deepest


def decode_html(data: bytes, notes: list | None = None) -> str:
    """Decode HTML bytes by their <meta charset> when it decodes cleanly, else like a text file."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            codec = m.group(1).decode("ascii").lower()
            codec = _CODEC_ALIASES.get(codec, codec)
            try:
                return data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data, notes)


def _subtree_counts(root) -> dict[int, tuple[int, int]]:
    """(CJK characters, all characters) of the text under every element, by mem_id, in one pass (children before
    parents), so scoring nested candidates costs the page's size, not size × depth."""
    nodes = list(root.traverse(include_text=True))
    counts: dict[int, list[int]] = {}
    for node in reversed(nodes):
        c = counts.setdefault(node.mem_id, [0, 0])
        if node.tag == "-text":
            t = node.text_content or ""
            c[0] += len(_CJK.findall(t))
            c[1] += len(t)
        parent = node.parent
        if parent is not None and node.mem_id != root.mem_id:
            pc = counts.setdefault(parent.mem_id, [0, 0])
            pc[0] += c[0]
            pc[1] += c[1]
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _attrs(node) -> str:
    a = node.attributes
    return f"{a.get('id') or ''} {a.get('class') or ''}"


def _main_node(tree):
    """The candidate content element with the most CJK text (tightest among near-ties), else <body>."""
    body = tree.body or tree.root
    counts = _subtree_counts(body)
    best, best_n = None, 0
    scored = []
    for node in body.traverse():
        if node.tag in ("article", "main") or (node.tag in _CANDIDATE_TAGS and _CONTENT_ATTR.search(_attrs(node))):
            n = counts.get(node.mem_id, (0, 0))[0]
            if n:
                scored.append((n, node))
                if n > best_n:
                    best, best_n = node, n
    if best is None or best_n < 0.3 * counts.get(body.mem_id, (0, 0))[0]:
        return body
    # among near-equal candidates prefer the innermost (least total text), i.e. the tightest wrapper
    near = [(counts.get(node.mem_id, (0, 0))[1], node) for n, node in scored if n >= 0.9 * best_n]
    return min(near, key=lambda t: t[0])[1]


def _is_layout_table(table) -> bool:
    """A table used for page layout: it nests tables or a cell holds a whole article (long text).

    Word-exported data tables put <p> in every cell, so block children alone do not make a layout table.
    """
    if len(table.css("table")) > 1:  # css() matches the node itself too
        return True
    return any(len(cell.text(deep=True)) > _LAYOUT_CELL_CHARS for cell in table.css("td, th"))


def _cell_text(cell) -> str:
    return _WS.sub(" ", cell.text(deep=True, separator=" ")).strip()


def _last_lines(out: list[str], n: int = 4) -> tuple[str, ...]:
    """The last n non-empty lines written so far (a table's title and unit above it)."""
    tail, size = [], 0
    for piece in reversed(out):
        tail.append(piece)
        size += piece.count("\n")
        if size > 2 * n + 2:
            break
    lines = [normalize(x).strip() for x in "".join(reversed(tail)).split("\n")]
    return tuple(x for x in lines if x)[-n:]


MAX_SPAN = 100  # a colspan/rowspan beyond this is a broken page, not a table


def _span(cell, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(cell.attributes.get(name) or "1").strip() or 1)))
    except ValueError:
        return 1


def table_grid(table, above: tuple[str, ...] = ()) -> Grid:
    """An HTML <table> as a grid: a cell with colspan/rowspan occupies every position it spans, so a nested
    header's parent stands over each of its children and the rows below a rowspan keep their columns."""
    taken: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    rows = cols = 0
    for r, row in enumerate(table.css("tr")):
        c = 0
        for cell in (x for x in row.iter() if x.tag in ("td", "th")):
            while (r, c) in taken:
                c += 1
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            for i in range(r, r + rs):
                for j in range(c, c + cs):
                    taken.add((i, j))
            cells.append(GridCell(normalize(_cell_text(cell)), r, c, r + rs, c + cs))
            c += cs
            cols = max(cols, c)
        rows = r + 1
    rows = max([rows, *(x.r1 for x in cells)]) if cells else rows
    return Grid(tuple(cells), rows, cols, above)


def _emit(node, out: list[str], grids: list | None = None) -> None:
    """Append the node's text to out; '\\n' marks block boundaries, data tables become ' | ' rows.

    Walks with its own stack (no recursion), so nesting depth costs no Python frames."""
    # the children still to walk at each depth, and what to append when they are done
    stack: list[tuple[Iterator[LexborNode], str | None]] = [(node.iter(include_text=True), None)]
    while stack:
        it, after = stack[-1]
        child = next(it, None)
        if child is None:
            stack.pop()
            if after:
                out.append(after)
            continue
        tag = child.tag
        if tag == "-text":
            t = child.text_content
            if t:
                out.append(_WS.sub(" ", t))
        elif tag == "br":
            out.append("\n")
        elif tag == "table" and not _is_layout_table(child):
            out.append("\n")
            if grids is not None:
                grids.append(table_grid(child, _last_lines(out)))
            for row in child.css("tr"):
                cells = [_cell_text(c) for c in row.iter() if c.tag in ("td", "th")]
                if any(cells):  # empty cells stay, so a value keeps its column
                    out.append(" | ".join(cells))
                    out.append("\n")
        elif tag in _BLOCK or tag in ("td", "th"):
            out.append("\n")
            stack.append((child.iter(include_text=True), "\n" if tag != "td" and tag != "th" else " "))
        elif tag in ("-comment",):
            continue
        else:
            stack.append((child.iter(include_text=True), None))


# '…部门决算_北京市朝阳区人民政府网站' / ' - 中国政府网': the site's name after the page's own title
_SITE_SUFFIX = re.compile(r"\s*[_|\-–—]\s*[^_|\-–—]*(?:网站|网|政府|门户|首页)\s*$")


def html_to_text(html: str, grids: list | None = None) -> str:
    """The main content of an HTML page as lines of text (not yet normalised); its data tables' grids go into
    `grids` when given."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _WS.sub(" ", title_node.text()).strip() if title_node else ""
    tree.strip_tags(_DROP_TAGS)
    body = tree.body or tree.root
    if body is None:
        return ""
    counts = _subtree_counts(body)
    total = counts.get(body.mem_id, (0, 0))[0]
    doomed = [n for n in body.traverse()
              if n.tag in _FURNITURE_TAGS
              or (n.tag not in ("body", "html") and (n.attributes.get("id") or n.attributes.get("class"))
                  and _DROP_ATTR.search(_attrs(n)))]
    # never drop what holds most of the page's Chinese text (<form id="form1"> around the whole page,
    # <div class="main-header-content">); decide first, then remove innermost first so no node is freed twice
    doomed = [n for n in doomed if not (total and counts.get(n.mem_id, (0, 0))[0] > 0.5 * total)]
    for n in reversed(doomed):
        n.decompose()
    out: list[str] = []
    main = _main_node(tree)
    if main.tag in ("td", "th"):
        out.append("\n")
    _emit(main, out, grids)
    lines = [line.strip() for line in "".join(out).split("\n")]
    text = "\n".join(line for line in lines if line)
    # the page title often names the department and year that the body leaves out: keep it as the first line
    head = _SITE_SUFFIX.sub("", title)
    if head and head not in text[:1000]:
        text = f"{head}\n{text}"
    return text


def read_html(data: bytes, notes: list | None = None, grids: list | None = None) -> str:
    """Decoded, cleaned and normalised main text of an HTML file; size and nesting depth bounded before parsing.
    With `grids`, the page's data tables are appended to it as grids (spans kept)."""
    from yearwise.ingest.limits import limits

    lim = limits()
    if len(data) > lim.html_bytes:
        raise Unreadable(lim.refusal("html_bytes", f"HTML of {len(data):,} bytes"))
    html = decode_html(data, notes)
    depth = nesting_depth(html, lim.html_depth)
    if depth > lim.html_depth:
        raise Unreadable(lim.refusal("html_depth", f"HTML nested more than {lim.html_depth:,} elements deep"))
    return checked_text(html_to_text(html, grids), "no text in HTML page")
