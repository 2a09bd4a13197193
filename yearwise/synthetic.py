"""Synthetic report TXT files with known true values, for demos, recall tests and benchmarks.

Every department is fictitious (its name contains 示例) and every file starts with a SYNTHETIC banner,
so no synthetic number can be mistaken for a real disclosure.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

BANNER = "【合成示例数据 SYNTHETIC — 非真实报告】"
NOTICE = "本文件由 yearwise.synthetic 按随机种子生成：部门、数字与表述均为虚构，仅供演示和测试使用，不代表任何真实部门公开的财务信息。"
MARKER = "示例"
TRUTH_FILE = "synthetic-truth.jsonl"
FINAL, PERF = "final_accounts", "performance_evaluation"
YEARS = range(2019, 2025)

# sector -> (department suffix, slug, (output templates: indicator, text before n, text after n, unit, lo, hi))
_SECTORS: dict[str, tuple[str, str, tuple]] = {
    "education": ("教育局", "education", (
        ("output.training_sessions", "全年共举办教师培训班", "期", "期", 6, 30),
        ("output.new_school_places", "新增中小学学位", "个", "个", 200, 1500))),
    "health": ("卫生健康委员会", "health", (
        ("output.health_lectures", "全年共开展健康讲座", "场", "场", 40, 300),
        ("output.free_checkups", "完成老年人免费体检", "人次", "人次", 3000, 20000))),
    "transport": ("交通运输局", "transport", (
        ("output.road_repairs_km", "完成农村公路大中修", "公里", "公里", 10, 80),
        ("output.new_bus_routes", "新开通公交线路", "条", "条", 2, 12))),
    "culture": ("文化和旅游局", "culture", (
        ("output.cultural_events", "全年共举办群众文化活动", "场", "场", 50, 400),
        ("output.library_branches", "新建图书馆分馆", "个", "个", 2, 10))),
    "science": ("科学技术局", "science", (
        ("output.supported_projects", "共支持项目", "个", "个", 20, 90),
        ("output.hitech_firms", "新认定高新技术企业", "家", "家", 15, 120))),
    "civil": ("民政局", "civil", (
        ("output.elderly_meals", "全年共为老年人提供助餐服务", "人次", "人次", 5000, 60000),
        ("output.community_trainings", "举办社区工作者培训班", "期", "期", 4, 20))),
    "housing": ("住房和城乡建设委员会", "housing", (
        ("output.old_compounds", "完成老旧小区综合整治", "个", "个", 5, 40),
        ("output.site_inspections", "开展施工现场检查", "次", "次", 200, 1500))),
    "environment": ("生态环境局", "environment", (
        ("output.inspections", "开展执法检查", "次", "次", 300, 2000),
        ("output.monitor_points", "新建空气质量监测点", "个", "个", 2, 15))),
    "agriculture": ("农业农村局", "agriculture", (
        ("output.farmer_trainings", "全年共举办农民技能培训班", "期", "期", 8, 40),
        ("output.farmland_mu", "建成高标准农田", "亩", "亩", 1000, 9000))),
    "sports": ("体育局", "sports", (
        ("output.sports_events", "全年共举办全民健身赛事", "场", "场", 20, 120),
        ("output.fitness_paths", "新建健身步道", "公里", "公里", 3, 30))),
}
_BASE_SECTORS = ("education", "health", "transport", "culture", "science")
_DISTRICT_NUMERALS = "一二三四五六七八九十"

REORG_YEAR = 2022  # 示例区科学技术局 merges into 示例区科学技术和信息化局
MISSING = ("culture", 2021)  # the one department-year with no report


@dataclass
class _Dept:
    """One fictitious department series: its names by year and its true values by year (in 分 of 万元)."""

    district: str
    sector: str
    slug: str
    names: dict[int, str]
    values: dict[int, dict[str, int]] = field(default_factory=dict)
    outputs: tuple = ()
    sector_units: int = 8


def _cents(x: float) -> int:
    return int(round(x * 100))


def _rate(num: int, den: int, places: int = 2) -> Decimal:
    """Percent num/den rounded half-up to `places` decimals."""
    if den == 0:
        return Decimal(0)
    q = Decimal(1).scaleb(-places)
    return (Decimal(num) * 100 / Decimal(den)).quantize(q, rounding=ROUND_HALF_UP)


def _simulate(dept: _Dept, years, rng: random.Random, base: float, merge_boost: dict[int, float]) -> None:
    """Fill dept.values: budgets grow a few % a year with noise; all totals add up exactly."""
    size = base
    carry = _cents(size * rng.uniform(0.0, 0.04))
    quota = rng.randint(25, 120)
    ops_ratio = rng.uniform(0.55, 0.9)
    cars_base, reception_base = rng.uniform(4, 25), rng.uniform(0.5, 4)
    has_abroad = rng.random() < 0.4
    for y in years:
        size *= 1 + rng.gauss(0.05, 0.035) + merge_boost.get(y, 0.0)
        if y in merge_boost:
            quota = int(quota * (1 + merge_boost[y]))
        v: dict[str, int] = {}
        spend = _cents(size)
        basic_share = rng.uniform(0.18, 0.45)
        basic = _cents(size * basic_share)
        v["spending.basic"] = basic
        v["spending.project"] = spend - basic
        v["spending.total"] = spend
        personnel = _cents(size * basic_share * rng.uniform(0.72, 0.9))
        v["spending.personnel"] = personnel
        v["spending.public"] = basic - personnel
        carry_end = _cents(size * rng.uniform(0.0, 0.04))
        v["accounts.carryover_begin"] = carry
        v["accounts.carryover_end"] = carry_end
        total = spend + carry_end  # 收支总计 = 本年支出合计 + 年末结转和结余
        income = total - carry  # = 本年收入合计, so 收入合计 + 年初结转和结余 = 收支总计
        other = _cents(size * rng.choice((0.0, rng.uniform(0.005, 0.06))))
        other = min(other, income // 10)
        v["accounts.total"] = total
        v["revenue.total"] = income
        v["revenue.fiscal"] = income - other
        v["revenue.other"] = other
        exec_rate = rng.uniform(0.9, 1.0) if rng.random() < 0.7 else 1.0
        budget = int(round(spend / exec_rate))
        v["budget.total"] = budget
        v["budget.basic"] = basic
        v["budget.project"] = budget - basic
        initial_basic = int(round(basic * rng.uniform(0.9, 0.99)))
        initial_project = int(round((budget - basic) * rng.uniform(0.6, 0.95)))
        v["budget.initial.basic"] = initial_basic
        v["budget.initial.project"] = initial_project
        v["budget.initial.total"] = initial_basic + initial_project
        abroad = _cents(rng.uniform(1, 8)) if has_abroad and rng.random() < 0.6 else 0
        cars = _cents(cars_base * rng.uniform(0.85, 1.1))
        reception = _cents(reception_base * rng.uniform(0.7, 1.2))
        v["spending.overseas_trips"] = abroad
        v["spending.official_vehicles"] = cars
        v["spending.official_reception"] = reception
        v["spending.three_public"] = abroad + cars + reception
        ops_ratio = min(0.95, max(0.5, ops_ratio + rng.gauss(0, 0.03)))
        v["spending.office_operation"] = int(round(v["spending.public"] * ops_ratio))
        goods = _cents(size * rng.uniform(0.005, 0.03))
        works = _cents(size * rng.choice((0.0, rng.uniform(0.01, 0.08))))
        services = _cents(size * rng.uniform(0.02, 0.12))
        v["procurement.goods"], v["procurement.works"], v["procurement.services"] = goods, works, services
        v["procurement.total"] = goods + works + services
        v["procurement.sme"] = int(round(v["procurement.total"] * rng.uniform(0.6, 0.98)))
        v["performance.projects"] = rng.randint(8, 60)
        v["performance.avg_score"] = _cents(rng.uniform(85, 98))
        v["evaluation.score"] = _cents(rng.choice((rng.randint(88, 100), round(rng.uniform(88, 99), 1))))
        quota = max(10, quota + rng.choice((0, 0, 0, 1, -1, 2)))
        v["staff.admin_quota"] = quota
        v["staff.actual"] = quota - rng.randint(0, max(1, quota // 12))
        v["staff.institution_quota"] = rng.randint(5, 40)
        for ind, _a, _b, _u, lo, hi in dept.outputs:
            v[ind] = int(rng.randint(lo, hi) * (1 + 0.04 * (y - min(years))))
        # a multiple of 100万元 (so x.xx亿元 is exact), about a fifth of the department's spending
        v["output.support_funds"] = max(100, round(size * rng.uniform(0.1, 0.35) / 100) * 100) * 100
        dept.values[y] = v
        carry = carry_end


class _Writer:
    """Builds one file's text and records each number it writes as a truth fact."""

    def __init__(self, rng: random.Random, file: str, department: str, year: int):
        self.rng, self.file, self.department, self.year = rng, file, department, year
        self.parts: list[str] = []
        self.facts: list[dict] = []
        self.comma = rng.random() < 0.4  # this file writes money with thousands separators
        self.trim = rng.random() < 0.25  # this file drops trailing zeros (15723.8, 100%)
        self.halfwidth = rng.random() < 0.25  # this file uses half-width punctuation (as web copies do)

    def t(self, s: str) -> "_Writer":
        self.parts.append(s)
        return self

    def line(self, s: str = "") -> "_Writer":
        self.parts.append(s + "\n")
        return self

    def pick(self, *options):
        return self.rng.choice(options)

    def _num(self, cents: int) -> tuple[str, Decimal]:
        whole, frac = divmod(abs(cents), 100)
        s = f"{whole:,}" if self.comma and whole >= 1000 else str(whole)
        s += f".{frac:02d}"
        if self.trim:
            s = s.rstrip("0").rstrip(".")
        return s, Decimal(abs(cents)) / 100

    def money(self, label: str, cents: int, indicator: str, *, measure: str = "level", yi: bool = False) -> str:
        """Write `label` + amount + 万元 (or 亿元) and record it; returns the quote."""
        if yi:
            v = Decimal(abs(cents)) / 100  # 万元
            shown = f"{(v / 10000).normalize():f}"
            q, value = f"{label}{shown}亿元", v
        else:
            shown, value = self._num(cents)
            q = f"{label}{shown}万元"
        if measure == "change" and cents < 0:
            value = -value
        self._fact(q, indicator, measure, value, "万元")
        return q

    def pct(self, label: str, rate: Decimal, indicator: str, measure: str) -> str:
        value = abs(rate)
        shown = f"{value:f}"
        if self.trim and "." in shown:
            shown = shown.rstrip("0").rstrip(".")
        q = f"{label}{shown}%"
        self._fact(q, indicator, measure, -value if (measure == "change_rate" and rate < 0) else value, "%")
        return q

    def count(self, label: str, n: int, unit: str, indicator: str, suffix: str | None = None) -> str:
        q = f"{label}{n}{suffix if suffix is not None else unit}"
        self._fact(q, indicator, "level", Decimal(n), unit)
        return q

    def score(self, label: str, cents: int, indicator: str, unit_w: str = "分") -> str:
        s = f"{Decimal(cents) / 100:f}"
        s = s.rstrip("0").rstrip(".") if "." in s else s
        q = f"{label}{s}{unit_w}"
        self._fact(q, indicator, "level", Decimal(s), "分")
        return q

    def _fact(self, quote, indicator, measure, value, unit):
        self.parts.append(quote)
        self.facts.append({"file": self.file, "department": self.department, "year": self.year,
                           "indicator": indicator, "measure": measure, "value": value, "unit": unit,
                           "quote": self._punct(quote)})

    def change(self, cur: int, prev: int | None, indicator: str, *, lead: str | None = None,
               prefix: str = "，") -> None:
        """Write '，比上年增加X万元，增长Y%' (or a variant) computed from the prior year's value."""
        if prev is None or prev == 0:
            return
        diff = cur - prev
        if diff == 0:
            self.t(prefix + self.pick("与上年持平", "与上年决算数持平"))
            return
        up = diff > 0
        lead = lead or self.pick("比上年", "与上年相比", "较上年决算数", "较上年", "同比")
        sep = "，" if lead == "与上年相比" else ""
        self.t(f"{prefix}{lead}{sep}")
        self.money("增加" if up else "减少", diff, indicator, measure="change")
        self.t("，")
        self.pct("增长" if up else "下降", _rate(diff, prev), indicator, "change_rate")

    def _punct(self, s: str) -> str:
        if not self.halfwidth:
            return s
        return s.translate(str.maketrans("，：；（）", ",:;()"))

    def text(self) -> str:
        return self._punct("".join(self.parts))


