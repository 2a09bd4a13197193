"""Throughput of ingest.numbers on typical report strings (run by hand: python benchmarks/bench_numbers.py).

Prints parse_quantity calls/s and scan sentences/s on one core; the target is >= 50,000 parse_quantity/s.
"""

from __future__ import annotations

import timeit


from yearwise.ingest.numbers import parse_change, parse_quantity, scan  # noqa: E402

QUANTITIES = [
    "26,667.28万元", "1.18亿元", "100余家", "307.82 万元", "１２３．４５万元", "三千万元", "两百", "约5亿元",
    "12676620.29 元", "2,940.05", "29300.48万元", "7.8%", "0.6个百分点", "39名", "915名", "-5.2%", "5‰",
    "十二个", "一百零五人", "1000多人", "300万元左右", "1.2亿人次", "100.00%", "0万元", "13649.07 万元",
    "2023年", "GB18030", "0.95万元", "183家次", "超3145人次",
]
SENTENCES = [
    "2023年全年预算收入29300.48万元，其中，基本支出2091.35万元，项目支出27209.13万元，其他支出0万元。",
    "全年项目支出49个，支出资金26,667.28万元。不存在无预算、超预算支出情况。",
    "今年上半年全区数字经济核心产业收入2459.1亿元，同比增长7.8%，高于全市增速0.6个百分点。",
    "1-8月，全区信息传输、软件和信息技术服务业实现收入2001.5亿元、同比增长10.3%；科学研究和技术服务业实现收入1048.2亿元，同比下降4.9%",
    "2022年度收、支总计9,685.55万元,比上年增加 1,027.91万元,增长11.87%。",
    "2022年度收、支总计各是4125.49,4143.91万元。与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.28%。",
    "根据中共北京市朝阳区委办公室的通知（京朝办字〔2019〕47号）规定，共有行政编制39名，内设机构8个。",
    "已完成100余家企业评级。引入安全生产、交通、能源等行业场景资源；建设智慧城市创新实验室。",
    "与 2023 年度相比，一般公共预算财政拨款支出增加\r\n1193.20 万元，增长 13.95。主要原因：项目支出增加。",
    "十、财政拨款“三公”经费支出决算表",
    "| 238.93 | 251.89 | 251.89 | 100.00% | 10 |",
    "行政编制161人,实有人数155人。",
]


def main(number: int = 2000) -> None:
    """Time each function over its list and print calls per second."""
    for name, fn, items in (
        ("parse_quantity", lambda: [parse_quantity(s) for s in QUANTITIES], QUANTITIES),
        ("scan", lambda: [scan(s) for s in SENTENCES], SENTENCES),
        ("parse_change", lambda: [parse_change(s) for s in SENTENCES], SENTENCES),
    ):
        best = min(timeit.repeat(fn, number=number // 4, repeat=5))
        rate = len(items) * (number // 4) / best
        unit = "parses/s" if name == "parse_quantity" else "sentences/s"
        print(f"{name:15s} {rate:12,.0f} {unit}  ({len(items)} strings, best of 5 x {number // 4})")


if __name__ == "__main__":
    main()
