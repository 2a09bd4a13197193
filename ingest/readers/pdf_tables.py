"""Tables of a PDF page from its positioned text and its ruling lines (pypdfium2 only: no OpenCV, no Java).

Every character's box comes from the text layer (so pages where each character is its own text run read the same
as pages with whole runs); the table's ruled grid comes from the page's path objects (lines and rectangles).
Elementary cells between consecutive ruling lines are merged where no line separates them, so a label wrapped
over two lines, a header cell spanning columns and a group label spanning rows are each one cell. Coordinates
are turned to the page as displayed (/Rotate 90 … 270), in points from its top-left corner.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right

import pypdfium2.raw as raw

from yearwise.ingest.table import Grid, GridCell

LINE_THICKNESS = 2.5  # a path thinner than this is a ruling line
SNAP = 1.6  # positions closer than this are the same line
MIN_BAND = 3.0  # bands thinner than this are the gap of a double line


def _transform(rotation: int, box: tuple[float, float, float, float]):
    """A function from user-space (x, y) to the displayed page's (X, Y from the top-left)."""
    x0m, y0m, x1m, y1m = box
    if rotation == 90:
        return lambda x, y: (y - y0m, x - x0m)
    if rotation == 180:
        return lambda x, y: (x1m - x, y - y0m)
    if rotation == 270:
        return lambda x, y: (y1m - y, x1m - x)
    return lambda x, y: (x - x0m, y1m - y)


def page_chars(textpage, text: str, to_display) -> list[tuple[str, float, float, float, float]]:
    """(char, x0, y0, x1, y1) of every visible character, in display coordinates."""
    l, r, b, t = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    refs = (ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t))
    get = raw.FPDFText_GetCharBox
    handle = textpage.raw
    out: list[tuple[str, float, float, float, float]] = []
    append = out.append
    for i, ch in enumerate(text):
        if ch.isspace() or not get(handle, i, *refs):
            continue
        xa, ya = to_display(l.value, b.value)
        xb, yb = to_display(r.value, t.value)
        append((ch, min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)))
    return out


def page_rulings(page, to_display) -> tuple[list, list]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) ruling segments of a page, in display coordinates.

    A path as large as the page (a background or a page frame) is no table's ruling.
    """
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    width, height = page.get_width(), page.get_height()
    big = 0.8 * width * height
    L, B, R, T = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = (ctypes.byref(L), ctypes.byref(B), ctypes.byref(R), ctypes.byref(T))
    handle = page.raw
    get_object, get_type, get_bounds = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds
    path = raw.FPDF_PAGEOBJ_PATH
    for j in range(raw.FPDFPage_CountObjects(handle)):
        obj = get_object(handle, j)
        if get_type(obj) != path or not get_bounds(obj, *refs):
            continue
        w, h = R.value - L.value, T.value - B.value
        if w * h >= big:
            continue
        if w <= LINE_THICKNESS or h <= LINE_THICKNESS:
            _add(hs, vs, to_display, L.value, B.value, R.value, T.value)
        else:
            for seg in _segments(obj):
                _add(hs, vs, to_display, *seg)
    return hs, vs


def _add(hs, vs, to_display, x0, y0, x1, y1) -> None:
    xa, ya = to_display(x0, y0)
    xb, yb = to_display(x1, y1)
    xa, xb = min(xa, xb), max(xa, xb)
    ya, yb = min(ya, yb), max(ya, yb)
    if xb - xa <= LINE_THICKNESS and yb - ya > LINE_THICKNESS:
        vs.append(((xa + xb) / 2, ya, yb))
    elif yb - ya <= LINE_THICKNESS and xb - xa > LINE_THICKNESS:
        hs.append(((ya + yb) / 2, xa, xb))


def _segments(obj):
    """The straight axis-parallel pieces of a path (rectangles and polylines), in user space."""
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return []
    px, py = ctypes.c_float(), ctypes.c_float()
    pts: list[tuple[float, float]] = []
    out: list[tuple[float, float, float, float]] = []
    start = None
    n = raw.FPDFPath_CountSegments(obj)
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py)):
            continue
        x = m.a * px.value + m.c * py.value + m.e
        y = m.b * px.value + m.d * py.value + m.f
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not pts:
            pts = [(x, y)]
            start = (x, y)
        else:
            a = pts[-1]
            if kind == raw.FPDF_SEGMENT_LINETO:
                out.append((min(a[0], x), min(a[1], y), max(a[0], x), max(a[1], y)))
            pts.append((x, y))
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            out.append((min(start[0], x), min(start[1], y), max(start[0], x), max(start[1], y)))
    return [s for s in out if (s[2] - s[0] <= LINE_THICKNESS) != (s[3] - s[1] <= LINE_THICKNESS)]


def _merge(lines: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear overlapping or touching segments as one line: (position, start, end)."""
    out: list[list[float]] = []
    for pos, a, b in sorted(lines):
        for line in reversed(out[-8:]):
            if abs(line[0] - pos) <= SNAP and a <= line[2] + SNAP and b >= line[1] - SNAP:
                line[1], line[2] = min(line[1], a), max(line[2], b)
                break
        else:
            out.append([pos, a, b])
    return [(pos, a, b) for pos, a, b in out]


