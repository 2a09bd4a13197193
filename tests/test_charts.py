"""Charts: each canned query draws, files save as html/png/svg, and Chinese renders as glyphs, not boxes."""

from __future__ import annotations

import struct
import zlib

import altair as alt
import numpy as np
import polars as pl
import pytest
import vl_convert

from yearwise.charts import chart_for, save_chart
from yearwise.queries import list_queries
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
    return {q.name: wh.run(q.name) for q in list_queries()}


def test_every_canned_query_has_a_chart(frames):
    for name, df in frames.items():
        chart = chart_for(name, df)
        assert isinstance(chart, (alt.Chart, alt.LayerChart)), name
        spec = chart.to_dict()
        assert spec["config"]["font"].startswith(FAMILY)
        assert spec["title"]["text"]


def test_budget_trend_chart_encodings_and_files(frames, tmp_path):
    chart = chart_for("budget_trend", frames["budget_trend"])
    spec = chart.to_dict()
    enc = spec["encoding"]
    # a real year scale (a missing year leaves a gap), every year a tick
    assert enc["x"]["field"] == "year" and enc["x"]["type"] == "quantitative" and enc["x"]["axis"]["format"] == "d"
    assert enc["y"]["title"] == "金额（万元）" and enc["color"]["field"] == "department"
    for suffix in ("html", "png", "svg"):
        out = save_chart(chart, tmp_path / f"trend.{suffix}")
        assert out.stat().st_size > 1000
    assert (tmp_path / "trend.png").read_bytes()[:4] == b"\x89PNG"
    svg = (tmp_path / "trend.svg").read_text(encoding="utf-8")
    assert "<text" not in svg and 'aria-label="预算与支出趋势' in svg  # text as outlines, the words kept
    with pytest.raises(ValueError, match="must end in"):
        save_chart(chart, tmp_path / "trend.gif")


# -- every canned chart of the demo, drawn ------------------------------------------------------------------

def _x_labels(chart) -> dict[str, float]:
    """x-axis label text -> x position, from the scenegraph Vega lays out (the first x axis found)."""
    ensure_fonts()
    sg = vl_convert.vegalite_to_scenegraph(chart.to_dict())
    found: dict[str, float] = {}

    def walk(node, in_x_axis=False):
        if isinstance(node, dict):
            role = node.get("role", "")
            in_x_axis = in_x_axis or (role == "axis" and node.get("orient") == "bottom") or (
                "axis" in role and any(i.get("orient") == "bottom" for i in node.get("items", []) if isinstance(i, dict)))
            if in_x_axis and role == "axis-label":
                for item in node.get("items", []):
                    found.setdefault(str(item.get("text")), item.get("x", 0.0))
                return
            for v in node.values():
                walk(v, in_x_axis)
        elif isinstance(node, list):
            for v in node:
                walk(v, in_x_axis)

    walk(sg)
    return found


def _find(spec, channel: str):
    """The first encoding of `channel` in a (possibly layered) chart spec."""
    if isinstance(spec, dict):
        if channel in spec.get("encoding", {}):
            return spec["encoding"][channel]
        for layer in spec.get("layer", []):
            found = _find(layer, channel)
            if found:
                return found
    return None


@pytest.fixture(scope="module")
def demo_frames(demo_db):
    from yearwise import Warehouse

    wh = Warehouse(demo_db)
    return {q.name: wh.run(q.name) for q in list_queries()}


def test_each_demo_chart_renders_to_a_sane_png(demo_frames, tmp_path):
    for name, df in demo_frames.items():
        assert df.height, name
        out = save_chart(chart_for(name, df), tmp_path / f"{name}.png", scale=1)
        width, height = struct.unpack(">II", out.read_bytes()[16:24])
        assert 300 <= width <= 2000 and 150 <= height <= 2000, (name, width, height)  # was 8694 x 750
        img = decode_png(out.read_bytes())
        assert (img.mean(axis=2) < 200).mean() > 0.01, name  # something is drawn


def test_the_year_axis_skips_missing_years(demo_frames):
    # 示例区文化和旅游局 has no 2021 report: its line stops at 2020 and starts again at 2022
    df = demo_frames["budget_trend"].filter(pl.col("department") == "示例区文化和旅游局")
    assert 2021 not in df["year"].to_list() and {2020, 2022} <= set(df["year"].to_list())
    chart = chart_for("budget_trend", df)
    labels = _x_labels(chart)
    years = sorted(int(t) for t in labels if t.isdigit())
    assert years == list(range(years[0], years[-1] + 1)) and 2021 in years  # the missing year keeps its place
    steps = {round(labels[str(b)] - labels[str(a)], 3) for a, b in zip(years, years[1:])}
    assert len(steps) == 1, steps  # evenly spaced: 2020 -> 2022 is two steps, not one
    runs = chart.to_dict()["datasets"]
    rows = next(iter(runs.values()))
    total = [r for r in rows if r["indicator"] == "budget.total"]
    assert len({r["_run"] for r in total}) == 2  # two line pieces: nothing bridges 2021


