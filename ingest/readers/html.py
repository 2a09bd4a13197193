"""HTML reader: keep a page's main content (the block with the most Chinese text), drop navigation and scripts.

Blocks become lines and table rows become ' | '-joined lines, so figures keep their row context.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from yearwise.ingest.normalize import normalize
from yearwise.ingest.readers.text import Unreadable, decode_bytes

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


def decode_html(data: bytes) -> str:
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
    return decode_bytes(data)


def _cjk(node) -> int:
    return len(_CJK.findall(node.text(deep=True, separator="")))


def _attrs(node) -> str:
    a = node.attributes
    return f"{a.get('id') or ''} {a.get('class') or ''}"


def _main_node(tree):
    """The candidate content element with the most CJK text (tightest among near-ties), else <body>."""
    body = tree.body or tree.root
    best, best_n = None, 0
    scored = []
    for node in body.traverse():
        if node.tag in ("article", "main") or (node.tag in _CANDIDATE_TAGS and _CONTENT_ATTR.search(_attrs(node))):
            n = _cjk(node)
            if n:
                scored.append((n, node))
                if n > best_n:
                    best, best_n = node, n
    if best is None or best_n < 0.3 * _cjk(body):
        return body
    # among near-equal candidates prefer the innermost (least total text), i.e. the tightest wrapper
    near = [(len(node.text(deep=True)), node) for n, node in scored if n >= 0.9 * best_n]
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


def _emit(node, out: list[str]) -> None:
    """Append the node's text to out; '\\n' marks block boundaries, data tables become ' | ' rows."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            t = child.text_content
            if t:
                out.append(_WS.sub(" ", t))
        elif tag == "br":
            out.append("\n")
        elif tag == "table" and not _is_layout_table(child):
            out.append("\n")
            for row in child.css("tr"):
                cells = [_cell_text(c) for c in row.iter() if c.tag in ("td", "th")]
                if any(cells):  # empty cells stay, so a value keeps its column
                    out.append(" | ".join(cells))
                    out.append("\n")
        elif tag in _BLOCK or tag in ("td", "th"):
            out.append("\n")
            _emit(child, out)
            out.append("\n" if tag != "td" and tag != "th" else " ")
        elif tag in ("-comment",):
            continue
        else:
            _emit(child, out)


# '…部门决算_北京市朝阳区人民政府网站' / ' - 中国政府网': the site's name after the page's own title
_SITE_SUFFIX = re.compile(r"\s*[_|\-–—]\s*[^_|\-–—]*(?:网站|网|政府|门户|首页)\s*$")


def html_to_text(html: str) -> str:
    """The main content of an HTML page as lines of text (not yet normalised)."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _WS.sub(" ", title_node.text()).strip() if title_node else ""
    tree.strip_tags(_DROP_TAGS)
    body = tree.body or tree.root
    if body is None:
        return ""
    total = _cjk(body)
    doomed = [n for n in body.traverse()
              if n.tag in _FURNITURE_TAGS
              or (n.tag not in ("body", "html") and (n.attributes.get("id") or n.attributes.get("class"))
                  and _DROP_ATTR.search(_attrs(n)))]
    # never drop what holds most of the page's Chinese text (<form id="form1"> around the whole page,
    # <div class="main-header-content">); decide first, then remove innermost first so no node is freed twice
    doomed = [n for n in doomed if not (total and _cjk(n) > 0.5 * total)]
    for n in reversed(doomed):
        n.decompose()
    out: list[str] = []
    main = _main_node(tree)
    if main.tag in ("td", "th"):
        out.append("\n")
    _emit(main, out)
    lines = [line.strip() for line in "".join(out).split("\n")]
    text = "\n".join(line for line in lines if line)
    # the page title often names the department and year that the body leaves out: keep it as the first line
    head = _SITE_SUFFIX.sub("", title)
    if head and head not in text[:1000]:
        text = f"{head}\n{text}"
    return text


def read_html(data: bytes) -> str:
    """Decoded, cleaned and normalised main text of an HTML file."""
    text = normalize(html_to_text(decode_html(data)))
    if not text.strip():
        raise Unreadable("no text in HTML page")
    return text