# ---------------------------------------------------------------------------------------------- text


def _header_final(w: _Writer, dept: str, y: int) -> None:
    w.line(BANNER)
    w.line(NOTICE)
    w.line(w.pick(f"{dept}{y}年度部门决算", f"{dept}{y}年度部门决算公开", f"{dept}\n{y}年度部门决算（公开）"))
    w.line("目 录")
    w.line(f"第一部分 {y}年度部门决算报表")
    w.line(f"第二部分 {y}年度部门决算情况说明")
    w.line(f"第三部分 {y}年度其他重要事项的情况说明")
    w.line(f"第四部分 {y}年度部门绩效评价情况")
    w.line(f"第一部分 {y}年度部门决算报表")
    w.line("报表详见附件（合成示例数据，未附报表）。")


def _basic_info(w: _Writer, d: _Dept, y: int, v: dict) -> None:
    name = d.names[y]
    w.line("一、部门基本情况")
    w.line(w.pick("(一)机构设置、职责", "（一）机构设置、职责", "(一)职能职责"))
    w.line(f"{name}是{d.district}人民政府工作部门（本文为合成示例，职责表述从略），内设机构{d.sector_units}个。")
    if d.sector == "science" and y >= REORG_YEAR:
        if y == REORG_YEAR:
            w.line(f"{y}年，根据《{d.district}机构改革方案》，{d.district}科学技术局与{d.district}经济和信息化局"
                   f"信息化管理职责整合，组建{name}，不再保留{d.district}科学技术局。本年度决算与上年比较口径为原"
                   f"{d.district}科学技术局。")
        else:
            w.line(f"{REORG_YEAR}年机构改革中，原{d.district}科学技术局并入{name}。")
    w.line(w.pick("(二)人员构成情况", "（二）人员情况"))
    style = w.rng.randrange(3)
    if style == 0:
        w.count("行政编制", v["staff.admin_quota"], "人", "staff.admin_quota")
        w.t("，")
        w.count("实有人数", v["staff.actual"], "人", "staff.actual")
        w.line("。")
    elif style == 1:
        w.t("本部门")
        w.count("共有行政编制", v["staff.admin_quota"], "名", "staff.admin_quota")
        w.t("，")
        w.count("实有人数", v["staff.actual"], "人", "staff.actual")
        w.line("。")
    else:
        w.count("行政编制", v["staff.admin_quota"], "人", "staff.admin_quota")
        w.t("，")
        w.count("实有人数", v["staff.actual"], "人", "staff.actual")
        w.t("；")
        w.count("事业编制", v["staff.institution_quota"], "人", "staff.institution_quota")
        w.line("。")