def _clusters(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


class _Union:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def join(self, a: int, b: int) -> None:
        self.p[self.find(a)] = self.find(b)


def _components(hs, vs):
    """Groups of lines that touch each other: one table each."""
    n = len(hs) + len(vs)
    u = _Union(n)
    by_x = sorted(range(len(vs)), key=lambda j: vs[j][0])
    xs = [vs[j][0] for j in by_x]
    for i, (y, hx0, hx1) in enumerate(hs):
        for k in range(bisect_right(xs, hx0 - SNAP - 1e-9), bisect_right(xs, hx1 + SNAP)):
            j = by_x[k]
            x, vy0, vy1 = vs[j]
            if vy0 - SNAP <= y <= vy1 + SNAP:
                u.join(i, len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i in range(n):
        g = groups.setdefault(u.find(i), ([], []))
        if i < len(hs):
            g[0].append(hs[i])
        else:
            g[1].append(vs[i - len(hs)])
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _at(lines, positions: list[float]) -> list[list[tuple[float, float]]]:
    """For each grid position, the extents of the lines drawn there."""
    out: list[list[tuple[float, float]]] = [[] for _ in positions]
    for p, a, b in lines:
        k = bisect_right(positions, p + SNAP) - 1
        if k >= 0 and abs(positions[k] - p) <= SNAP:
            out[k].append((a, b))
    return out


def _covers(extents: list[tuple[float, float]], at: float) -> bool:
    return any(a - SNAP <= at <= b + SNAP for a, b in extents)


def _lines(chars) -> list[list]:
    """Characters grouped into printed lines (a comma or a raised digit stays on its line), each left to right."""
    chars = sorted(chars, key=lambda c: c[2])
    lines: list[list] = []
    bounds: list[list[float]] = []  # top, bottom of each line
    for c in chars:
        mid = (c[2] + c[4]) / 2
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bounds[k]
            if top - 1 <= mid <= bottom + 1:
                lines[k].append(c)
                if c[2] - top <= 0.3 * (bottom - top):
                    bounds[k][1] = max(bottom, c[4])
                break
        else:
            lines.append([c])
            bounds.append([c[2], c[4]])
    for line in lines:
        line.sort(key=lambda c: c[1])
    return lines


def _line_text(line, split: float | None = None) -> list[str]:
    """A line's words: a space where characters stand apart; with `split`, separate runs at gaps wider than that."""
    runs, s, prev = [], "", None
    for c in line:
        if prev is not None:
            gap = c[1] - prev[3]
            h = max(c[4] - c[2], prev[4] - prev[2], 4.0)
            if split is not None and gap > split * h:
                runs.append(s)
                s = ""
            elif gap > 0.4 * h:
                s += " "
        s += c[0]
        prev = c
    runs.append(s)
    return runs


def _text(chars) -> str:
    """Characters of one cell as text: its lines top to bottom (\\n between), words in a line left to right."""
    return "\n".join(_line_text(line)[0] for line in _lines(chars))


def _text_lines(chars) -> list[tuple[float, str]]:
    """Free text (outside any table) as (top, line) in reading order; far-apart runs of a line joined by 2 spaces."""
    return [(min(c[2] for c in line), "  ".join(_line_text(line, split=2.0))) for line in _lines(chars)]


FIGURE = re.compile(r"\d[\d,]*\.\d{2}\b")
# a figure printed without a unit after it, as in a table cell (prose writes 2995.39万元)
CELL_FIGURE = re.compile(r"\d\.\d\d(?![\d\s]*[万亿元%％])")


def _open_top(table, chars):
    """A table continued from the previous page whose first row has no top border: the row of figures right
    above the first ruling line becomes the table's first row."""
    ys, xs, h, v = table
    bands = sorted(b - a for a, b in zip(ys, ys[1:]))
    row = bands[len(bands) // 2]
    near = [c for c in chars if xs[0] <= (c[1] + c[3]) / 2 <= xs[-1] and ys[0] - 1.5 * row <= (c[2] + c[4]) / 2 < ys[0]]
    if not near or not FIGURE.search("".join(c[0] for c in sorted(near, key=lambda c: c[1]))):
        return table
    top = min(c[2] for c in near) - 1
    return [top, *ys], xs, [(top, xs[0], xs[-1]), *h], v


def _is_figure(text: str) -> bool:
    return bool(re.fullmatch(r"[-\d,.\s]+", text)) and any(ch.isdigit() for ch in text)


def _unstacked(r0: int, r1: int, chars, ys, figure_rows):
    """A cell over several rows whose ruling line was left out in its columns only ('301' above '30101' in one
    box while the figures beside them stand in rows of their own): one cell per row, each with its own line.
    Cells whose lines do not fall one to a row of figures (a group label, a header) stay whole."""
    if r1 - r0 < 2 or not chars or not any(b in figure_rows for b in range(r0, r1)):
        return [(r0, r1, chars)]
    lines = _lines(chars)
    if len(lines) < 2:
        return [(r0, r1, chars)]
    bands = [bisect_right(ys, (min(c[2] for c in ln) + max(c[4] for c in ln)) / 2) - 1 for ln in lines]
    if len(set(bands)) != len(bands) or not all(r0 <= b < r1 and b in figure_rows for b in bands):
        return [(r0, r1, chars)]
    out, start = [], r0
    for k, (b, ln) in enumerate(zip(bands, lines)):
        end = bands[k + 1] if k + 1 < len(bands) else r1
        out.append((start, end, ln))
        start = end
    return out


def page_grids(page, textpage, text: str, page_no: int) -> list[Grid]:
    """The ruled tables of one page as grids of merged cells, with the free text lines above each."""
    figures = len(CELL_FIGURE.findall(text))
    if not figures:
        return []  # no figures standing alone: prose, a cover, a table of contents
    rotation = page.get_rotation() % 360
    box = page.get_cropbox() if hasattr(page, "get_cropbox") else page.get_mediabox()
    to_display = _transform(rotation, box)
    hs, vs = page_rulings(page, to_display)
    width, height = page.get_width(), page.get_height()
    if (len(hs) < 2 or len(vs) < 2) and figures < 3:
        return []  # one or two figures and no ruling: prose (a ruled page may hold a table's last row alone)
    if len(hs) < 2 or len(vs) < 2:
        # no ruling lines: a table printed as aligned columns (or prose: it needs rows of figures to be one)
        chars = [c for c in page_chars(textpage, text, to_display) if c[4] > 0 and c[2] < height and c[3] > 0 and c[1] < width]
        return unruled_grids(chars, page_no)
    height = page.get_height()
    hs = [h for h in hs if -SNAP <= h[0] <= height + SNAP]
    vs = [(x, max(a, 0.0), min(b, height)) for x, a, b in vs if b > 0 and a < height]
    hs, vs = _merge(hs), _merge(vs)
    comps = _components(hs, vs)
    if not comps:
        return []
    width, height = page.get_width(), page.get_height()
    # what lies outside the page is not printed (some producers leave a second table below the page's edge)
    chars = [c for c in page_chars(textpage, text, to_display) if c[4] > 0 and c[2] < height and c[3] > 0 and c[1] < width]
    tables = []
    for h, v in comps:
        ys = _clusters([y for y, _, _ in h])
        xs = _clusters([x for x, _, _ in v])
        ys = [y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] >= MIN_BAND]
        xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] >= MIN_BAND]
        if len(ys) < 2 or len(xs) < 2:
            continue
        tables.append((ys, xs, h, v))
    tables.sort(key=lambda t: t[0][0])
    tables = [_open_top(t, chars) for t in tables]
    inside: list[list] = [[] for _ in tables]
    free = []
    for c in chars:
        cx, cy = (c[1] + c[3]) / 2, (c[2] + c[4]) / 2
        for k, (ys, xs, _, _) in enumerate(tables):
            if ys[0] <= cy <= ys[-1] and xs[0] <= cx <= xs[-1]:
                inside[k].append(c)
                break
        else:
            free.append(c)
    lines = _text_lines(free)
    grids = []
    prev_bottom = float("-inf")
    for (ys, xs, h, v), tchars in zip(tables, inside):
        nr, nc = len(ys) - 1, len(xs) - 1
        u = _Union(nr * nc)
        v_at, h_at = _at(v, xs), _at(h, ys)
        for i in range(nr):
            ym = (ys[i] + ys[i + 1]) / 2
            for j in range(nc):
                xm = (xs[j] + xs[j + 1]) / 2
                if j + 1 < nc and not _covers(v_at[j + 1], ym):
                    u.join(i * nc + j, i * nc + j + 1)
                if i + 1 < nr and not _covers(h_at[i + 1], xm):
                    u.join(i * nc + j, (i + 1) * nc + j)
        members: dict[int, list[int]] = {}
        for k in range(nr * nc):
            members.setdefault(u.find(k), []).append(k)
        content: dict[int, list] = {}
        for c in tchars:
            i = bisect_right(ys, (c[2] + c[4]) / 2) - 1
            j = bisect_right(xs, (c[1] + c[3]) / 2) - 1
            if 0 <= i < nr and 0 <= j < nc:
                content.setdefault(u.find(i * nc + j), []).append(c)
        spans = []
        for root, ks in members.items():
            rs = [k // nc for k in ks]
            cs = [k % nc for k in ks]
            spans.append((min(rs), max(rs) + 1, min(cs), max(cs) + 1, content.get(root) or []))
        texts = [_text(got) if got else "" for _, _, _, _, got in spans]
        figure_rows = {sp[0] for sp, t in zip(spans, texts) if sp[1] - sp[0] == 1 and t and _is_figure(t)}
        cells = []
        for (top, bottom, c0, c1, held), whole in zip(spans, texts):
            parts = _unstacked(top, bottom, held, ys, figure_rows)
            for r0, r1, got in parts:
                text_ = whole if len(parts) == 1 else _text(got)
                cells.append(GridCell(text_, r0, c0, r1, c1, page_no, (xs[c0], ys[r0], xs[c1], ys[r1])))
        above = tuple(t for top, t in lines if prev_bottom <= top < ys[0])
        prev_bottom = ys[-1]
        grids.append(Grid(tuple(cells), nr, nc, above, page_no, tuple(xs)))
    return grids


# ------------------------------------------------------------------ tables drawn without ruling lines

RUN_GAP = 1.2  # characters further apart than this many character heights are different cells
ALIGN = 3.0  # right edges of figures closer than this (points) are one column
LONE_FIGURE = re.compile(r"^[(（]?-?\d[\d,]*\.\d+[)）]?%?$|^-?\d{1,3}(?:,\d{3})+$")
UNRULED_CODE = re.compile(r"^\d{3,7}$")


def _runs(line) -> list[list]:
    """A printed line's characters split into runs at wide gaps: one run per cell."""
    runs, cur, prev = [], [], None
    for c in line:
        if prev is not None:
            h = max(c[4] - c[2], prev[4] - prev[2], 4.0)
            if c[1] - prev[3] > RUN_GAP * h:
                runs.append(cur)
                cur = []
        cur.append(c)
        prev = c
    if cur:
        runs.append(cur)
    return runs


def _run_text(run) -> str:
    return _line_text(run)[0].replace(" ", "") if all(ord(c[0]) < 128 for c in run) else _line_text(run)[0]


def _marks_on_digits(chars):
    """A figure's comma and point take the height of the digit before them: their boxes sit low and would join
    them to the line below when a figure is printed half a line lower than the words of its row."""
    out = list(chars)
    for k, c in enumerate(out):
        if c[0] in ",.，" and k > 0 and out[k - 1][0].isdigit() and 0 <= c[1] - out[k - 1][3] < 3:
            d = out[k - 1]
            out[k] = (c[0], c[1], d[2], c[3], d[4])
    return out


def unruled_grids(chars, page_no: int) -> list[Grid]:
    """Tables printed without ruling lines: columns from where the figures' right edges line up down the page and
    where the words of the rows start; header lines above the first row of figures go over the columns they
    stand above (a header over several columns spans them); a label wrapped onto a line of its own joins the row
    of figures nearest it."""
    lines = []
    for line in _lines(_marks_on_digits(chars)):
        runs = [(r, _run_text(r)) for r in _runs(line)]
        top, bottom = min(c[2] for c in line), max(c[4] for c in line)
        lines.append((top, bottom, runs))
    lines.sort(key=lambda x: x[0])
    is_fig = [any(LONE_FIGURE.match(t.replace(" ", "")) for _, t in runs) for _, _, runs in lines]
    grids: list[Grid] = []
    i, prev_end = 0, 0
    while i < len(lines):
        if not is_fig[i]:
            i += 1
            continue
        # the body: figure lines, and word lines between them no further apart than two line heights
        j = i + 1
        last_fig = i
        while j < len(lines):
            gap = lines[j][0] - lines[j - 1][1]
            height = lines[j - 1][1] - lines[j - 1][0]
            if gap > 2.0 * max(height, 6.0):
                break
            if is_fig[j]:
                last_fig = j
            elif j - last_fig > 2 or len(lines[j][2]) > 3:
                break
            j += 1
        end = last_fig + 1
        # the rest of a label wrapped below the last row of figures, set tight under it
        while end < len(lines) and not is_fig[end] and len(lines[end][2]) <= 2 \
                and lines[end][0] - lines[end - 1][1] <= 0.6 * (lines[end - 1][1] - lines[end - 1][0]):
            end += 1
        body = list(range(i, end))
        if sum(is_fig[k] for k in body) < 3:
            i = last_fig + 1
            continue
        grid = _unruled_grid(lines, body, prev_end, page_no)
        if grid is not None:
            grids.append(grid)
            prev_end = end
        i = end
    return grids


def _unruled_grid(lines, body, prev_end: int, page_no: int) -> Grid | None:
    figs = [(r, t) for k in body for r, t in lines[k][2] if LONE_FIGURE.match(t.replace(" ", ""))]
    rights = sorted(max(c[3] for c in r) for r, _ in figs)
    edges: list[list[float]] = []
    for x in rights:
        if edges and x - edges[-1][-1] <= ALIGN:
            edges[-1].append(x)
        else:
            edges.append([x])
    values = [(min(min(c[1] for c in r) for r, _ in figs if abs(max(c[3] for c in r) - sum(e) / len(e)) <= ALIGN + 1),
               sum(e) / len(e)) for e in edges if len(e) >= 2]
    if not values:
        return None
    first = min(a for a, _ in values)
    starts = sorted(min(c[1] for c in r) for k in body for r, t in lines[k][2]
                    if not LONE_FIGURE.match(t.replace(" ", "")) and max(c[3] for c in r) <= first + ALIGN)
    texts: list[float] = []
    for x in starts:
        if not texts or x - texts[-1] > 2 * ALIGN:
            texts.append(x)
    cols = [("text", x, x) for x in texts] + [("value", a, b) for a, b in values]
    cols.sort(key=lambda c: c[2])

    centres = [(c[1] + c[2]) / 2 for c in cols]
    value_centres = [x for c, x in zip(cols, centres) if c[0] == "value"]
    spacing = min((b - a for a, b in zip(value_centres, value_centres[1:])), default=1e9)

    def place(run, figure: bool, parent: bool = False) -> tuple[int, int]:
        x0, x1 = min(c[1] for c in run), max(c[3] for c in run)
        if figure:
            k = min(range(len(cols)), key=lambda k: abs(cols[k][2] - x1) if cols[k][0] == "value" else 1e9)
            return k, k + 1
        if x1 <= first + ALIGN:
            ks = [k for k, c in enumerate(cols) if c[0] == "text" and c[1] <= x0 + ALIGN]
            return (ks[-1], ks[-1] + 1) if ks else (0, 1)
        # a header word goes over the column whose middle is nearest its own; a word on a header line with more
        # header lines below it (其中, 财政拨款) is centred over its children: every column closer than a column's width
        mid = (x0 + x1) / 2
        k = min(range(len(cols)), key=lambda k: abs(centres[k] - mid))
        if parent:
            near = [j for j, c in enumerate(cols) if c[0] == "value" and abs(centres[j] - mid) <= 0.6 * spacing]
            if near:
                return min(near[0], k), max(near[-1], k) + 1
        return k, k + 1

    # header: the word lines right above the body, within the table's width, up to four
    left, right = min(c[1] for c in cols), max(c[2] for c in cols)
    head: list[int] = []
    k = body[0] - 1
    while k >= prev_end and len(head) < 4:
        top, bottom, runs = lines[k]
        inside = [r for r, _ in runs if min(c[1] for c in r) >= left - 2 * ALIGN and max(c[3] for c in r) <= right + ALIGN]
        over_values = len(runs) == 1 and min(c[1] for c in runs[0][0]) >= first - ALIGN
        if (len(runs) < 2 and not over_values) or len(inside) < len(runs) \
                or lines[k + 1][0] - bottom > 2.5 * max(bottom - top, 6.0):
            break
        head.insert(0, k)
        k -= 1
    above_end = head[0] if head else body[0]
    above = tuple("  ".join(_line_text(line_chars)[0] for line_chars, _ in lines[m][2])
                  for m in range(prev_end, above_end))
    # body rows: a word line without figures joins the nearest figure line (a wrapped label)
    fig_lines = [k for k in body if any(LONE_FIGURE.match(t.replace(" ", "")) for _, t in lines[k][2])]
    row_of = {k: n for n, k in enumerate(fig_lines)}
    for k in body:
        if k not in row_of:
            # equally near two rows: a line that opens with a 科目编码 starts the row below, other words end the one above
            mid = (lines[k][0] + lines[k][1]) / 2
            down = bool(lines[k][2]) and bool(UNRULED_CODE.match(lines[k][2][0][1].strip()))
            row_of[k] = min(range(len(fig_lines)), key=lambda n: (
                round(abs((lines[fig_lines[n]][0] + lines[fig_lines[n]][1]) / 2 - mid), 1),
                (fig_lines[n] < k) if down else (fig_lines[n] > k)))
    held: dict[tuple[int, int, int], list] = {}
    for h, k in enumerate(head):
        for run, t in lines[k][2]:
            c0, c1 = place(run, False, parent=h < len(head) - 1)
            held.setdefault((h, c0, c1), []).extend(run)
    for k in body:
        for run, t in lines[k][2]:
            c0, c1 = place(run, bool(LONE_FIGURE.match(t.replace(" ", ""))))
            held.setdefault((len(head) + row_of[k], c0, c1), []).extend(run)
    cells = []
    taken: set[tuple[int, int]] = set()
    for (r, c0, c1), got in sorted(held.items()):
        if any((r, c) in taken for c in range(c0, c1)):
            continue
        taken.update((r, c) for c in range(c0, c1))
        box = (min(c[1] for c in got), min(c[2] for c in got), max(c[3] for c in got), max(c[4] for c in got))
        cells.append(GridCell(_text(got), r, c0, r + 1, c1, page_no, box))
    return Grid(tuple(cells), len(head) + len(fig_lines), len(cols), above, page_no)