def test_many_departments_stay_apart_and_names_are_whole(demo_frames):
    trend = demo_frames["budget_trend"].filter(pl.col("indicator") == "budget.total")

    def departments(n: int) -> pl.DataFrame:  # the demo's rows spread over n (synthetic) department names
        return trend.with_columns((pl.lit("示例第") + (pl.int_range(pl.len()) % n + 1).cast(pl.String)
                                   + pl.lit("号长名称管理委员会办公室")).alias("department"))

    spec = chart_for("budget_trend", departments(14)).to_dict()
    color = spec["encoding"]["color"]
    assert color["scale"]["scheme"] == "tableau20"  # 14 departments, 14 colours (was 10 for 14)
    assert color["legend"]["labelLimit"] == 0  # full names, never cut
    spec = chart_for("budget_trend", departments(25)).to_dict()
    assert spec["encoding"]["facet"]["field"] == "department"  # past 20: a panel each, indicators as colours
    assert spec["encoding"]["color"]["field"] == "indicator_name"
    variance = chart_for("budget_variance", demo_frames["budget_variance"]).to_dict()
    assert variance["encoding"]["facet"]["field"] == "series"  # rates, in one panel each
    series = {r["series"] for r in next(iter(variance["datasets"].values()))}
    assert any("执行率" in s for s in series) and any("差异率" in s for s in series)
    growth = chart_for("growth_rates", demo_frames["growth_rates"]).to_dict()
    shape = _find(growth, "shape")
    assert shape["scale"]["domain"][0].startswith("计算值") and shape["scale"]["domain"][1] == "报告所述"
    output = chart_for("output_trend", demo_frames["output_trend"]).to_dict()
    panels = {r["indicator_name"] for r in next(iter(output["datasets"].values()))}
    assert all("（" in p for p in panels if p)  # each panel names its unit


def test_svg_text_is_outlines_that_render_without_any_font(demo_frames, tmp_path):
    import subprocess
    import sys

    chart = chart_for("growth_rates", demo_frames["growth_rates"])
    svg = save_chart(chart, tmp_path / "g.svg")
    text = svg.read_text(encoding="utf-8")
    assert "<text" not in text and "增长率 Growth rates" in text  # the words stay in aria-label
    # render the SVG in a fresh process that registers no font (this machine has no CJK font installed)
    code = ("import sys, vl_convert; sys.stdout.buffer.write(vl_convert.svg_to_png(open(sys.argv[1]).read(), 1.0))")
    png = subprocess.run([sys.executable, "-c", code, str(svg)], capture_output=True, check=True).stdout
    drawn = decode_png(png).mean(axis=2)[:40, :]
    reference = decode_png(vl_convert.vegalite_to_png(chart.to_dict(), scale=1)).mean(axis=2)[:40, :]
    assert ink(drawn) > 300  # the title's glyphs are there
    assert abs(ink(drawn) - ink(reference)) < 0.25 * ink(reference)
    assert diff(drawn, reference) < 12


def test_a_new_query_file_draws_its_chart_without_python(demo_db, tmp_path, monkeypatch):
    (tmp_path / "three_public.sql").write_text(
        "-- title: 三公经费 “Three public” spending\n"
        "-- param: department str null -- department name\n"
        "-- chart: line x=year y=value color=department y_title=\"三公经费（{unit}）\"\n"
        "SELECT department, year, value, unit FROM facts_distinct\n"
        "WHERE indicator = 'spending.three_public' AND measure = 'level' AND scope = 'department'\n"
        "  AND ($department IS NULL OR department = $department)\n"
        "ORDER BY department, year\n", encoding="utf-8")
    monkeypatch.setenv("YEARWISE_QUERIES", str(tmp_path))
    from yearwise import Warehouse

    wh = Warehouse(demo_db)
    chart = wh.chart("three_public")
    spec = chart.to_dict()
    assert spec["title"]["text"].startswith("三公经费") and spec["encoding"]["y"]["title"] == "三公经费（万元）"
    out = save_chart(chart, tmp_path / "three_public.png", scale=1)
    assert out.stat().st_size > 5000
