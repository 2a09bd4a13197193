"""SVG charts with their text as outlines of the bundled font, so they render on machines without CJK fonts.

Vega writes each label as `<text transform="translate(x,y) rotate(a)" text-anchor=… font-size=…>…</text>`; each
becomes a group of glyph outlines (defined once per glyph, placed with <use>), with the text kept in aria-label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


@lru_cache(maxsize=1)
def _font():
    from fontTools.ttLib import TTFont

    from yearwise.fonts import FONT_FILE

    font = TTFont(str(FONT_FILE), lazy=True)
    return font, font.getGlyphSet(), font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


@lru_cache(maxsize=8192)
def _outline(glyph: str) -> str:
    """The glyph's outline as SVG path data in font units (y up)."""
    from fontTools.pens.svgPathPen import SVGPathPen

    _, glyphs, _, _, _ = _font()
    pen = SVGPathPen(glyphs)
    glyphs[glyph].draw(pen)
    return pen.getCommands()


def _glyphs(text: str) -> list[tuple[str, int]]:
    """(glyph name, advance in font units) for each character; .notdef where the font has none."""
    _, _, cmap, hmtx, _ = _font()
    out = []
    for ch in text:
        name = cmap.get(ord(ch), ".notdef")
        out.append((name, hmtx[name][0]))
    return out


def text_as_paths(svg: str) -> str:
    """`svg` with every <text> element replaced by glyph outlines of the bundled font (no fonts needed to view)."""
    _, _, _, _, upem = _font()
    used: dict[str, str] = {}

    def replace(m: re.Match) -> str:
        attrs = dict(_ATTR.findall(m.group(1)))
        text = unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        if not text.strip():
            return ""
        size = float(re.sub(r"[^\d.]", "", attrs.get("font-size", "11")) or 11)
        scale = size / upem
        glyphs = _glyphs(text)
        width = sum(a for _, a in glyphs) * scale
        anchor = attrs.get("text-anchor", "start")
        x = -width if anchor == "end" else (-width / 2 if anchor == "middle" else 0.0)
        dy = 0.0
        if "dy" in attrs:  # '0.35em' or a length in px
            d = attrs["dy"]
            dy = float(d[:-2]) * size if d.endswith("em") else float(re.sub(r"[^\d.-]", "", d) or 0)
        uses = []
        for name, advance in glyphs:
            if name not in used:
                used[name] = f"g{len(used)}"
            if _outline(name):
                uses.append(f'<use href="#{used[name]}" xlink:href="#{used[name]}" '
                            f'transform="translate({x:.2f},{dy:.2f}) scale({scale:.5f},{-scale:.5f})"/>')
            x += advance * scale
        keep = {k: v for k, v in attrs.items() if k in ("transform", "fill", "opacity", "fill-opacity", "clip-path")}
        bold = attrs.get("font-weight") in ("bold", "600", "700", "800", "900")
        if bold:  # the bundled face is Regular: a thin stroke of the fill colour stands in for bold
            keep.update({"stroke": attrs.get("fill", "#000"), "stroke-width": f"{upem * 0.025:.0f}"})
        head = " ".join(f'{k}="{v}"' for k, v in keep.items())
        return f'<g {head} aria-label="{escape(text)}">{"".join(uses)}</g>'

    body = _TEXT.sub(replace, svg)
    if not used:
        return body
    defs = "<defs>" + "".join(f'<path id="{gid}" d="{_outline(name)}"/>' for name, gid in used.items()) + "</defs>"
    body = re.sub(r"(<svg\b[^>]*>)", lambda m: _with_xlink(m.group(1)) + defs, body, count=1)
    return body


def _with_xlink(tag: str) -> str:
    """The <svg> tag with the xlink namespace declared (older renderers read xlink:href only)."""
    return tag if "xmlns:xlink" in tag else tag[:-1] + ' xmlns:xlink="http://www.w3.org/1999/xlink">'