def _final_accounts(w: _Writer, d: _Dept, y: int, v: dict, p: dict | None) -> None:
    """A 部门决算 情况说明 in the Beijing template's order."""
    pv = (lambda k: p[k]) if p else (lambda k: None)
    _header_final(w, d.names[y], y)
    w.line(w.pick(f"第二部分 {y}年度部门决算情况说明", f"第二部分 {y}年度部门决算说明"))
    _basic_info(w, d, y, v)
    w.line("二、收入支出决算总体情况说明")
    style = w.rng.randrange(4)
    if style == 0:
        w.t(f"{y}年度")
        w.money("收、支总计", v["accounts.total"], "accounts.total")
        w.change(v["accounts.total"], pv("accounts.total"), "accounts.total")
    elif style == 1:
        w.t(f"{y}年度")
        w.money("收入、支出决算总计", v["accounts.total"], "accounts.total")
        w.change(v["accounts.total"], pv("accounts.total"), "accounts.total", lead="与上年相比")
    elif style == 3:  # the Chongqing wording: 收入总计 and 支出总计 stated apart, then their change
        w.t(f"1.总体情况。{y}年度")
        w.money("收入总计", v["accounts.total"], "accounts.income_total")
        w.t("，")
        w.money("支出总计", v["accounts.total"], "accounts.expenditure_total")
        w.change(v["accounts.total"], pv("accounts.total"), "accounts.total", lead="收支较上年决算数", prefix="。")
    else:
        w.t(f"{y}年度收入总计与支出总计均为")
        w.money("", v["accounts.total"], "accounts.total")
        w.change(v["accounts.total"], pv("accounts.total"), "accounts.total", lead="较上年决算数")
    reason = w.pick("主要原因是业务工作量增加。", "主要原因是部分项目资金调整。", "")
    if d.sector == "science" and y == REORG_YEAR:
        reason = "主要原因是机构改革后职能整合，收支规模扩大。"
    w.line("。" + (reason if p else ""))
    w.line(w.pick("(一)收入决算说明", "（一）收入决算说明"))
    w.t(f"{y}年度")
    w.money("本年收入合计", v["revenue.total"], "revenue.total")
    w.change(v["revenue.total"], pv("revenue.total"), "revenue.total")
    w.t(w.pick("，其中：", "。其中："))
    w.money("财政拨款收入", v["revenue.fiscal"], "revenue.fiscal")
    w.t("，")
    w.pct(w.pick("占收入合计的", "占"), _rate(v["revenue.fiscal"], v["revenue.total"]), "revenue.fiscal", "share")
    w.t("；")
    w.money("其他收入", v["revenue.other"], "revenue.other")
    w.t("，")
    w.pct(w.pick("占收入合计的", "占"), _rate(v["revenue.other"], v["revenue.total"]), "revenue.other", "share")
    w.line("。")
    w.line(w.pick("(二)支出决算说明", "（二）支出决算说明"))
    w.t(f"{y}年度")
    w.money("本年支出合计", v["spending.total"], "spending.total")
    w.change(v["spending.total"], pv("spending.total"), "spending.total")
    w.t(w.pick("，其中：", "。其中："))
    w.money("基本支出", v["spending.basic"], "spending.basic")
    w.t("，")
    w.pct(w.pick("占支出合计的", "占"), _rate(v["spending.basic"], v["spending.total"]), "spending.basic", "share")
    w.t("；")
    w.money("项目支出", v["spending.project"], "spending.project")
    w.t("，")
    w.pct(w.pick("占支出合计的", "占"), _rate(v["spending.project"], v["spending.total"]),
          "spending.project", "share")
    w.line("。")
    _expenditure_table(w, y, v)
    w.t(w.pick("基本支出中，", "基本支出包括"))
    w.money("人员经费", v["spending.personnel"], "spending.personnel")
    w.t("，")
    w.money("公用经费", v["spending.public"], "spending.public")
    w.line("。")
    w.line("三、财政拨款“三公”经费支出决算说明")
    w.t(f"{y}年度")
    w.money(w.pick("“三公”经费财政拨款支出", "“三公”经费财政拨款决算数为"), v["spending.three_public"],
            "spending.three_public")
    w.change(v["spending.three_public"], pv("spending.three_public"), "spending.three_public", lead="比上年")
    w.t("。其中：")
    w.money("因公出国（境）费", v["spending.overseas_trips"], "spending.overseas_trips")
    w.t("，")
    w.money(w.pick("公务用车购置及运行维护费", "公务用车购置及运行费"), v["spending.official_vehicles"],
            "spending.official_vehicles")
    w.t("，")
    w.money("公务接待费", v["spending.official_reception"], "spending.official_reception")
    w.line("。")
    w.line(f"第三部分 {y}年度其他重要事项的情况说明")
    w.line("一、机关运行经费支出情况")
    w.t(f"{y}年度本部门")
    w.money(w.pick("机关运行经费支出", "机关运行经费"), v["spending.office_operation"], "spending.office_operation")
    w.change(v["spending.office_operation"], pv("spending.office_operation"), "spending.office_operation", lead="比上年")
    w.line("。主要用于办公费、水电费、差旅费等日常公用支出。")
    w.line("二、政府采购支出情况")
    w.t(f"{y}年度")
    w.money(w.pick("政府采购支出总额", "本部门政府采购支出总额"), v["procurement.total"], "procurement.total")
    w.t("，其中：")
    w.money("政府采购货物支出", v["procurement.goods"], "procurement.goods")
    w.t("、")
    w.money("政府采购工程支出", v["procurement.works"], "procurement.works")
    w.t("、")
    w.money("政府采购服务支出", v["procurement.services"], "procurement.services")
    w.t("。")
    w.money("授予中小企业合同金额", v["procurement.sme"], "procurement.sme")
    w.t("，")
    w.pct("占政府采购支出总额的", _rate(v["procurement.sme"], v["procurement.total"]), "procurement.sme", "share")
    w.line("。")
    w.line(f"第四部分 {y}年度部门绩效评价情况")
    w.line("一、预算执行情况")
    w.t(f"{y}年度")
    w.money(w.pick("部门年初预算数为", "年初预算"), v["budget.initial.total"], "budget.initial.total")
    w.t("，")
    w.money(w.pick("全年预算数为", "全年预算"), v["budget.total"], "budget.total")
    w.t("，")
    w.money(w.pick("全年执行数为", "全年实际支出"), v["spending.total"], "spending.total")
    w.t("，")
    w.pct("预算执行率为", _rate(v["spending.total"], v["budget.total"]), "budget.execution_rate", "level")
    w.line("。")
    w.line("二、绩效自评情况")
    w.t(f"{y}年度本部门")
    w.count(w.pick("对", "组织对"), v["performance.projects"], "个", "performance.projects", suffix="个项目")
    w.t("开展了绩效自评，")
    w.score(w.pick("平均得分", "平均得分为", "自评平均得分"), v["performance.avg_score"], "performance.avg_score")
    w.line("。")
    _outputs(w, d, v, k=1)
    if w.rng.random() < 0.3:
        w.t("全年")
        w.money(w.pick("统筹安排重点项目资金", "安排专项资金"), v["output.support_funds"], "output.support_funds",
                yi=v["output.support_funds"] >= 1_000_000 or w.rng.random() < 0.3)
        w.line("。")


