"""Checks on the real corpus: the hand-checked slips are found, few false alarms, versions decided the same way
in either ingest order (skipped without ../shared)."""

from __future__ import annotations

import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yearwise import Warehouse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # evaluation lives there
from scoring import found_slips  # noqa: E402

GOLD = Path(__file__).resolve().parent / "gold" / "slips" / "slips.jsonl"
# pairs that look like slips but are not (two scopes of one quantity), each with the reason read off the report
NOT_SLIPS = GOLD.with_name("not-slips.jsonl")


@pytest.fixture(scope="module")
def corpus_checks(corpus, tmp_path_factory):
    wh = Warehouse(tmp_path_factory.mktemp("checks") / "corpus.duckdb")
    wh.ingest([corpus])
    return wh, wh.check().to_dicts()


def test_hand_checked_slips_are_found(corpus_checks):
    _, checks = corpus_checks
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    assert len(gold) >= 25
    found, missed = found_slips(gold, checks)
    assert len(found) / len(gold) >= 0.9, [(s["department"], s["year"], s["stated"]) for s in missed]
    kinds = {s["kind"] for s in found}
    assert {"rate on the wrong base", "a figure stated twice differently", "equal to last year, but it is not",
            "a change that is not the difference"} <= kinds


def test_figures_of_two_scopes_are_no_alarm(corpus_checks):
    """A pair the gold once called a slip, found on re-reading to be two scopes (财政拨款 vs all funds): no failed
    or doubtful check may set one against the other."""
    _, checks = corpus_checks
    pairs = [json.loads(line) for line in NOT_SLIPS.read_text("utf-8").splitlines() if line.strip()]
    assert pairs
    for p in pairs:
        wanted = {Decimal(str(p["stated"])), Decimal(str(p["expected"]))}
        alarms = [c for c in checks if c["status"] in ("fail", "doubtful")
                  and (c["department"], c["year"]) == (p["department"], p["year"])
                  and c["stated"] is not None and c["expected"] is not None
                  and {Decimal(str(c["stated"])), Decimal(str(c["expected"]))} == wanted]
        assert not alarms, (p["why_not"], alarms)


def test_many_checks_few_alarms(corpus_checks):
    _, checks = corpus_checks
    status = [c["status"] for c in checks]
    assert len(checks) >= 300
    assert status.count("fail") <= 40 and status.count("doubtful") <= 60
    assert status.count("pass") >= 0.75 * len(checks)


def _facts_hash(wh: Warehouse) -> str:
    """The current facts, every column but the report id (a number given in ingest order)."""
    df = wh.sql("SELECT * FROM facts").drop("report_id")
    rows = sorted(repr(r) for r in df.iter_rows())
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_either_ingest_order_gives_the_same_current_facts(corpus, tmp_path):
    genuine, altered = corpus / "shanghai-putuo", corpus / "shanghai-putuo-altered"
    forward, backward = Warehouse(tmp_path / "f.duckdb"), Warehouse(tmp_path / "b.duckdb")
    forward.ingest([genuine, altered])
    backward.ingest([altered, genuine])
    assert _facts_hash(forward) == _facts_hash(backward)
    for wh in (forward, backward):
        conflict = wh.check(department="上海市普陀区财政局", status="fail")
        rows = [r for r in conflict.iter_rows(named=True) if r["check"] == "version.conflict"]
        assert len(rows) == 1 and "accounts.total" in rows[0]["message"]
        assert len(rows[0]["sources"]) == 2


def test_jiangsu_cross_year_statements_pass_when_they_agree(corpus_checks):
    _, checks = corpus_checks
    cross = [c for c in checks if c["category"] == "cross_year" and c["department"] == "江苏省高级人民法院"]
    assert len(cross) >= 8  # 三公, 会议费, 培训费 of 2018 and 2019 against the year before: all agree (read by hand)
    assert all(c["status"] == "pass" for c in cross), [c["message"] for c in cross if c["status"] != "pass"]


def test_table_arithmetic_of_the_corpus_is_in_the_checks(corpus_checks):
    """Table arithmetic joins the other checks (one table): every table the readers summed, with its table, row code
    and column; the source's own 0.01 slips are doubtful, a table that is off by more fails with its difference."""
    _, checks = corpus_checks
    table = [c for c in checks if c["category"] == "table"]
    assert len(table) >= 500 and all(c["table"] and c["column"] and c["quotes"] for c in table)
    held = [c for c in table if c["status"] == "pass"]
    assert len(held) >= 0.95 * len(table)
    # 普陀区财政局 2024 收入决算表: 合计 2,946.25 over 类 adding to 2,946.26 (each printed rounded from 元)
    income = [c for c in table if c["department"] == "上海市普陀区财政局" and c["check"] == "table.classes"
              and c["indicator"] == "revenue.total"]
    assert income and {(c["status"], c["stated"], c["expected"]) for c in income} == {
        ("doubtful", Decimal("2946.25"), Decimal("2946.26"))}
    # each side of the two-sided 基本支出决算表 adds up to its own 合计
    sides = [c for c in table if c["department"] == "上海市普陀区财政局" and c["check"] == "table.classes"
             and c["table"] == "final.general_budget_basic"]
    assert {c["status"] for c in sides} == {"pass"} and len(sides) >= 2
    assert all(c["difference"] is not None for c in table if c["status"] != "pass")


def test_checks_on_worker_processes_are_the_checks_made_here(corpus_checks, tmp_path):
    """On the real reports (tables, versions, restatements, prior years): the checks evaluated on two worker
    processes, a few departments at a time, are the rows, links and ids evaluated in this process."""
    from test_check_pool import checked_both_ways

    wh, _ = corpus_checks
    here, there, departments = checked_both_ways(wh.path, tmp_path, most=3)
    assert departments >= 20 and {r[3] for r in here[0]} >= {"pass", "fail", "doubtful", "cannot"}
    assert {r[2] for r in here[0]} >= {"report", "cross_year", "version", "table"}
    assert there == here
