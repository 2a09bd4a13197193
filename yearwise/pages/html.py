"""Small HTML helpers shared by the pages: escaping, number formatting and the page frame (CSS, JS, font)."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

ASSETS = Path(__file__).resolve().parent / "assets"
FONT_NAME = "YearwiseSansSC-Regular.otf"


def esc(s) -> str:
    """Text escaped for HTML content and double-quoted attributes."""
    return html.escape("" if s is None else str(s), quote=True)


T = TypeVar("T")


def list_items(things: Iterable[T], label: Callable[[T], str], note: Callable[[T], str]) -> str:
    """One <li> a thing: its `label`, then its `note` muted (both HTML): how a cell's other facts and a review page's
    unplaced facts are listed."""
    return "".join(f'<li>{label(t)} <span class="muted">{note(t)}</span></li>' for t in things)


def fmt_number(value, unit: str | None = None) -> str:
    """29300.48 -> '29,300.48'; money in 万元 with at least two decimals as reports print it; counts bare."""
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if unit == "万元":
        exponent = d.normalize().as_tuple().exponent  # a letter for NaN and Infinity: no decimals of their own
        places = max(2, -exponent) if isinstance(exponent, int) else 2
        return f"{d:,.{places}f}"
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def fmt_value(value, unit: str | None) -> str:
    """A value with its unit: '29,300.48 万元', '5.2%'."""
    num = fmt_number(value, unit)
    if not unit:
        return num
    return f"{num}{unit}" if unit in ("%", "‰") else f"{num} {unit}"


def fmt_signed(value: float | Decimal | None, suffix: str = "", digits: int = 2) -> str:
    if value is None:
        return ""
    return f"{float(value):+,.{digits}f}{suffix}"


@lru_cache(maxsize=1)
def asset_text(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def font_path() -> Path:
    from yearwise.fonts import FONT_FILE

    return FONT_FILE


def frame(title: str, body: str, *, root: str = ".", inline: bool = False, body_class: str = "") -> str:
    """A whole HTML page. Linked CSS/JS under root/assets (the site), or everything inline (the notebook).

    Inline pages embed the bundled font as a data: URL so Chinese renders without system fonts there too.
    """
    if inline:
        head = f"<style>{inline_css()}</style><script>{asset_text('site.js')}</script>"
    else:
        head = (f'<link rel="stylesheet" href="{root}/assets/site.css">'
                f'<script src="{root}/assets/site.js" defer></script>')
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title>{head}</head>\n"
            f'<body class="{esc(body_class)}">{body}</body></html>\n')


def inline_css() -> str:
    """The stylesheet with the bundled font as a data: URL (pages that cannot link files: notebooks)."""
    font = base64.b64encode(font_path().read_bytes()).decode("ascii")
    return asset_text("site.css").replace(f"url('{FONT_NAME}')", f"url(data:font/otf;base64,{font})")


def fragment(body: str) -> str:
    """A page body for a notebook cell: the styles and the font inline, no external file."""
    return f'<div class="yearwise-page"><style>{inline_css()}</style>{body}</div>'


def copy_assets(out: Path) -> None:
    """The site's CSS, JS and font (copied once; every page links them)."""
    import shutil

    dest = out / "assets"
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "site.js"):
        (dest / name).write_text(asset_text(name), encoding="utf-8")
    target = dest / FONT_NAME
    src = font_path()
    if not target.exists() or target.stat().st_size != src.stat().st_size:
        shutil.copyfile(src, target)
    shutil.copyfile(src.with_name("OFL.txt"), dest / "OFL.txt")  # the font's licence travels with it
