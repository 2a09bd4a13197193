"""A department's charts as inline SVG: Altair specs rendered by vl-convert with the bundled CJK font.

Each function takes plain rows (year, series, value) picked by the department page and returns SVG text,
or None when there is nothing to draw.
"""

from __future__ import annotations

import altair as alt

from yearwise.fonts import FONT_STACK, ensure_fonts

YEAR = alt.X("year:O", title="年度", axis=alt.Axis(labelAngle=0))


def svg(chart: alt.Chart) -> str:
    """The chart as SVG text; its <text> uses the font stack, so the page's @font-face draws the Chinese."""
    import vl_convert

    ensure_fonts()
    return vl_convert.vegalite_to_svg(chart.to_dict())


def _frame(chart, title: str, subtitle: str | None = None, width: int = 420, height: int = 220):
    t = alt.TitleParams(text=title, subtitle=subtitle or alt.Undefined, anchor="start")
    return chart.properties(title=t, width=width, height=height).configure(font=FONT_STACK).configure_title(
        fontSize=15, fontWeight="normal").configure_legend(orient="bottom", columns=3, labelLimit=260)


def lines(rows: list[dict], title: str, y_title: str, order: list[str] | None = None) -> str | None:
    """One line per series over the years; rows: year, series, value."""
    if not rows:
        return None
    data = alt.Data(values=[{**r, "value": float(r["value"])} for r in rows])
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=YEAR, y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=None, sort=order or alt.Undefined))
    return svg(_frame(chart, title))


def grouped_bars(rows: list[dict], title: str, y_title: str, order: list[str] | None = None) -> str | None:
    """Bars per year, one per series side by side; rows: year, series, value."""
    if not rows:
        return None
    data = alt.Data(values=[{**r, "value": float(r["value"])} for r in rows])
    chart = alt.Chart(data).mark_bar().encode(
        x=YEAR, xOffset=alt.XOffset("series:N", sort=order or alt.Undefined),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", title=None, sort=order or alt.Undefined))
    return svg(_frame(chart, title))


def ranked_bars(rows: list[dict], title: str, x_title: str, subtitle: str | None = None) -> str | None:
    """Horizontal bars, largest first; rows: label, value."""
    if not rows:
        return None
    data = alt.Data(values=[{**r, "value": float(r["value"])} for r in rows])
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=300)),
        x=alt.X("value:Q", title=x_title))
    return svg(_frame(chart, title, subtitle, height=max(80, 22 * len(rows))))


def small_multiples(rows: list[dict], title: str, subtitle: str | None = None) -> str | None:
    """One small line chart per series (independent y scales); rows: year, series, value, unit."""
    if not rows:
        return None
    data = alt.Data(values=[{**r, "value": float(r["value"])} for r in rows])
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=YEAR, y=alt.Y("value:Q", title=None),
        facet=alt.Facet("series:N", title=None, columns=3, header=alt.Header(labelLimit=220)))
    t = alt.TitleParams(text=title, subtitle=subtitle or alt.Undefined, anchor="start")
    chart = chart.properties(title=t, width=190, height=110).resolve_scale(y="independent")
    return svg(chart.configure(font=FONT_STACK).configure_title(fontSize=15, fontWeight="normal"))
