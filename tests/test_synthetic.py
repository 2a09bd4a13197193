"""The synthetic report generator: deterministic, clearly fictitious, internally consistent, and readable by ingest."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

import pytest

from yearwise import ingest

from yearwise.synthetic import BANNER, FINAL, PERF, TRUTH_FILE, generate, generate_many, read_truth


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    return out, generate(out)


def _digest(paths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _levels(truth) -> dict[str, dict[str, Decimal]]:
    """file -> indicator -> level value, first occurrence."""
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for t in truth:
        if t["measure"] == "level":
            out[t["file"]].setdefault(t["indicator"], Decimal(str(t["value"])))
    return out


def _level(v: dict[str, Decimal], indicator: str) -> Decimal:
    """The level a change refers to; 收支总计 may be stated as 收入总计 and 支出总计 instead."""
    return v[indicator] if indicator in v else v["accounts.income_total"]


def test_deterministic_with_seed(synth, tmp_path):
    out, paths = synth
    again = generate(tmp_path / "a")
    assert _digest(paths) == _digest(again)
    assert (out / TRUTH_FILE).read_bytes() == (tmp_path / "a" / TRUTH_FILE).read_bytes()
    other = generate(tmp_path / "b", seed=1)
    assert _digest(other) != _digest(paths)


def test_shape_names_banner_and_truth(synth):
    out, paths = synth
    truth = read_truth(out)
    assert len(paths) >= 30
    for p in paths:
        text = p.read_text(encoding="utf-8")
        assert text.splitlines()[0] == BANNER, p.name
        assert p.name.startswith("synthetic-") and p.name.endswith((f"-{FINAL}.txt", f"-{PERF}.txt"))
    depts = {t["department"] for t in truth}
    assert len(depts) >= 5 and all("示例" in d for d in depts)
    years = {t["year"] for t in truth}
    assert years == set(range(2019, 2025))
    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    for t in truth:  # every true fact is written, verbatim, in its file
        assert t["quote"] in texts[t["file"]], t
        assert "示例" in t["department"]
    # one missing department-year and a reorganisation the report explains
    assert not any("culture-2021" in p.name for p in paths)
    assert "示例区科学技术局" in depts and "示例区科学技术和信息化局" in depts
    merged = texts[f"synthetic-science-it-2022-{FINAL}.txt"]
    assert "不再保留示例区科学技术局" in merged
    kinds = {p.name.rsplit("-", 1)[1] for p in paths}
    assert kinds == {f"{FINAL}.txt", f"{PERF}.txt"}


def test_values_add_up(synth):
    out, _ = synth
    truth = read_truth(out)
    levels = _levels(truth)
    checked = 0
    for file, v in levels.items():
        if file.endswith(f"{FINAL}.txt"):
            assert v["revenue.fiscal"] + v["revenue.other"] == v["revenue.total"], file
            assert v["spending.basic"] + v["spending.project"] == v["spending.total"], file
            assert v["spending.personnel"] + v["spending.public"] == v["spending.basic"], file
            assert (v["spending.overseas_trips"] + v["spending.official_vehicles"] + v["spending.official_reception"]
                    == v["spending.three_public"]), file
            assert (v["procurement.goods"] + v["procurement.works"] + v["procurement.services"]
                    == v["procurement.total"]), file
            total = _level(v, "accounts.total")
            assert total >= v["revenue.total"] and total >= v["spending.total"], file
            assert v["budget.total"] >= v["spending.total"]
            checked += 1
        elif "budget.basic" in v:
            assert v["budget.basic"] + v["budget.project"] == v["budget.total"], file
            assert v["spending.basic"] + v["spending.project"] == v["spending.total"], file
        else:  # the Hunan wording: 人员经费 + 公用经费 + 项目支出 = 支出
            assert v["spending.personnel"] + v["spending.public"] + v["spending.project"] == v["spending.total"]
    assert checked >= 25


def test_shares_changes_and_rates_follow_the_values(synth):
    out, _ = synth
    truth = read_truth(out)
    levels = _levels(truth)
    by_dept_year = {(t["department"], t["year"]): t["file"] for t in truth if t["file"].endswith(f"{FINAL}.txt")}
    predecessor = {"示例区科学技术和信息化局": "示例区科学技术局"}
    changes = 0
    for t in truth:
        v = levels[t["file"]]
        value = Decimal(str(t["value"]))
        if t["measure"] == "share":
            total = {"revenue": v["revenue.total"], "spending": v["spending.total"],
                     "procurement": v.get("procurement.total")}[t["indicator"].split(".")[0]]
            assert abs(v[t["indicator"]] * 100 / total - value) <= Decimal("0.01"), t
        elif t["measure"] in ("change", "change_rate"):
            prior = by_dept_year.get((t["department"], t["year"] - 1)) or \
                by_dept_year.get((predecessor.get(t["department"]), t["year"] - 1))
            if prior is None:  # the prior year's report is the missing one: its values are still the truth
                continue
            cur, prev = (_level(v, t["indicator"]), _level(levels[prior], t["indicator"]))
            if t["measure"] == "change":
                assert cur - prev == value, t
            else:
                assert abs((cur - prev) * 100 / prev - value) <= Decimal("0.01"), t
            changes += 1
        elif t["indicator"] == "budget.execution_rate":
            assert abs(v["spending.total"] * 100 / v["budget.total"] - value) <= Decimal("0.01"), t
    assert changes >= 100


def test_growth_over_time(synth):
    out, _ = synth
    truth = read_truth(out)
    spend = {(t["department"], t["year"]): t["value"] for t in truth
             if t["indicator"] == "spending.total" and t["measure"] == "level"}
    for dept in ("示例区教育局", "示例区卫生健康委员会", "示例区交通运输局"):
        assert spend[(dept, 2024)] > spend[(dept, 2019)] * 1.05


def test_generate_many(tmp_path):
    paths = generate_many(tmp_path, 60, seed=3)
    assert len(paths) == 60 == len(set(paths))
    truth = read_truth(tmp_path)
    assert {t["file"] for t in truth} == {p.name for p in paths}
    assert all("示例" in t["department"] for t in truth)
    assert len({t["department"] for t in truth}) >= 6


def test_ingest_recall_on_synthetic(synth):
    """Extracting the synthetic files finds >= 95% of the true facts (same file, year, measure, value)."""
    out, paths = synth
    truth = read_truth(out)
    found: dict[str, list] = {}
    for p in paths:
        report = ingest.extract(p)
        assert "示例" in (report.department or ""), p.name
        assert report.doc_kind == (PERF if p.name.endswith(f"{PERF}.txt") else FINAL), p.name
        found[p.name] = [(f.year, f.measure, Decimal(f.value)) for f in report.facts]
    missed = [t for t in truth
              if not any(y == t["year"] and m == t["measure"] and abs(v - Decimal(str(t["value"]))) <= Decimal("0.01")
                         for y, m, v in found[t["file"]])]
    recall = 1 - len(missed) / len(truth)
    assert recall >= 0.95, f"recall {recall:.3f}; missed e.g. {[t['quote'] for t in missed[:10]]}"


def test_catalog_indicators_named_right_on_synthetic(synth):
    """Beyond the value: >= 95% of the true catalog-coded facts come out under the right indicator code."""
    out, paths = synth
    truth = [t for t in read_truth(out) if not t["indicator"].startswith("output.")]
    found = {p.name: {(f.indicator, f.year, f.measure, Decimal(f.value)) for f in ingest.extract(p).facts}
             for p in paths}
    named = [t for t in truth
             if any(code == t["indicator"] and y == t["year"] and m == t["measure"]
                    and abs(v - Decimal(str(t["value"]))) <= Decimal("0.01")
                    for code, y, m, v in found[t["file"]])]
    accuracy = len(named) / len(truth)
    assert accuracy >= 0.95, f"{accuracy:.3f} of {len(truth)}"
