"""A department's page: charts of budget, spending, 三公, classification codes and outputs over the years; a
table of indicators by year (value, YoY computed and stated, flags from checks) whose every fact links to its
highlight on the review page; and the department's reports with their versions."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from yearwise.pages import charts
from yearwise.pages.data import MEASURE_NAMES, Department, FactRow, SiteData
from yearwise.pages.html import esc, fmt_signed, fmt_value, list_items

BUDGET_SPENDING = ["budget.total", "budget.basic", "budget.project",
                   "spending.total", "spending.basic", "spending.project"]
THREE_PUBLIC = ["spending.three_public", "spending.overseas_trips", "spending.official_vehicles",
                "spending.official_reception"]
CATEGORY_ORDER = ["accounts", "revenue", "budget", "spending", "procurement", "evaluation", "performance",
                  "staff", "org", "assets"]
CATEGORY_NAMES = {"accounts": "收支总计", "revenue": "收入", "budget": "预算", "spending": "支出",
                  "procurement": "政府采购", "evaluation": "绩效评价", "performance": "绩效", "staff": "人员编制",
                  "org": "机构", "assets": "资产", "output": "产出", "item": "其他事项", "economy": "地区经济",
                  "func": "功能分类科目", "econ": "经济分类科目"}
KIND_RANK = {"final_accounts": 0, "performance_evaluation": 1, "budget": 2}


def rank(f: FactRow) -> tuple:
    """Which of several values for one department-year-indicator a page shows first: the order of the
    warehouse's pick_rank macro (exact before approximate, the year's own report, then the report kind)."""
    return (int(f.approximate) * 8 + int(f.report_year != f.year) * 4 + KIND_RANK.get(f.doc_kind, 3),
            f.period != "FY", f.scope != "department", f.fact_id)


def row_id(code: str) -> str:
    """The id of an indicator's row on a department page (the index's search links to it)."""
    return "i-" + re.sub(r"\s+", "_", code)


def doc_href(f: FactRow, docs_prefix: str) -> str:
    return f"{docs_prefix}/r{f.report_id}.html#{f.anchor}"


def fact_label(f: FactRow) -> str:
    """One line saying what a fact is: indicator, measure, year, value, kind of report."""
    parts = [f.indicator_name, MEASURE_NAMES.get(f.measure, f.measure)]
    if f.compared_to:
        parts.append(f"较{f.compared_to}年")
    if f.period != "FY":
        parts.append(f.period)
    if f.scope != "department":
        parts.append("地区")
    parts.append(fmt_value(f.value, f.unit) + ("（约）" if f.approximate else ""))
    if f.row_code or f.column:
        parts.append(" ".join(x for x in (f.table, f.row_code, f.row_label, f.column) if x))
    return " · ".join(str(p) for p in parts if p)


def _levels(facts: list[FactRow]) -> dict[tuple[str, int], FactRow]:
    """The picked full-year level of each (indicator, year)."""
    best: dict[tuple[str, int], FactRow] = {}
    for f in facts:
        if f.measure != "level" or f.year is None or f.period != "FY":
            continue
        key = (f.indicator, f.year)
        if key not in best or rank(f) < rank(best[key]):
            best[key] = f
    return best


def _series(levels, codes: list[str], names: dict[str, str]) -> list[dict]:
    return [{"year": y, "series": names.get(c, c), "value": f.value}
            for (c, y), f in sorted(levels.items(), key=lambda kv: (kv[0][1], kv[0][0])) if c in codes]


def _code_of(f: FactRow) -> str | None:
    if f.row_code:
        return f.row_code
    head, _, tail = f.indicator.partition(".")
    return tail if head == "func" and tail.isdigit() else None


def _top_codes(facts: list[FactRow], limit: int = 10) -> tuple[list[dict], str | None]:
    """The classification codes with the largest amounts in the latest year that has coded table facts."""
    coded = [f for f in facts if f.measure == "level" and f.year is not None and _code_of(f)
             and (f.unit or "万元") == "万元" and f.value > 0]
    if not coded:
        return [], None
    year = max(f.year for f in coded if f.year is not None)  # (coded holds only facts with a year)
    best: dict[str, tuple[Decimal, str]] = {}
    for f in coded:
        if f.year != year:
            continue
        code = _code_of(f)
        if code is None:
            continue  # (coded holds only facts with a code)
        label = f.row_label or f.indicator_name
        if code not in best or f.value > best[code][0]:  # the 合计 column of a row is its largest cell
            best[code] = (f.value, label)
    codes = list(best)
    top_level = [c for c in codes if len(c) == 3]  # 类 (208), else every level
    chosen = sorted(top_level if len(top_level) >= 3 else codes, key=lambda c: -best[c][0])[:limit]
    rows = [{"label": f"{c} {best[c][1]}", "value": best[c][0]} for c in chosen]
    return rows, f"{year}年，按金额（万元）"


def _outputs(facts: list[FactRow], panels: int = 9) -> list[dict]:
    levels = _levels([f for f in facts if f.indicator.startswith("output.")])
    years: dict[str, set] = defaultdict(set)
    for (code, year) in levels:
        years[code].add(year)
    multi = sorted((c for c in years if len(years[c]) > 1), key=lambda c: (-len(years[c]), c))[:panels]
    return [{"year": y, "series": f.indicator_name + (f"（{f.unit}）" if f.unit else ""), "value": f.value}
            for (c, y), f in sorted(levels.items(), key=lambda kv: kv[0][1]) if c in multi]


def department_charts(facts: list[FactRow], names: dict[str, str]) -> list[tuple[str, str]]:
    """(chart id, SVG) for each chart the department has data for."""
    levels = _levels([f for f in facts if f.scope == "department"])
    out = []
    rows = _series(levels, BUDGET_SPENDING, names)
    svg = charts.lines(rows, "预算与支出", "金额（万元）", [names.get(c, c) for c in BUDGET_SPENDING])
    if svg:
        out.append(("budget-spending", svg))
    rows = _series(levels, THREE_PUBLIC, names)
    svg = charts.grouped_bars(rows, "“三公”经费", "金额（万元）", [names.get(c, c) for c in THREE_PUBLIC])
    if svg:
        out.append(("three-public", svg))
    rows, sub = _top_codes(facts)
    svg = charts.ranked_bars(rows, "支出最多的分类科目", "金额（万元）", sub)
    if svg:
        out.append(("top-codes", svg))
    rows = _outputs(facts)
    svg = charts.small_multiples(rows, "产出指标", "多年报告的产出")
    if svg:
        out.append(("outputs", svg))
    return out


def _category(f: FactRow) -> tuple[int, str]:
    cat = f.category or f.indicator.split(".", 1)[0]
    return (CATEGORY_ORDER.index(cat) if cat in CATEGORY_ORDER else len(CATEGORY_ORDER), cat)


def _tolerance(raw: str | None) -> float:
    """Half a unit of the last printed digit of a stated rate (17.31 -> 0.005), at least 0.005."""
    if raw and "." in raw:
        digits = len(raw.rsplit(".", 1)[1].rstrip("%"))
        return max(0.5 * 10 ** -digits, 0.005) + 0.01
    return 0.5 + 0.01


def _yoy(code: str, year: int, cell: list[FactRow], levels) -> str:
    """The YoY line of a cell: change and rate computed from the two levels beside those the report states."""
    cur, prev = levels.get((code, year)), levels.get((code, year - 1))
    stated_rate = min((f for f in cell if f.measure == "change_rate" and f.period == "FY"
                       and f.compared_to in (None, year - 1)), key=rank, default=None)
    stated_change = min((f for f in cell if f.measure == "change" and f.period == "FY"
                         and f.compared_to in (None, year - 1)), key=rank, default=None)
    computed_rate = computed_change = None
    if cur is not None and prev is not None and (cur.unit or "") == (prev.unit or ""):
        computed_change = cur.value - prev.value
        if prev.value:
            computed_rate = float(computed_change / prev.value * 100)
    bits = []
    if computed_rate is not None or stated_rate is not None:
        text = "同比"
        if computed_rate is not None:
            text += f" 计算 {fmt_signed(computed_rate, '%')}"
        if stated_rate is not None:
            text += f" 所述 {fmt_signed(stated_rate.value, '%')}"
            if computed_rate is not None and abs(float(stated_rate.value) - computed_rate) > _tolerance(
                    stated_rate.raw_value):
                text += ' <span class="mismatch" title="所述与计算不符">≠</span>'
        bits.append(text)
    if stated_change is not None and computed_change is not None:
        text = f"增减 计算 {fmt_signed(computed_change)} 所述 {fmt_signed(stated_change.value)}"
        if abs(float(stated_change.value - computed_change)) > _tolerance(stated_change.raw_value):
            text += ' <span class="mismatch" title="所述与计算不符">≠</span>'
        bits.append(text)
    return "".join(f'<div class="yoy">{b}</div>' for b in bits)


def indicator_table(facts: list[FactRow], checks, docs_prefix: str, doubts: dict | None = None) -> str:
    """Indicators x years: the picked value of each cell links to its highlight; every other fact of the cell
    (changes, rates, shares, other reports' figures) is listed under it with its own link."""
    years = sorted({f.year for f in facts if f.year is not None})
    has_unknown = any(f.year is None for f in facts)
    cols = years + ([None] if has_unknown else [])
    by_cell: dict[tuple[str, int | None], list[FactRow]] = defaultdict(list)
    first: dict[str, FactRow] = {}
    for f in facts:
        by_cell[(f.indicator, f.year)].append(f)
        first.setdefault(f.indicator, f)
    levels = _levels([f for f in facts if f.scope == "department"])
    flags: dict[tuple, list] = defaultdict(list)  # a cell's flags: checks on its indicator and year ...
    for c in checks or ():
        if c.doubting:
            flags[(c.indicator, c.year)].append(c)
    for f in facts:  # ... and checks that doubt one of its facts
        for c in (doubts or {}).get(f.fact_id, ()):
            if c not in flags[(f.indicator, f.year)]:
                flags[(f.indicator, f.year)].append(c)
    codes = sorted(first, key=lambda c: (_category(first[c]), c))
    head = "".join(f'<th class="num">{y if y is not None else "年度不明"}</th>' for y in cols)
    out = [f'<table class="grid indicators"><thead><tr><th>指标</th>{head}</tr></thead><tbody>']
    last_cat = None
    for code in codes:
        cat = _category(first[code])[1]
        if cat != last_cat:
            out.append(f'<tr class="cat-head"><td colspan="{len(cols) + 1}">{esc(CATEGORY_NAMES.get(cat, cat))}'
                       f' <span class="muted">{esc(cat)}</span></td></tr>')
            last_cat = cat
        name = first[code].indicator_name
        out.append(f'<tr class="indicator-row" id="{esc(row_id(code))}" data-indicator="{esc(code)}"><th title="{esc(code)}">{esc(name)}'
                   f'<div class="muted" style="font-size:11px">{esc(code)}</div></th>')
        for y in cols:
            cell = sorted(by_cell.get((code, y), []), key=rank)
            out.append(_cell(code, y, cell, levels, flags.get((code, y), []), docs_prefix))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cell(code, year, cell: list[FactRow], levels, flagged, docs_prefix: str) -> str:
    if not cell:
        return '<td class="cell"></td>'
    main = next((f for f in cell if f.measure == "level"), cell[0])
    cls = "cell"
    flag_html = ""
    if flagged:
        worst = "fail" if any(c.status == "fail" for c in flagged) else "doubtful"
        cls += f" flag-{worst}"
        tip = "\n".join(c.text for c in flagged)
        flag_html = f'<div class="flag" title="{esc(tip)}">⚑ {len(flagged)} 项检查{"未通过" if worst == "fail" else "存疑"}</div>'
    measure = "" if main.measure == "level" else f'<span class="muted">{esc(MEASURE_NAMES.get(main.measure))}</span> '
    html = [f'<td class="{cls}">{measure}<a class="fact-link" href="{esc(doc_href(main, docs_prefix))}" '
            f'title="{esc(fact_label(main))}">{esc(fmt_value(main.value, main.unit))}</a>'
            + ("<span class='muted'>（约）</span>" if main.approximate else "")]
    if year is not None:
        html.append(_yoy(code, year, cell, levels))
    html.append(flag_html)
    others = [f for f in cell if f is not main]
    if others:
        items = list_items(others, lambda f: f'<a class="fact-link" href="{esc(doc_href(f, docs_prefix))}">'
                                             f'{esc(fact_label(f))}</a>',
                           lambda f: f'{esc(f.report_year or "")}{esc(_kind(f))}')
        html.append(f"<details><summary>另 {len(others)} 条</summary><ul>{items}</ul></details>")
    html.append("</td>")
    return "".join(html)


def _kind(f: FactRow) -> str:
    from yearwise.pages.data import KIND_NAMES

    return KIND_NAMES.get(f.doc_kind, f.doc_kind)


def reports_table(docs, docs_prefix: str) -> str:
    rows = []
    by_id = {d.report_id: d for d in docs}
    for d in sorted(docs, key=lambda d: (d.fiscal_year or 0, d.doc_kind, d.status != "current", d.report_id)):
        status = "现行" if d.status == "current" else "已被取代"
        if d.superseded_by and d.superseded_by in by_id:
            status += f'（由 <a href="{docs_prefix}/r{d.superseded_by}.html">{esc(by_id[d.superseded_by].file_name)}</a>）'
        rows.append(f'<tr class="report-row {esc(d.status)}"><td>{esc(d.fiscal_year or "")}</td>'
                    f'<td><span class="kind">{esc(d.kind_name)}</span></td>'
                    f'<td><a href="{docs_prefix}/r{d.report_id}.html">{esc(d.file_name)}</a></td>'
                    f'<td>{esc(d.format or "")}</td><td class="num">{d.facts}</td><td>{status}</td>'
                    f'<td class="muted">{esc(d.ingested_at)}</td></tr>')
    return ('<table class="grid reports"><thead><tr><th>年度</th><th>类型</th><th>文件</th><th>格式</th>'
            '<th class="num">事实数</th><th>版本</th><th>载入时间</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def checks_list(checks) -> str:
    if checks is None:
        return ""
    bad = [c for c in checks if c.doubting]
    if not bad:
        return f'<h2>检查</h2><p class="muted">{len(checks)} 项检查，无未通过或存疑。</p>'
    items = "".join(f'<tr><td class="count-{esc(c.status)}">{esc(c.status)}</td><td>{esc(c.name)}</td>'
                    f'<td>{esc(c.year or "")}</td><td>{esc(c.indicator or "")}</td><td>{esc(c.detail)}</td></tr>'
                    for c in sorted(bad, key=lambda c: (c.status, c.year or 0, c.name)))
    return (f'<h2>检查</h2><details{" open" if len(bad) <= 20 else ""}><summary>{len(checks)} 项检查：未通过 '
            f'{sum(c.status == "fail" for c in bad)}，存疑 {sum(c.status == "doubtful" for c in bad)}</summary>'
            f'<table class="grid checks"><thead><tr><th>结果</th><th>检查</th><th>年度</th><th>指标</th><th>说明</th>'
            f'</tr></thead><tbody>{items}</tbody></table></details>')


def department_body(site: SiteData, dep: Department, *, docs_prefix: str, index_href: str | None) -> str:
    """The department page's body (header, charts, checks, indicator table, reports)."""
    facts = site.facts_of_department(dep.department_id)
    docs = site.docs_of(dep.department_id)
    checks = site.checks_of(dep.name) if site.checks is not None else None
    years = sorted({f.year for f in facts if f.year is not None})
    nav = f'<a href="{index_href}">← 全部部门</a>' if index_href else ""
    parts = [f'<header class="top">{nav}<h1>{esc(dep.name)}</h1></header><main>']
    if "示例" in dep.name:
        parts.append('<div class="banner">SYNTHETIC：示例部门的数据由 yearwise 的生成器编造，仅供演示。</div>')
    meta = f"{len(facts)} 条现行事实，{len(docs)} 份报告"
    if years:
        meta += f"，{years[0]}–{years[-1]} 年"
    if dep.aliases:
        meta += f"；别名：{'、'.join(dep.aliases)}"
    parts.append(f'<p class="muted">{esc(meta)}</p>')
    drawn = department_charts(facts, site.indicator_names)
    if drawn:
        parts.append('<h2>图表</h2><div class="charts">' + "".join(
            f'<div class="chart" id="chart-{cid}">{svg}</div>' for cid, svg in drawn) + "</div>")
    parts.append(checks_list(checks))
    parts.append('<h2>指标</h2><p class="note">每格为该年度的数值（点击查看原文出处）；“同比”为由相邻两年数值计算的变化'
                 '与报告所述变化；“另 N 条”列出同一格的其他事实（增减、比率、其他报告的数字）。</p>')
    parts.append(indicator_table(facts, checks, docs_prefix, site.doubts))
    parts.append("<h2>报告</h2>" + reports_table(docs, docs_prefix))
    parts.append("</main>")
    return "".join(parts)
