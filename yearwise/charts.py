"""Altair charts for the canned queries, with Chinese titles and a bundled CJK font for PNG/SVG export."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl

from yearwise.fonts import FONT_STACK, ensure_fonts

FORMATS = (".html", ".png", ".svg")
YEAR = alt.X("year:O", title="年度", axis=alt.Axis(labelAngle=0))


def _floats(df: pl.DataFrame) -> pl.DataFrame:
    """Decimal columns as floats: Vega-Lite needs JSON numbers."""
    return df.with_columns([pl.col(c).cast(pl.Float64) for c, t in df.schema.items() if isinstance(t, pl.Decimal)])


def _unit(df: pl.DataFrame, default: str = "万元") -> str:
    if "unit" not in df.columns:
        return default
    units = [u for u in df["unit"].unique().drop_nulls().to_list() if u]
    return units[0] if len(units) == 1 else ("/".join(sorted(units)) if units else default)


def _title(name: str) -> str:
    from yearwise.queries import get_query

    try:
        return get_query(name).title
    except Exception:
        return name


def styled(chart: alt.Chart, title: str, subtitle: str | None = None) -> alt.Chart:
    """Title, size and the CJK font stack applied to one chart."""
    t = alt.TitleParams(text=title, subtitle=subtitle or alt.Undefined, anchor="start")
    return chart.properties(title=t, width=560, height=320).configure(font=FONT_STACK).configure_title(
        fontSize=16, fontWeight="normal")


TREND_ORDER = ["budget.total", "spending.total", "budget.basic", "spending.basic", "budget.project",
               "spending.project"]


def budget_trend(df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """One panel per indicator (全年预算数, 本年支出合计, ...): x year, y 万元, one line per department."""
    unit = _unit(df)
    data = _floats(df)
    names = {c: n for c, n in zip(data["indicator"], data["indicator_name"])} if data.height else {}
    order = [names[c] for c in TREND_ORDER if c in names]
    base = alt.Chart(data).mark_line(point=True).encode(
        x=YEAR,
        y=alt.Y("value:Q", title=f"金额（{unit}）"),
        color=alt.Color("department:N", title="部门"),
        facet=alt.Facet("indicator_name:N", title=None, columns=2, sort=order,
                        header=alt.Header(labelFontSize=13)),
        tooltip=[alt.Tooltip("department:N", title="部门"), alt.Tooltip("indicator_name:N", title="指标"),
                 alt.Tooltip("year:O", title="年度"), alt.Tooltip("value:Q", title=f"金额（{unit}）", format=",.2f"),
                 alt.Tooltip("change_rate:Q", title="同比（%）")],
    )
    t = alt.TitleParams(text=_title("budget_trend"), anchor="start")
    return base.properties(title=t, width=380, height=200).resolve_scale(y="independent").configure(
        font=FONT_STACK).configure_title(fontSize=16, fontWeight="normal")


def growth_rates(df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """YoY rate per department: solid computed from levels, dashed as the reports state it."""
    indicator = (params or {}).get("indicator") or "budget.total"
    kinds = {"change_rate": "计算值", "stated_change_rate": "报告所述"}
    long = _floats(df).unpivot(index=["department", "year"], on=list(kinds), variable_name="kind",
                               value_name="rate").with_columns(pl.col("kind").replace_strict(kinds))
    base = alt.Chart(long).mark_line(point=True).encode(
        x=YEAR, y=alt.Y("rate:Q", title="同比增长率（%）"),
        color=alt.Color("department:N", title="部门"),
        strokeDash=alt.StrokeDash("kind:N", title="来源", sort=list(kinds.values())),
        tooltip=[alt.Tooltip("department:N", title="部门"), alt.Tooltip("year:O", title="年度"),
                 alt.Tooltip("kind:N", title="来源"), alt.Tooltip("rate:Q", title="增长率（%）")])
    return styled(base, _title("growth_rates"), indicator)


def output_trend(df: pl.DataFrame, params: dict | None = None, *, panels: int = 9) -> alt.Chart:
    """One panel per output indicator that spans several years (most reported first), a line per department."""
    data = _floats(df)
    if data.height:
        spread = (data.group_by("indicator").agg(pl.col("year").n_unique().alias("years"), pl.len().alias("rows"))
                  .sort(["years", "rows", "indicator"], descending=[True, True, False]))
        multi = spread.filter(pl.col("years") > 1)
        keep = (multi if multi.height else spread).head(panels)["indicator"].to_list()
        shown = data.filter(pl.col("indicator").is_in(keep))
        note = f"{len(keep)} of {spread.height} indicators: those reported in most years"
    else:
        shown, note = data, None
    base = alt.Chart(shown).mark_line(point=True).encode(
        x=YEAR, y=alt.Y("value:Q", title="数值"),
        color=alt.Color("department:N", title="部门"),
        facet=alt.Facet("indicator_name:N", title=None, columns=3),
        tooltip=[alt.Tooltip("department:N", title="部门"), alt.Tooltip("indicator_name:N", title="指标"),
                 alt.Tooltip("year:O", title="年度"), alt.Tooltip("value:Q", title="数值"),
                 alt.Tooltip("unit:N", title="单位")])
    t = alt.TitleParams(text=_title("output_trend"), subtitle=note or alt.Undefined, anchor="start")
    return base.properties(title=t, width=240, height=160).resolve_scale(y="independent").configure(
        font=FONT_STACK).configure_title(fontSize=16, fontWeight="normal")


def budget_variance(df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """Grouped bars per year: 年初预算, 全年预算, 决算 (totals), one column per department."""
    data = _floats(df.filter(pl.col("part") == "total")) if "part" in df.columns else _floats(df)
    stages = {"initial_budget": "年初预算", "full_year_budget": "全年预算", "final_spending": "决算"}
    long = data.unpivot(index=["department", "year"], on=list(stages), variable_name="stage",
                        value_name="value").with_columns(pl.col("stage").replace_strict(stages))
    base = alt.Chart(long).mark_bar().encode(
        x=YEAR, xOffset=alt.XOffset("stage:N", sort=list(stages.values())),
        y=alt.Y("value:Q", title="金额（万元）"),
        color=alt.Color("stage:N", title="口径", sort=list(stages.values())),
        column=alt.Column("department:N", title="部门"),
        tooltip=[alt.Tooltip("department:N", title="部门"), alt.Tooltip("year:O", title="年度"),
                 alt.Tooltip("stage:N", title="口径"), alt.Tooltip("value:Q", title="金额（万元）")])
    t = alt.TitleParams(text=_title("budget_variance"), anchor="start")
    return base.properties(title=t, width=260, height=260).configure(font=FONT_STACK).configure_title(
        fontSize=16, fontWeight="normal")


def department_ranking(df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """Horizontal bars, departments in rank order."""
    unit = _unit(df, "")
    year = df["year"][0] if df.height else ""
    name = df["indicator_name"][0] if df.height and "indicator_name" in df.columns else ""
    base = alt.Chart(_floats(df)).mark_bar().encode(
        y=alt.Y("department:N", title=None, sort=alt.EncodingSortField("rank", order="ascending")),
        x=alt.X("value:Q", title=f"{name}（{unit}）" if unit else name or "数值"),
        tooltip=[alt.Tooltip("rank:Q", title="名次"), alt.Tooltip("department:N", title="部门"),
                 alt.Tooltip("value:Q", title="数值"), alt.Tooltip("share:Q", title="占比（%）")])
    return styled(base, _title("department_ranking"), f"{name} {year}年")


def coverage(df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """Heat map: departments by years, shaded by how many indicators each cell has."""
    cells = df.filter(pl.col("department").is_not_null() & pl.col("year").is_not_null()).group_by(
        ["department", "year"]).agg(pl.col("indicators").sum().alias("indicators"), pl.col("facts").sum().alias("facts"))
    base = alt.Chart(cells).mark_rect().encode(
        x=YEAR, y=alt.Y("department:N", title=None),
        color=alt.Color("indicators:Q", title="指标数"),
        tooltip=[alt.Tooltip("department:N", title="部门"), alt.Tooltip("year:O", title="年度"),
                 alt.Tooltip("indicators:Q", title="指标数"), alt.Tooltip("facts:Q", title="事实数")])
    return styled(base, _title("coverage"))


CHARTS = {"budget_trend": budget_trend, "growth_rates": growth_rates, "output_trend": output_trend,
          "budget_variance": budget_variance, "department_ranking": department_ranking, "coverage": coverage}


def chart_for(name: str, df: pl.DataFrame, params: dict | None = None) -> alt.Chart:
    """The chart for canned query `name` drawn from its result `df`.

    The bundled CJK font is registered here too, so a plain `chart.save("x.png")` renders Chinese."""
    ensure_fonts()
    make = CHARTS.get(name)
    if make is None:
        from yearwise.queries import QueryError

        raise QueryError(f"no chart for query {name!r} (charts: {', '.join(CHARTS)})")
    return make(df, params or {})


def save_chart(chart, out: str | Path, *, scale: float = 2.0, fmt: str | None = None) -> Path:
    """Write `chart` to .html, .png or .svg (vl-convert, with the bundled CJK font registered); `fmt` overrides
    the extension."""
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
        chart.save(str(out), format=suffix[1:])
    return out