# the rows of a synthetic 支出决算表: (科目编码, 科目名称, share of 基本支出, share of 项目支出); the 项 rows add up to
# their 款 and 类, so the table's arithmetic holds as in a real report
_TABLE_ROWS = (("2010301", "行政运行", 0.86, 0.0), ("2010302", "一般行政管理事务", 0.0, 1.0),
               ("2080505", "机关事业单位基本养老保险缴费支出", 0.08, 0.0), ("2210201", "住房公积金", 0.06, 0.0))
_TABLE_PARENTS = {"201": "一般公共服务支出", "20103": "政府办公厅(室)及相关机构事务", "208": "社会保障和就业支出",
                  "20805": "行政事业单位养老支出", "221": "住房保障支出", "22102": "住房改革支出"}


def _expenditure_table(w: _Writer, y: int, v: dict) -> None:
    """A 支出决算表 with 科目编码 rows (' | ' cells, as a TXT or web table prints them): the cells are facts of
    func.<code>, so subject_trend has rows on the demo."""
    basic, project = v["spending.basic"], v["spending.project"]
    leaves = []
    for code, name, b, p in _TABLE_ROWS:
        leaves.append((code, name, round(basic * b), round(project * p)))
    # rounding left over goes to 行政运行, so the 项 rows add up to 基本支出 exactly
    leaves[0] = (*leaves[0][:2], leaves[0][2] + basic - sum(x[2] for x in leaves), leaves[0][3])
    rows: dict[str, tuple[str, int, int]] = {}  # code -> (name, 基本支出, 项目支出) in cents
    for code, name, b, p in leaves:
        for k in (3, 5, 7):
            c = code[:k]
            nb, np_ = rows[c][1:] if c in rows else (0, 0)
            rows[c] = (_TABLE_PARENTS.get(c, name), nb + b, np_ + p)
    fmt = lambda cents: f"{cents / 100:,.2f}"  # noqa: E731
    w.line()
    w.line("支出决算表")
    w.line("单位：万元")
    w.line("科目编码 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出")
    w.line(f" | 合计 | {fmt(basic + project)} | {fmt(basic)} | {fmt(project)}")
    for code in sorted(rows, key=lambda c: (c[:3], len(c), c)):
        name, b, p = rows[code]
        w.line(f"{code} | {name} | {fmt(b + p)} | {fmt(b)} | {fmt(p)}")
    w.line()


