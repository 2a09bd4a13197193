"""The bundled CJK font: registered with vl-convert so PNG/SVG charts render Chinese, not empty boxes.

yearwise/data/YearwiseSansSC-Regular.otf is Noto Sans CJK SC Regular (SIL OFL 1.1, see OFL.txt beside it)
cut down to GB2312's 6,763 hanzi plus ASCII, Latin-1, punctuation, math and full-width forms, renamed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "data"
FONT_FILE = FONT_DIR / "YearwiseSansSC-Regular.otf"
FAMILY = "Yearwise Sans SC"
# the bundled face first; characters outside GB2312 fall back to any CJK font the machine has
FONT_STACK = (f"{FAMILY}, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, PingFang SC, "
              "Microsoft YaHei, sans-serif")


@lru_cache(maxsize=1)
def ensure_fonts() -> str:
    """Register the bundled font folder with vl-convert once per process; returns the family name."""
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
    return FAMILY
