"""Charts: each canned query draws, files save as html/png/svg, and Chinese renders as glyphs, not boxes."""

from __future__ import annotations

import struct
import zlib

import altair as alt
import numpy as np
import polars as pl
import pytest
import vl_convert

from yearwise.charts import CHARTS, chart_for, save_chart
from yearwise.fonts import FAMILY, FONT_FILE, FONT_STACK, ensure_fonts

try:  # tests/ on sys.path (pytest's default import mode)
    from test_queries import build_warehouse
except ImportError:  # tests as a package
    from tests.test_queries import build_warehouse


def decode_png(data: bytes) -> np.ndarray:
    """A minimal PNG reader (8-bit RGB/RGBA, not interlaced): enough for vl-convert's output."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int32)
        cur = np.zeros(stride, dtype=np.int32)
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 0xFF
        else:
            for x in range(stride):
                a = cur[x - channels] if x >= channels else 0
                b = prev[x]
                c = prev[x - channels] if x >= channels else 0
                if f == 1:
                    pred = a
                elif f == 3:
                    pred = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + pred) & 0xFF
        out[y] = cur
        prev = cur
    return out.reshape(height, width, channels)[:, :, :3]


def title_strip(title: str) -> np.ndarray:
    """Grey levels of the top of a small chart whose title is `title` (rendered to PNG by vl-convert)."""
    ensure_fonts()
    df = pl.DataFrame({"year": [2021, 2022, 2023], "value": [1.0, 3.0, 2.0]})
    chart = alt.Chart(df).mark_line().encode(x=alt.X("year:O", title="年度"), y=alt.Y("value:Q", title="金额")) \
        .properties(title=alt.TitleParams(title, anchor="start", fontSize=24), width=300, height=120) \
        .configure(font=FONT_STACK)
    png = vl_convert.vegalite_to_png(chart.to_dict(), scale=1)
    return decode_png(png).mean(axis=2)[:40, :]


def ink(strip: np.ndarray) -> int:
    return int((strip < 128).sum())


def test_bundled_font_is_there_and_small():
    assert FONT_FILE.exists() and FONT_FILE.stat().st_size < 10_000_000
    assert (FONT_FILE.parent / "OFL.txt").exists()
    assert FONT_STACK.startswith(FAMILY)


def diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean grey-level difference over the common area (titles can change the chart's width)."""
    w = min(a.shape[1], b.shape[1])
    return float(np.abs(a[:, :w] - b[:, :w]).mean())


def test_chinese_title_renders_as_glyphs_not_tofu():
    chinese = title_strip("预算与支出趋势")
    blank = title_strip("\u3000" * 7)  # same length, full-width spaces: same layout, no title ink
    tofu = title_strip("\u0378" * 7)  # unassigned code points: what a font without the glyphs gives
    other = title_strip("部门决算排名表")  # different characters, same length
    assert ink(chinese) > ink(blank) + 300, "the Chinese title left almost no ink"
    assert diff(chinese, blank) > 5
    # missing glyphs (boxes or nothing) look alike whatever the character: real glyphs differ from them
    # and from each other
    assert diff(chinese, tofu) > 5
    assert diff(chinese, other) > 5


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    from yearwise import Warehouse

    wh = Warehouse(build_warehouse(tmp_path_factory.mktemp("charts") / "c.duckdb"))
    return {name: wh.run(name) for name in CHARTS}


def test_every_canned_query_has_a_chart(frames):
    for name, df in frames.items():
        chart = chart_for(name, df)
        assert isinstance(chart, alt.Chart), name
        spec = chart.to_dict()
        assert spec["config"]["font"].startswith(FAMILY)
        assert spec["title"]["text"]


def test_budget_trend_chart_encodings_and_files(frames, tmp_path):
    chart = chart_for("budget_trend", frames["budget_trend"])
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "year" and enc["x"]["type"] == "ordinal"
    assert enc["y"]["title"] == "金额（万元）" and enc["color"]["field"] == "department"
    for suffix in ("html", "png", "svg"):
        out = save_chart(chart, tmp_path / f"trend.{suffix}")
        assert out.stat().st_size > 1000
    assert (tmp_path / "trend.png").read_bytes()[:4] == b"\x89PNG"
    assert "预算" in (tmp_path / "trend.svg").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="must end in"):
        save_chart(chart, tmp_path / "trend.gif")