def _outputs(w: _Writer, d: _Dept, v: dict, k: int) -> None:
    for ind, before, after, unit, _lo, _hi in w.rng.sample(list(d.outputs), k):
        w.t(w.pick("重点工作方面，", "") if before.startswith("全年") else w.pick("全年工作中，", "重点工作方面，", ""))
        w.count(before, v[ind], unit, ind, suffix=after)
        w.line("。")


def _performance_hunan(w: _Writer, y: int, v: dict, p: dict) -> None:
    """The Hunan wording of a 部门整体支出绩效评价: 收入/支出 totals with 同比上年度 changes, then execution."""
    w.line("二、部门整体支出概况")
    w.line(f"{y}年部门决算收支完成情况。")
    w.money("1、收入：", v["revenue.total"], "revenue.total")
    diff = v["revenue.total"] - p["revenue.total"]
    if diff:
        word = "增加" if diff > 0 else "减少"
        w.t("。同比上年度")
        w.money(word, diff, "revenue.total", measure="change")
        w.t("，")
        w.pct(word, _rate(diff, p["revenue.total"]), "revenue.total", "change_rate")
    w.t("。其中：")
    w.money("财政拨款收入", v["revenue.fiscal"], "revenue.fiscal")
    w.line("。")
    w.money("2、支出：", v["spending.total"], "spending.total")
    w.t("。其中：")
    w.money("人员经费支出", v["spending.personnel"], "spending.personnel")
    w.t("，")
    w.money("公用经费支出", v["spending.public"], "spending.public")
    w.t("，")
    w.money("项目支出", v["spending.project"], "spending.project")
    w.line("。")
    w.money("全年预算数", v["budget.total"], "budget.total")
    w.t("，")
    w.pct("预算执行率", _rate(v["spending.total"], v["budget.total"]), "budget.execution_rate", "level")
    w.line("。")


