"""Charts drawn from the `-- chart:` lines of a canned query's header: a new .sql file needs no Python for its chart.

A chart spec is `key=value` words (the first bare word is the mark), on one or several `-- chart:` lines:

    -- chart: line x=year y=value color=department facet=indicator_name
    -- chart: y_title="金额（{unit}）" tooltip=department,indicator_name,year,value,change_rate

marks: line (a line per color, broken where a year is missing), bar (grouped by `color`), barh (horizontal bars
sorted by `sort`), heatmap (x by y shaded by `value`). Other keys: fold=col:label,col:label (several columns
drawn as one measure, told apart by dash style, with the labels in the legend), where=col=value (rows kept),
facet, columns, panels=N (the N facet values reported in most years), facet_unit=col (the unit in each panel's
title), x_title, y_title, color_title, fold_title, tooltip, rule=N (a reference line at y=N), width, height.
`{unit}` in a title is the answer's unit. The year axis is a real scale: missing years leave a gap.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl

from yearwise.fonts import FONT_STACK, ensure_fonts
from yearwise.queries.chartspec import ChartSpecError

FORMATS = (".html", ".png", ".svg")
# names shown for well-known columns (tooltips, default titles)
LABELS = {"department": "部门", "year": "年度", "indicator": "指标代码", "indicator_name": "指标", "value": "数值",
          "unit": "单位", "change_rate": "同比（%）", "change": "变动", "rank": "名次", "share": "占比（%）",
          "indicators": "指标数", "facts": "事实数", "missing_core": "缺少的核心指标", "part": "部分"}
MAX_COLORS = 20  # past this many departments a chart draws one panel per department instead of one colour each


def _floats(df: pl.DataFrame) -> pl.DataFrame:
    """Decimal columns as floats (Vega-Lite needs JSON numbers); lists as text."""
    casts = [pl.col(c).cast(pl.Float64) for c, t in df.schema.items() if isinstance(t, pl.Decimal)]
    casts += [pl.col(c).list.join(", ") for c, t in df.schema.items()
              if isinstance(t, pl.List) and t.inner == pl.String]
    return df.with_columns(casts) if casts else df


def _unit(df: pl.DataFrame) -> str:
    if "unit" not in df.columns:
        return ""
    units = sorted(u for u in df["unit"].unique().drop_nulls().to_list() if u)
    return "/".join(units)


def _label(column: str) -> str:
    return LABELS.get(column, column)


def _fill(title: str | None, data: pl.DataFrame) -> str | None:
    """`title` with `{unit}` (the answer's units) and `{column}` (a column's value, when it has one) filled in."""
    if title is None:
        return None
    import re

    def value(m):
        col = m.group(1)
        if col == "unit":
            return _unit(data) or "—"
        if col in data.columns:
            values = data[col].drop_nulls().unique().to_list()
            return str(values[0]) if len(values) == 1 else "—"
        return m.group(0)

    return re.sub(r"\{(\w+)\}", value, title).replace("（—）", "").strip() or None


def _fold(df: pl.DataFrame, spec: dict) -> tuple[pl.DataFrame, str, list[str]]:
    """Several value columns as one (`value`) told apart by a `series` column holding their labels."""
    pairs = [p.partition(":") for p in spec["fold"].split(",")]
    labels = {col: (label or col) for col, _, label in pairs}
    missing = [c for c in labels if c not in df.columns]
    if missing:
        raise ChartSpecError(f"chart fold: no column {', '.join(missing)} in the answer")
    index = [c for c in df.columns if c not in labels]
    long = df.unpivot(index=index, on=list(labels), variable_name="series", value_name="_folded")
    long = long.drop("value", strict=False).rename({"_folded": "value"})
    long = long.with_columns(pl.col("series").replace_strict(labels))
    return long, "value", list(labels.values())


def _runs(df: pl.DataFrame, keys: list[str], x: str, y: str) -> pl.DataFrame:
    """A `_run` id per unbroken run of consecutive years of one line, so a line never bridges a missing year."""
    keys = [k for k in keys if k in df.columns]
    df = df.filter(pl.col(y).is_not_null()).sort(keys + [x])
    step = (pl.col(x) - pl.col(x).shift(1).over(keys) != 1).fill_null(True).cast(pl.Int32)
    df = df.with_columns(step.cum_sum().over(keys).alias("_n"))
    return df.with_columns(pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in keys] + [pl.col("_n")],
                                         separator="|").alias("_run")).drop("_n")


def _panels(df: pl.DataFrame, facet: str, n: int) -> tuple[pl.DataFrame, str | None]:
    """The n facet values reported in most years (then most rows); a note saying how many were left out."""
    spread = (df.group_by(facet).agg(pl.col("year").n_unique().alias("years"), pl.len().alias("rows"))
              .sort(["years", "rows", facet], descending=[True, True, False]))
    if spread.height <= n:
        return df, None
    keep = spread.head(n)[facet].to_list()
    return df.filter(pl.col(facet).is_in(keep)), f"{n} of {spread.height}: those reported in most years"


def _year_axis(years: list[int], title: str, ordinal: bool):
    """x by year on a real scale: every year from first to last is a tick, so a missing year is a gap."""
    span = list(range(min(years), max(years) + 1)) if years else []
    if ordinal:
        return alt.X("year:O", title=title, scale=alt.Scale(domain=span), axis=alt.Axis(labelAngle=0))
    pad = 0.3
    return alt.X("year:Q", title=title,
                 scale=alt.Scale(domain=[span[0] - pad, span[-1] + pad] if span else alt.Undefined, nice=False,
                                 zero=False),
                 axis=alt.Axis(format="d", values=span or alt.Undefined, labelAngle=0, grid=False))


def _tooltip(columns: list[str], unit: str) -> list:
    out = []
    for c in columns:
        if c == "year":
            out.append(alt.Tooltip("year:Q", title="年度", format="d"))
        elif c == "value":
            out.append(alt.Tooltip("value:Q", title=f"数值（{unit}）" if unit else "数值", format=",.2f"))
        elif c in ("change_rate", "share") or c.endswith("_rate"):
            out.append(alt.Tooltip(f"{c}:Q", title=_label(c), format=".2f"))
        else:
            out.append(alt.Tooltip(c, title=_label(c)))
    return out


def draw(name: str, title: str, spec: dict, df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """The Altair chart of answer `df` of query `name` drawn as `spec` says."""
    if not spec:
        raise ChartSpecError(f"query {name} has no `-- chart:` lines in its header, so it has no chart")
    data = _floats(df)
    if "where" in spec:
        col, _, value = spec["where"].partition("=")
        if col in data.columns:
            data = data.filter(pl.col(col).cast(pl.String) == value)
    unit = _unit(data)
    mark, x, y = spec["mark"], spec.get("x", "year"), spec.get("y", "value")
    color, facet = spec.get("color"), spec.get("facet")
    series: list[str] = []
    if "fold" in spec:
        data, y, series = _fold(data, spec)
    subtitle = [t for t in [(params or {}).get("indicator"), (params or {}).get("department")] if t]
    if facet and "panels" in spec and data.height:
        data, note = _panels(data, facet, int(spec["panels"]))
        subtitle += [note] if note else []
    if facet and spec.get("facet_unit") in data.columns:
        u = spec["facet_unit"]
        data = data.with_columns(pl.when(pl.col(u).is_not_null() & (pl.col(u) != ""))
                                 .then(pl.format("{}（{}）", pl.col(facet), pl.col(u)))
                                 .otherwise(pl.col(facet)).alias(facet))
    many = color is not None and color in data.columns and data[color].n_unique() > MAX_COLORS
    if many and not facet:  # too many departments for colours: one small panel each
        facet, color = color, None
    elif many and facet and data[facet].n_unique() <= 10:  # (facet is set here) a panel per department, the few panels' values as colours
        facet, color = color, facet
    years = sorted(v for v in data["year"].unique().drop_nulls().to_list()) if "year" in data.columns else []
    x_title = _fill(spec.get("x_title"), data) or _label(x)
    y_title = _fill(spec.get("y_title"), data) or (f"{_label(y)}（{unit}）" if unit else _label(y))
    tooltip = _tooltip((spec.get("tooltip") or "").split(",") if spec.get("tooltip") else
                       [c for c in (color, facet, x, y) if c], unit)
    if series:
        tooltip.insert(1, alt.Tooltip("series:N", title=spec.get("fold_title", "口径")))
    enc: dict = {"tooltip": tooltip}
    n_colors = data[color].n_unique() if color and color in data.columns else 0
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=spec.get("color_title") or _label(color),
                                 scale=alt.Scale(scheme="tableau10" if n_colors <= 10 else "tableau20"),
                                 legend=alt.Legend(labelLimit=0, symbolLimit=0, columns=1 if n_colors <= 20 else 2))
    if mark == "line":
        keys = [k for k in (color, facet, "series" if series else None) if k]
        data = _runs(data, keys, x, y) if x == "year" else data
        enc["x"] = _year_axis(years, x_title, ordinal=False) if x == "year" else alt.X(x, title=x_title)
        enc["y"] = alt.Y(f"{y}:Q", title=y_title)
        if x == "year":
            enc["detail"] = alt.Detail("_run:N")
        if series and facet != "series":
            enc["strokeDash"] = alt.StrokeDash(
                "series:N", title=spec.get("fold_title", "口径"), sort=series,
                scale=alt.Scale(domain=series, range=[[1, 0], [5, 3], [1, 3], [8, 2, 2, 2]][:len(series)]),
                legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#333", symbolStrokeWidth=2,
                                  symbolSize=500, labelLimit=0))
        base = alt.Chart(data).mark_line(point="strokeDash" not in enc or bool(facet), strokeWidth=1.8)
    elif mark == "bar":
        enc["x"] = _year_axis(years, x_title, ordinal=True) if x == "year" else alt.X(f"{x}:N", title=x_title)
        enc["y"] = alt.Y(f"{y}:Q", title=y_title)
        if color:
            enc["xOffset"] = alt.XOffset(f"{color}:N")
        base = alt.Chart(data).mark_bar()
    elif mark == "barh":
        order = spec.get("sort")
        enc["y"] = alt.Y(f"{x}:N", title=None, axis=alt.Axis(labelLimit=0),
                         sort=alt.EncodingSortField(order, order="ascending") if order else "-x")
        enc["x"] = alt.X(f"{y}:Q", title=y_title)
        base = alt.Chart(data).mark_bar()
    else:  # heatmap
        row = spec.get("color") or "department"
        enc.pop("color", None)
        # one cell per row and year: numbers summed (an indicator prefix gives several rows to a cell)
        numbers = [c for c, t in data.schema.items() if t.is_numeric() and c not in (x, row)]
        data = data.group_by([row, x]).agg([pl.col(c).sum() for c in numbers])
        enc["x"] = _year_axis(years, x_title, ordinal=True) if x == "year" else alt.X(f"{x}:O", title=x_title)
        enc["y"] = alt.Y(f"{row}:N", title=None, axis=alt.Axis(labelLimit=0))
        enc["color"] = alt.Color(f"{y}:Q", title=y_title, scale=alt.Scale(scheme="blues"))
        base = alt.Chart(data).mark_rect()
    if facet:
        order = [v for v in data[facet].unique(maintain_order=True).to_list() if v is not None]
        enc["facet"] = alt.Facet(f"{facet}:N", title=None, sort=order, columns=int(spec.get("columns", 2)),
                                 header=alt.Header(labelFontSize=13, labelLimit=0))
    chart = base.encode(**enc)
    if mark == "line" and "strokeDash" in enc and not facet:
        # the first series as lines, every series as points told apart by shape (the legend shows the shapes):
        # dashes on points would draw as dots in the legend, and stated values often sit on the computed line
        line_enc = {k: v for k, v in enc.items() if k != "strokeDash"}
        points = dict(line_enc)
        points.pop("detail", None)
        points["shape"] = alt.Shape("series:N", sort=series, title=spec.get("fold_title", "口径"),
                                    scale=alt.Scale(domain=series, range=["circle", "diamond", "square", "cross"][
                                        :len(series)]),
                                    legend=alt.Legend(labelLimit=0, symbolStrokeColor="#333", symbolFillColor="#333"))
        lines = alt.Chart(data).transform_filter(alt.datum.series == series[0]).mark_line(strokeWidth=1.8)
        chart = alt.layer(lines.encode(**line_enc),
                          alt.Chart(data).mark_point(filled=True, size=50, opacity=0.9).encode(**points))
    if "rule" in spec and not facet:
        rule = alt.Chart(pl.DataFrame({"ref": [float(spec["rule"])]})).mark_rule(strokeDash=[2, 2], color="grey")
        chart = alt.layer(chart, rule.encode(y="ref:Q"))
    size: dict[str, int | alt.Step] = {"width": int(spec.get("width", 240 if facet else 560)), "height": int(spec.get("height", 160 if facet
                                                                                                  else 320))}
    if mark == "barh":
        size["height"] = alt.Step(18)
    if mark == "heatmap":
        size["height"] = alt.Step(20)
    t = alt.TitleParams(text=title, subtitle=" · ".join(subtitle) or alt.Undefined, anchor="start")
    chart = chart.properties(title=t, **size)
    if facet:
        chart = chart.resolve_scale(y="independent")
    return chart.configure(font=FONT_STACK).configure_title(fontSize=16, fontWeight="normal") \
        .configure_legend(labelLimit=0)


def chart_for(name: str, df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """The chart for canned query `name` drawn from its answer `df`, as its header's `-- chart:` lines say.

    The bundled CJK font is registered here too, so a plain `chart.save("x.png")` renders Chinese."""
    from yearwise.queries import get_query

    ensure_fonts()
    q = get_query(name)
    return draw(name, q.title, q.chart, df, params)


def save_chart(chart, out: str | Path, *, scale: float = 2.0, fmt: str | None = None) -> Path:
    """Write `chart` to .html, .png or .svg (vl-convert, with the bundled CJK font registered); `fmt` overrides
    the extension. SVG text is drawn as outlines of the bundled font, so it renders where no CJK font is."""
    out = Path(out)
    suffix = f".{fmt.lower().lstrip('.')}" if fmt else out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: chart output must end in {', '.join(FORMATS)}")
    ensure_fonts()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        chart.save(str(out), format="png", scale_factor=scale)
    elif suffix == ".html":
        chart.save(str(out), format="html", inline=True)  # Vega bundled in: opens offline
    else:
        import vl_convert

        from yearwise.svgtext import text_as_paths

        out.write_text(text_as_paths(vl_convert.vegalite_to_svg(chart.to_dict())), encoding="utf-8")
    return out
