"""Golden and table-driven tests of ingest.numbers: parse_quantity, scan, parse_change, direction."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from yearwise.ingest.numbers import DIRECTIONS, UNITS, Quantity, direction, parse_change, parse_quantity, scan

GOLDEN = Path(__file__).parent / "data" / "numbers_golden.tsv"


def _golden_rows() -> list[dict]:
    """Rows of the golden table; blank cells mean None, '\\n' '\\r' '\\t' in inputs are escapes."""
    with GOLDEN.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["input"] = r["input"].replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")
        for k in ("default_unit", "value", "unit", "kind", "approximate"):
            r[k] = r[k] or None
    return rows


ROWS = _golden_rows()


def test_golden_table_is_big_enough():
    assert len(ROWS) >= 480  # 113 mixed 亿/万/千 and Arabic-digit rows (issue 12), values worked out by hand


@pytest.mark.parametrize("row", ROWS, ids=[r["input"] or "<empty>" for r in ROWS])
def test_parse_quantity_golden(row):
    q = parse_quantity(row["input"], default_unit=row["default_unit"])
    if row["value"] is None:
        assert q is None
        return
    assert q is not None
    assert isinstance(q.value, Decimal)
    assert q.value == Decimal(row["value"])
    assert q.unit == (row["unit"] or "")
    assert q.kind == row["kind"]
    assert q.approximate is (row["approximate"] == "True")
    # the span covers the quantity inside the input, and the raw number is as written
    assert row["input"][q.start : q.end].strip() == row["input"].strip()
    assert q.raw_value in row["input"][q.start : q.end]


def test_parse_quantity_keeps_raw_text():
    q = parse_quantity("１２３．４５万元")
    assert (q.raw_value, q.raw_unit) == ("１２３．４５", "万元")
    q = parse_quantity("26,667.28万元")
    assert (q.raw_value, q.raw_unit, q.start, q.end) == ("26,667.28", "万元", 0, 11)
    q = parse_quantity("三千万元")
    assert (q.raw_value, q.raw_unit, q.value) == ("三千", "万元", Decimal(3000))
    q = parse_quantity("  1.18亿元 ")
    assert (q.raw_value, q.raw_unit, q.start, q.end) == ("1.18", "亿元", 2, 8)
    q = parse_quantity("−5.2%")
    assert q.raw_value == "−5.2" and q.value == Decimal("-5.2")
    q = parse_quantity("268 万 元")
    assert q.raw_unit == "万 元" and q.unit == "万元"


def test_quantity_is_frozen():
    q = parse_quantity("1万元")
    with pytest.raises(AttributeError):
        q.value = Decimal(2)  # type: ignore[misc]


def test_values_are_plain_decimals():
    assert str(parse_quantity("1.18亿元").value) == "11800"
    assert str(parse_quantity("12676620.29 元").value) == "1267.662029"
    assert str(parse_quantity("26,667.28万元").value) == "26667.28"


def test_unit_table_loaded():
    assert UNITS["亿元"] == ("万元", "money", Decimal(10000))
    assert UNITS["元"] == ("万元", "money", Decimal("0.0001"))
    assert UNITS["千元"] == ("万元", "money", Decimal("0.1"))
    assert UNITS["万亿元"] == ("万元", "money", Decimal(100000000))
    assert UNITS["个百分点"][1] == "points"
    for raw in "个 人 名 家 项 次 件 户 所 场 台 套 篇 批 部 条 处 座 辆 亩 平方米 万平方米 公里 千米 米 吨 万人 万人次 人次 天 小时 分".split():
        assert UNITS[raw][1] == "count", raw


# ------------------------------------------------------------------------------------------
# scan

SCAN_CASES = [
    ("全年预算收入29300.48万元", [("29300.48", "万元")]),
    ("全年项目支出49个，支出资金26,667.28万元。", [("49", "个"), ("26667.28", "万元")]),
    ("共支持项目202个，安排支持资金1.18亿元。", [("202", "个"), ("11800", "万元")]),
    ("发挥区科技创新引导基金作用，出资30亿元，撬动基金总规模达到267亿元。", [("300000", "万元"), ("2670000", "万元")]),
    ("今年上半年全区数字经济核心产业收入2459.1亿元，同比增长7.8%，高于全市增速0.6个百分点。",
     [("24591000", "万元"), ("7.8", "%"), ("0.6", "个百分点")]),
    ("科学研究和技术服务业实现收入1048.2亿元，同比下降4.9%，降幅呈收窄态势", [("10482000", "万元"), ("4.9", "%")]),
    ("已完成100余家企业评级。", [("100", "家")]),
    ("2022年度收、支总计9,685.55万元,比上年增加 1,027.91万元,增长11.87%。",
     [("9685.55", "万元"), ("1027.91", "万元"), ("11.87", "%")]),
    ("2022年度收、支总计各是4125.49,4143.91万元。", [("4125.49", "万元"), ("4143.91", "万元")]),
    ("与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.28%。",
     [("1267.86", "万元"), ("2570.97", "万元"), ("23.51", "%"), ("38.28", "%")]),
    ("其中:财政拨款收入9,578.17万元,占收入合计的100.00%。", [("9578.17", "万元"), ("100.00", "%")]),
    ("收入、支出预算总计 13649.07 万元", [("13649.07", "万元")]),
    ("比上年减少3953.19万元,下降252.67%,其中:财政拨款收入508万元,占收入合计的32.47%",
     [("3953.19", "万元"), ("252.67", "%"), ("508", "万元"), ("32.47", "%")]),
    ("我单位共有行政编制39名，内设机构8个", [("39", "名"), ("8", "个")]),
    ("省級示范幼兒園,在园幼兒915名,资金来源为财政补助收入", [("915", "名")]),
    ("行政编制161人,实有人数155人。", [("161", "人"), ("155", "人")]),
    ("选拔任用机关正科职干部4人，事业单位管理岗位聘任4人", [("4", "人"), ("4", "人")]),
    ("全年共吸收预备党员71名，预备党员转正60名，培养积极分子150名。", [("71", "名"), ("60", "名"), ("150", "名")]),
    ("投入场地及服务保障费用937万元，投入服务保障人员超3145人次", [("937", "万元"), ("3145", "人次")]),
    ("服务投资机构183家次", [("183", "家次")]),
    ("减少100%", [("100", "%")]),
    ("其他支出0万元。预算执行率为100%。", [("0", "万元"), ("100", "%")]),
    ("三公经费0.95万元", [("0.95", "万元")]),
    ("一般公共预算财政拨款支出 9746.50 万元，占本年支出合计\r\n的 99.86%。", [("9746.50", "万元"), ("99.86", "%")]),
    ("支出增加\r\n1193.20 万元，增长 13.95。", [("1193.20", "万元"), ("13.95", "")]),
    ("拟 采 购 货 物 支 出 268 万 元", [("268", "万元")]),
    ("比 2023 年度减\r\n少 0.15 万元，下降（增长）27.78%", [("0.15", "万元"), ("27.78", "%")]),
    ("教育支出1595.95萬元", [("1595.95", "万元")]),
    ("共有职工１２３名，支出１，２３４．５６万元", [("123", "名"), ("1234.56", "万元")]),
    ("发布创新区建设纲要及十条支持建设意见", [("10", "条")]),
    ("安排资金三千万元，惠及两百人", [("3000", "万元"), ("200", "人")]),
    ("分别为5、10、15个", [("5", "个"), ("10", "个"), ("15", "个")]),
    ("支出分别为1.2和3.4亿元", [("12000", "万元"), ("34000", "万元")]),
    ("下降-5.2%，上升−1.5%", [("-5.2", "%"), ("-1.5", "%")]),
    ("约5亿元，近3000万元，1000多人，300万元左右", [("50000", "万元"), ("3000", "万元"), ("1000", "人"), ("300", "万元")]),
    ("每年服务1.2亿人次", [("120000000", "人次")]),
    ("坏账率为5‰", [("0.5", "%")]),
    ("| 238.93 | 251.89 | 100.00% | 10 |", [("238.93", ""), ("251.89", ""), ("100.00", "%"), ("10", "")]),
]


@pytest.mark.parametrize("text,expected", SCAN_CASES, ids=[c[0][:40] for c in SCAN_CASES])
def test_scan_sentences(text, expected):
    qs = scan(text)
    assert [(str(q.value), q.unit) for q in qs] == [(v, u) for v, u in expected] or \
        [(q.value, q.unit) for q in qs] == [(Decimal(v), u) for v, u in expected]
    last = 0
    for q in qs:
        assert isinstance(q, Quantity)
        assert q.raw_value in text[q.start : q.end]
        assert q.start >= last  # in order, non-overlapping
        last = q.end


def test_scan_spans_and_approximate():
    text = "已完成100余家企业评级，约5亿元，超3145人次，300万元左右。"
    qs = scan(text)
    assert [text[q.start : q.end] for q in qs] == ["100余家", "约5亿元", "超3145人次", "300万元左右"]
    assert all(q.approximate for q in qs)
    assert not scan("支出资金26,667.28万元")[0].approximate


def test_scan_list_inheritance_kind_and_raw_unit():
    a, b = scan("收、支总计各是4125.49,4143.91万元")
    assert (a.kind, a.unit, a.raw_unit, a.raw_value) == ("money", "万元", "万元", "4125.49")
    assert "万元" not in "收、支总计各是4125.49,4143.91万元"[a.start : a.end]  # span is the number only
    a, b = scan("各下降23.51%、38.28%")
    assert a.kind == b.kind == "percent"
    a, b = scan("分别为1.2、3.4亿元")
    assert a.value == Decimal(12000) and a.raw_unit == "亿元"


def test_scan_default_unit_for_bare_numbers():
    qs = scan("| 238.93 | 251.89 | 100.00% |", default_unit="万元")
    assert [(q.value, q.unit, q.kind) for q in qs] == [
        (Decimal("238.93"), "万元", "money"), (Decimal("251.89"), "万元", "money"), (Decimal("100.00"), "%", "percent")]
    assert scan("2,940.05", default_unit="万元")[0].raw_unit == ""


def test_scan_thousands_separator_rule():
    assert [q.raw_value for q in scan("4125.49,4143.91万元")] == ["4125.49", "4143.91"]
    assert [q.raw_value for q in scan("26,667.28万元")] == ["26,667.28"]
    assert [q.raw_value for q in scan("1,234,567元")] == ["1,234,567"]
    assert [q.raw_value for q in scan("1,2345万元")] == ["1", "2345"]


SKIP_CASES = [
    "2023年", "2023年度部门整体绩效评价报告", "2019-2023", "2019-2023年", "日期:2023-09-13 来源:区财政局",
    "2023年2月，根据", "2023年6月", "国际医院计划12月底开工建设", "1-8月，全区", "1至8月",
    "京朝办字〔2019〕47号", "(京朝办字〔2023〕2号)", "朝发[2009]13号", "（朝编〔2023〕29号）",
    "第一部分 2022年度部门决算报表", "一、部门概况", "（一）机构设置", "1.机构设置及人员情况", "2．职责职能",
    "1、加强管理", "(1)贯彻落实", "（10）充分发挥统筹协调作用", "第3名", "第7届妙佑医疗国际医疗峰会", "第四范式",
    "报表编号:510000_0013zp", "51000021R000000019951-工资性支出", "GB18030", "A1类", "5G超级网络",
    "电话：010-65099999", "手机13812345678", "热线12345678", "十、财政拨款“三公”经费支出决算表", '"三公"经费',
    "统一部署", "进一步加强", "一般公共预算", "十分重要", "一批示范应用场景", "唯一", "一体化", "一起",
    "一是加强", "提升园区重点企业“两个覆盖”质量", "形成“一南一北多组团”", "一次性补助", "一部分资金",
    "千家万户", "办好一件事", "三年行动计划（2023年-2025年）", "与 2023 年度相比", "上午9:30", "五宜朝阳",
    "单位：万元", "人员经费", "元宇宙", "百分之", "100", "二〇二三年", "三月", "近三年",
]


@pytest.mark.parametrize("text", SKIP_CASES)
def test_scan_skips_non_quantities(text):
    got = [(q.raw_value, q.raw_unit) for q in scan(text)]
    if text == "100":
        assert got == [("100", "")]  # a bare number is returned as bare, not skipped
    else:
        assert got == []


def test_scan_keeps_numbers_next_to_skipped_ones():
    text = "根据（京朝办字〔2019〕47号）规定，共有行政编制39名。2023年2月，新增8个"
    assert [(q.value, q.unit) for q in scan(text)] == [(Decimal(39), "名"), (Decimal(8), "个")]
    text = "1-8月，全区信息传输、软件和信息技术服务业实现收入2001.5亿元、同比增长10.3%"
    assert [(q.value, q.unit) for q in scan(text)] == [(Decimal(20015000), "万元"), (Decimal("10.3"), "%")]
    text = "1.项目支出238.93万元"
    assert [q.raw_value for q in scan(text)] == ["238.93"]


def test_scan_chinese_numerals_need_a_unit():
    assert scan("两百") == []
    assert [(q.value, q.unit) for q in scan("十二个")] == [(Decimal(12), "个")]
    assert [(q.value, q.unit) for q in scan("一百零五人")] == [(Decimal(105), "人")]
    assert [(q.value, q.unit) for q in scan("一亿元")] == [(Decimal(10000), "万元")]


# ------------------------------------------------------------------------------------------
# parse_change and direction

CHANGE_CASES = [
    ("同比下降4.9%", "-4.9", "%", "percent"),
    ("减少56.95万元", "-56.95", "万元", "money"),
    ("增长 13.95。", "13.95", "%", "percent"),
    ("持平", "0", "", "bare"),
    ("无增减", "0", "", "bare"),
    ("比上年增加 1,027.91万元", "1027.91", "万元", "money"),
    ("下降（增长）27.78%", "-27.78", "%", "percent"),
    ("增长（减少） 0 %", "0", "%", "percent"),
    ("减少100%", "-100", "%", "percent"),
    ("同比增长7.8%", "7.8", "%", "percent"),
    ("比上年减少1,446.43万元，下降17.79%", "-1446.43", "万元", "money"),
    ("与上年相比，\r\n增加 1,003.69 万元", "1003.69", "万元", "money"),
    ("增\r\n加 2177.95 万元，增长20.69 %", "2177.95", "万元", "money"),
    ("与\r\n上年相比增加78.34 万元", "78.34", "万元", "money"),
    ("与上\r\n年相比减少 17.89 万元", "-17.89", "万元", "money"),
    ("增加 3401.59 万元，增长\r\n129.97 %", "3401.59", "万元", "money"),
    ("增长4\n17.31%", "17.31", "%", "percent"),
    ("预决算增幅6.71%", "6.71", "%", "percent"),
    ("增幅为13%", "13", "%", "percent"),
    ("较上年增长-5.2%", "-5.2", "%", "percent"),
    ("与上年持平", "0", "", "bare"),
    ("支出与上一年度持平；", "0", "", "bare"),
    ("比上年多3个", "3", "个", "count"),
    ("增加了8.5%", "8.5", "%", "percent"),
    ("同比上升0.3个百分点", "0.3", "个百分点", "points"),
    ("比上年降低2个百分点", "-2", "个百分点", "points"),
    ("多措并举，增加100万元", "100", "万元", "money"),
    ("减少 9.52，", "-9.52", "", "bare"),
    ("下降 13.95", "-13.95", "%", "percent"),
    ("減少56.95萬元", "-56.95", "万元", "money"),
    ("较上年决算数增加418.97万元", "418.97", "万元", "money"),
    ("减幅10%", "-10", "%", "percent"),
    ("比上年增加约5亿元", "50000", "万元", "money"),
    ("同比下滑1.2%", "-1.2", "%", "percent"),
]


@pytest.mark.parametrize("text,value,unit,kind", CHANGE_CASES, ids=[c[0] for c in CHANGE_CASES])
def test_parse_change(text, value, unit, kind):
    q = parse_change(text)
    assert q is not None
    assert (q.value, q.unit, q.kind) == (Decimal(value), unit, kind)
    assert q.raw_value in text[q.start : q.end]


def test_parse_change_span_covers_number_and_unit():
    text = "比上年增加 1,027.91万元,增长11.87%"
    q = parse_change(text)
    assert text[q.start : q.end] == "1,027.91万元"
    text = "同比下降4.9%"
    q = parse_change(text)
    assert text[q.start : q.end] == "4.9%"


@pytest.mark.parametrize("text", ["", "无", "增加为500万元", "收入29300.48万元", "增长", "持续增长态势"])
def test_parse_change_none(text):
    assert parse_change(text) is None


DIRECTION_CASES = [
    ("增加", 1), ("增长", 1), ("上升", 1), ("提高", 1), ("增多", 1), ("多", 1), ("增幅", 1), ("上涨", 1),
    ("减少", -1), ("下降", -1), ("降低", -1), ("减幅", -1), ("下滑", -1), ("减", -1),
    ("持平", 0), ("无增减", 0), ("无变化", 0), ("未变", 0),
    ("增加（减少）", 1), ("下降（增长）", -1), ("增 加", 1), ("增\r\n加", 1), ("減少", -1), ("增加了", 1),
    ("收入", None), ("", None), ("同比", None),
]


@pytest.mark.parametrize("word,sign", DIRECTION_CASES, ids=[c[0] or "<empty>" for c in DIRECTION_CASES])
def test_direction(word, sign):
    assert direction(word) == sign


def test_direction_table_is_data():
    assert isinstance(DIRECTIONS, dict) and DIRECTIONS["增加"] == 1 and DIRECTIONS["持平"] == 0


# ------------------------------------------------------------------------------------------
# report artefacts and word traps seen in the corpus

ARTEFACT_CASES = [
    ("节约资金100万元", [("100", "万元", False)]),  # 节约 is 'saved', not 约 'about'
    ("最近3个月", [("3", "个月", False)]),
    ("接近100%", [("100", "%", True)]),
    ("收入1.5，2.5万元", [("1.5", "万元", False), ("2.5", "万元", False)]),  # full-width list comma
    ("在职人员3及4人", [("3", "人", False), ("4", "人", False)]),
    ("组织界别活动 2-3 次", [("2", "次", False), ("3", "次", False)]),  # a range inherits like a list
    ("与上年相比增加 65.88 万\r\n— 8 —元", [("65.88", "万元", False)]),  # page footer inside the unit
    ("十三届人─ 9 ─\r\n代会", []),  # page footer alone
    ("办公设备购置 12.00\n台式计算机", [("12.00", "", False)]),
    ("分散自行组织 10.00\n家具用具", [("10.00", "", False)]),
    ("管理服务 430.00\n分散自行组织", [("430.00", "", False)]),
    ("30310 个人农业生产补贴", [("30310", "", False)]),
    ("侦查监督处、公诉一处、公诉二处", []),
    ("认真贯彻十三届全国人大二次会议精神", []),
    ("内设一室四处，召开两次会议", [("2", "次", False)]),
    ("严格落实中央八项规定精神", []),
    ("一般公务用车 0\n辆、其他用车 0 辆", [("0", "辆", False), ("0", "辆", False)]),
    ("确保这两项工作取得实效", [("2", "项", False)]),
]


@pytest.mark.parametrize("text,expected", ARTEFACT_CASES, ids=[c[0][:30] for c in ARTEFACT_CASES])
def test_scan_report_artefacts(text, expected):
    assert [(str(q.value), q.unit, q.approximate) for q in scan(text)] == expected


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_labelled_quotes_contain_their_value():
    """Every labelled quote in the corpus yields its value from scan() or parse_change() (page-glued numbers aside)."""
    import json

    total = missed = 0
    for path in sorted(CORPUS.glob("*/*labels.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            label = json.loads(line)
            quote = label.get("quote")
            if not quote:
                continue
            total += 1
            value = Decimal(str(label["value"]))
            if any(abs(q.value) == abs(value) for q in scan(quote)):
                continue
            change = parse_change(quote)
            if change is None or change.value != value:
                missed += 1
    assert total > 1000
    assert missed <= 3, missed  # 1 unstated zero ('无结转结余资金'), 2 page numbers glued to numbers


@pytest.mark.parametrize("text,expected", [
    ("服务群众1万余人次", [("10000", "人次", "1万余人次")]),
    ("资金3000余万元", [("3000", "万元", "3000余万元")]),
    ("三万余人", [("30000", "人", "三万余人")]),
    ("1.2亿多元", [("12000", "万元", "1.2亿多元")]),
])
def test_scan_approximate_inside_multiplier(text, expected):
    qs = scan(text)
    assert [(str(q.value), q.unit, text[q.start : q.end]) for q in qs] == expected
    assert all(q.approximate for q in qs)


@pytest.mark.parametrize("text,expected", [
    ("增长5%-10%", ["5", "10"]),
    ("5万元-10万元", ["5", "10"]),
    ("收入-5万元", ["-5"]),
    ("| -3.5 | 2 |", ["-3.5", "2"]),
])
def test_scan_range_dash_is_no_sign(text, expected):
    assert [str(q.value) for q in scan(text)] == expected


def test_a_decimal_before_year_words_is_a_value_not_a_year():
    # a table row of the Shanghai final accounts: '年初结转和结余 49.14 年末结转和结余 55.34'
    found = scan("年初结转和结余 49.14 年末结转和结余 55.34", default_unit="万元")
    assert [q.value for q in found] == [Decimal("49.14"), Decimal("55.34")]
    assert scan("2023年末") == []