def _performance(w: _Writer, d: _Dept, y: int, v: dict, p: dict | None = None) -> None:
    """A 部门整体绩效评价报告 like the Beijing one: budget execution, outputs, score."""
    name = d.names[y]
    w.line(BANNER)
    w.line(NOTICE)
    w.line(w.pick(f"{name}\n{y}年度部门整体绩效评价报告", f"{name}{y}年度部门整体绩效评价报告",
                  f"{name}{y}年度部门整体支出绩效评价报告"))
    w.line("一、部门概况")
    w.line("（一）机构设置及职责工作任务情况")
    w.t(f"{name}是{d.district}人民政府工作部门（合成示例），")
    w.count("共有行政编制", v["staff.admin_quota"], "名", "staff.admin_quota")
    w.t("，")
    w.count("实有人数", v["staff.actual"], "人", "staff.actual")
    w.line("。")
    if d.sector == "science" and y >= REORG_YEAR:
        w.line(f"{REORG_YEAR}年机构改革，{d.district}科学技术局并入{name}，相关职责和人员一并划转。")
    w.line("（二）部门整体绩效目标设立情况")
    w.line("根据部门职责任务设定整体绩效目标（合成示例，从略）。")
    if p is not None and w.rng.random() < 0.4:
        _performance_hunan(w, y, v, p)
    else:
        w.line("二、当年预算执行情况")
        w.t(f"{y}年")
        w.money("全年预算收入", v["budget.total"], "budget.total")
        w.t(w.pick("，其中，", "，其中"))
        w.money("基本支出", v["budget.basic"], "budget.basic")
        w.t(w.pick("，", "、"))
        w.money("项目支出", v["budget.project"], "budget.project")
        w.t("。")
        w.money("全年实际支出", v["spending.total"], "spending.total")
        w.t("，其中，")
        w.money("基本支出", v["spending.basic"], "spending.basic")
        w.t("，")
        w.money("项目支出", v["spending.project"], "spending.project")
        w.t("。")
        w.pct("预算执行率为", _rate(v["spending.total"], v["budget.total"]), "budget.execution_rate", "level")
        w.line("。")
    w.line("三、整体绩效目标实现情况")
    w.line("（一）产出完成情况分析")
    _outputs(w, d, v, k=2)
    if d.sector == "science":
        w.money("安排支持资金", v["output.support_funds"], "output.support_funds",
                yi=v["output.support_funds"] >= 1_000_000)
        w.line("。")
    w.line("四、预算管理情况分析")
    w.line("（一）部门预决算差异率")
    w.t(f"本部门{y}年")
    w.money("基本支出年初预算", v["budget.initial.basic"], "budget.initial.basic")
    w.t("，")
    w.money("决算基本支出", v["spending.basic"], "spending.basic")
    w.t("；")
    w.money("项目支出年初预算", v["budget.initial.project"], "budget.initial.project")
    w.t("，")
    w.money("决算项目支出", v["spending.project"], "spending.project")
    w.line("。")
    w.line("五、总体评价结论")
    w.line("（一）评价得分情况")
    if w.rng.random() < 0.5:
        w.t(f"{y}年我部门")
        w.pct("总体预算执行率", _rate(v["spending.total"], v["budget.total"]), "budget.execution_rate", "level")
        w.t("，")
        w.score("总体得分为", v["evaluation.score"], "evaluation.score", unit_w="")
    else:
        w.t("经评价，本部门整体支出")
        w.score("综合评分为", v["evaluation.score"], "evaluation.score")
    w.line("。")
    w.line("（二）存在的问题及原因分析")
    w.line("部分项目预算编制的精细化程度有待提高。")


