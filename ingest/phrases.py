"""The wording rules of the reports, as data: what marks a change, a share, a period, a region.

Each table is a list a user can read (and extend) without following control flow in the extractor.
"""

from __future__ import annotations

import re

# a change verb right before the number: 增加 1,027.91万元 / 下降4.9% / 各减少…  (not 增加到/增长至: those are levels)
CHANGE_VERBS = "增减额|增减率|增加|增长|减少|下降|降低|上升|提高|增幅|降幅|减幅|下滑|增|减|上涨|回落|扩大|缩减|压减|节约|节省"
RATE_VERBS = {"增长", "下降", "降低", "上升", "增幅", "降幅", "减幅", "下滑", "上涨", "回落", "提高", "增减率"}
# signs of the verbs the numbers module does not know
EXTRA_SIGNS = {"增减额": 1, "增减率": 1, "节约": -1, "节省": -1, "小于": -1, "低于": -1, "少于": -1, "大于": 1, "高于": 1, "多于": 1}
CHANGE_TAIL = re.compile(
    rf"(?P<verb>{CHANGE_VERBS})(?:\((?:{CHANGE_VERBS})\))?(?:了)?(?:幅度)?(?:为|是)?\s*(?:约|近|超)?\s*$"
)
# a change whose verb has an object before the number: 较上年减少部门支出 1,653 万元 / 比上年增加资金418.98万元
CHANGE_WITH_OBJECT = re.compile(
    rf"(?:比|较|与|同比)\s*(?:上年|上年度|去年|20\d\d年度?)(?:同期)?(?:相比)?[,]?\s*(?P<verb>{CHANGE_VERBS})[\u4e00-\u9fff]{{1,8}}\s*$"
)
# a comparison with last year's figure: 本年数小于上年预算数 29.65 万元
COMPARED_TAIL = re.compile(r"(?P<verb>大于|小于|高于|低于|多于|少于)\s*(?:上年|上年度|去年)[\u4e00-\u9fff]{0,6}\s*$")
# 持平/无增减 state a zero change without a number
# (a template's instruction 如持平作持平表述 is no statement: a subject must stand before the word)
FLAT_WORDS = re.compile(
    r"(?:(?:与|较|比)上年(?:度)?(?:决算数?|预算数?|同期)?(?:相比)?|同比)[,]?(?:基本)?(?:持平|无增减|无变化|没有变化)"
)
# what the change is against: 比上年 / 同比 / 与2021年相比 / 较上年
COMPARED_YEAR = re.compile(r"(?:比|较|与|同)\s*(?P<year>20\d\d)\s*年(?:度)?")
# a prior-year level stated inside a change: 比上年7211.12万元减少946.14万元 -> 7211.12 is last year's
PRIOR_LEVEL_TAIL = re.compile(
    r"(?:(?:比|较|与)\s*(?:上年|上年度|去年|上一年度?|上?(?P<year>20\d\d)\s*年(?:度|末|底)?)|(?:^|[,;:])\s*上年(?:度)?)"
    r"(?:同期)?(?:的)?(?:决算数?|预算数?|执行数?)?\s*$"
)
# a share: 占收入合计的100.00% / 占93.54% / 占比 / 所占比重为
SHARE_TAIL = re.compile(r"(?:占[^\d;。]{0,24}?(?:的)?(?:比重|比例)?|占比|所占比重|比重|比例)(?:为|是|达)?\s*$")

# periods narrower than the fiscal year
PERIODS = (
    (re.compile(r"上半年"), "H1"),
    (re.compile(r"下半年"), "H2"),
    (re.compile(r"前三季度"), "Q1-3"),
    (re.compile(r"(?:第)?一季度"), "Q1"),
    (re.compile(r"(?<!\d)(?P<a>\d{1,2})\s*[-~至到]\s*(?P<b>\d{1,2})\s*月"), "M{a}-{b}"),
)
# figures about the district/city economy, not the department's own money
REGION_MARKERS = re.compile(
    r"全区|全市|全省|全县|全镇|全国|全园|园区企业|区域内|辖区内|规模以上|规上|城六区|地区生产总值|GDP"
)
# the department speaking of itself overrides a region marker in the same clause
SELF_MARKERS = re.compile(r"本部门|我部门|本单位|我单位|本局|我局|本委|我委")

# words stripped from the ends of a descriptive label
LABEL_LEAD = re.compile(
    r"^(?:其中|包括|(?:主要)?原因(?:是|为)|主要是|主要|上年度|上年|本年度|本年|以及|另外|此外|同时|全年|累计|共计|共|合计|总计|实现|完成|新增加|新增|达到|达|为|是|和|及|与|或|各|均|的|了|以上|以下|\d{4}\s*年度?|\d{1,2}\s*月)+"
)
LABEL_TAIL = re.compile(r"(?:为|是|达到|达|约|近|超过|超|共计|共|计|总额|合计为|累计|分别为|分别是|各是|各为|各|了)+$")
# a descriptive label is the text after the last of these
LABEL_BREAK = re.compile(r"[,;:、。()\[\]|“”\"]|其中|包括|主要用于|用于")

# table unit headers: 单位：万元 / (万元) / 金额单位: 元
UNIT_HEADER = re.compile(r"(?:单位|金额单位)\s*[:：]?\s*(?P<unit>万元|亿元|千元|元)|\((?P<unit2>万元|亿元|元)\)")

# sections of a performance report that describe outputs and effects
OUTPUT_SECTIONS = re.compile(r"产出|效益|效果|成效|完成情况|目标实现|履职")

# the funds a total can be limited to; a later plain 收支总计 refers back to the fund just named
FUND_QUALIFIER = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营")

# labels that name a catalog indicator only when they stand alone ('1、收入：28,980.96万元'); inside a longer
# label ('实现收入') they are no such thing
WHOLE_LABELS = {"收入": "revenue.total", "支出": "spending.total", "收支": "accounts.total", "收、支": "accounts.total"}

# a clause that opens with an earlier year speaks of that year: '上年度列入此项的…经费128.43万元'
EARLIER_YEAR_CLAUSE = re.compile(
    r"(?:^|[,;:。])\s*[^,;:。比较与同]{0,6}?(?:(?:上年度?|去年|上一年度?)(?!相比|同期|结转|末|初)|(?P<year>20\d\d)\s*年(?:度)?(?!\d|末|初|底))"
    r"[^,;:。]*$"
)

# final accounts against the budget: 决算数大于预算数55.93万元 (the difference, signed)
OVER_BUDGET_TAIL = re.compile(r"(?:决算数?)?\s*(?P<verb>大于|小于|超过|超出|低于|少于)\s*(?:年初)?预算(?:数)?\s*$")

CJK = re.compile(r"[\u4e00-\u9fff]")

# 一般公共服务(类)支出 / 行政运行(项): the level of a function class is not part of the name
CLASS_MARK = re.compile(r"\((?:类|款|项)\)")

# a change stated against the budget rather than last year: 比年初预算增加… / 较预算数减少…
AGAINST_BUDGET = re.compile(r"(?:比|较|与)\s*(?:年初|调整后|全年)?预算(?:数)?(?:相比)?[,]?\s*$")
AGAINST_LAST_YEAR = re.compile(r"上年|去年|同比|20\d\d\s*年")