# ---------------------------------------------------------------------------------------------- api


def _depts(rng: random.Random, sectors, district: str, years, *, reorg: bool) -> list[_Dept]:
    out = []
    for s in sectors:
        suffix, slug, outputs = _SECTORS[s]
        names = {y: f"{district}{suffix}" for y in years}
        boost = {}
        if reorg and s == "science":
            names = {y: f"{district}{'科学技术局' if y < REORG_YEAR else '科学技术和信息化局'}" for y in years}
            boost = {REORG_YEAR: 0.35}
        d = _Dept(district, s, slug, names, outputs=outputs)
        d.sector_units = rng.randint(5, 14)
        _simulate(d, years, rng, base=rng.uniform(2500, 40000), merge_boost=boost)
        out.append(d)
    return out


def _slug(d: _Dept, y: int, prefix: str) -> str:
    slug = d.slug
    if d.sector == "science" and d.names[y].endswith("科学技术和信息化局"):
        slug = "science-it"
    return f"{prefix}{slug}"


def _write(out: Path, plan, rng: random.Random, truth) -> list[Path]:
    paths = []
    for d, y, kind, prefix in plan:
        fname = f"synthetic-{_slug(d, y, prefix)}-{y}-{kind}.txt"
        w = _Writer(random.Random(rng.random()), fname, d.names[y], y)
        if kind == FINAL:
            _final_accounts(w, d, y, d.values[y], d.values.get(y - 1))
        else:
            _performance(w, d, y, d.values[y], d.values.get(y - 1))
        path = out / fname
        path.write_text(w.text(), encoding="utf-8")
        paths.append(path)
        for f in w.facts:
            truth.write(json.dumps({**f, "value": float(f["value"])}, ensure_ascii=False) + "\n")
    return paths


def generate(out_dir, *, departments: int = 5, years=YEARS, seed: int = 0) -> list[Path]:
    """Write synthetic 部门决算 and 绩效评价 TXT files plus synthetic-truth.jsonl; returns the report paths.

    示例区科学技术局 becomes 示例区科学技术和信息化局 from 2022; 示例区文化和旅游局 has no 2021 report.
    """
    rng = random.Random(seed)
    years = list(years)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sectors = list(_BASE_SECTORS) + [s for s in _SECTORS if s not in _BASE_SECTORS]
    if departments > len(sectors):
        raise ValueError(f"at most {len(sectors)} departments per district")
    depts = _depts(rng, sectors[:departments], "示例区", years, reorg=True)
    plan = []
    for d in depts:
        for y in years:
            if (d.sector, y) == MISSING:
                continue
            plan.append((d, y, FINAL, ""))
            if y == 2023 or rng.random() < 0.3:
                plan.append((d, y, PERF, ""))
    with open(out / TRUTH_FILE, "w", encoding="utf-8") as truth:
        return _write(out, plan, rng, truth)


def synthetic_reports(folder, n_reports: int) -> list[Path]:
    """The `n_reports` reports of `generate_many` in `folder`: written the first time, reused after (benchmarks keep
    them between runs)."""
    folder = Path(folder)
    paths = sorted(folder.glob("synthetic-*.txt")) if folder.is_dir() else []
    return paths if len(paths) == n_reports else generate_many(folder, n_reports)


def generate_many(out_dir, n_reports: int = 1000, seed: int = 0) -> list[Path]:
    """Write `n_reports` synthetic reports (many districts x sectors x years) for benchmarks, with truth."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    years = list(range(2015, 2025))
    plan: list[tuple[_Dept, int, str, str]] = []  # (department, year, kind, file name prefix)
    k = 0
    while len(plan) < n_reports:
        k += 1
        district = f"示例{_district_name(k)}区"
        for d in _depts(rng, list(_SECTORS), district, years, reorg=False):
            for y in years:
                plan.append((d, y, PERF if rng.random() < 0.2 else FINAL, f"d{k}-"))
    with open(out / TRUTH_FILE, "w", encoding="utf-8") as truth:
        return _write(out, plan[:n_reports], rng, truth)


def _district_name(k: int) -> str:
    """1 -> 一, 12 -> 十二, 123 -> 一二三: distinct and natural enough for fictitious districts."""
    if k <= 10:
        return _DISTRICT_NUMERALS[k - 1]
    if k < 20:
        return "十" + _DISTRICT_NUMERALS[k - 11]
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(k))


def read_truth(out_dir) -> list[dict]:
    """The truth lines written by generate(): one dict per fact the synthetic files state."""
    with open(Path(out_dir) / TRUTH_FILE, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
