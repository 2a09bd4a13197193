"""Precision on the hand-written gold files of tests/gold/: every fact a reader finds in a passage of 15 corpus
files. A drop below the figures reached fails; the gold files themselves must fit their documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from yearwise.ingest.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "tests" / "gold").glob("*.jsonl"))
sys.path.insert(0, str(ROOT / "benchmarks"))  # evaluation lives there

from gold import load_gold  # noqa: E402

# the figures reached (benchmarks/precision.py); raise them as precision improves, never lower them
PRECISION_FLOOR = 0.96
DEPARTMENT_FLOOR = 1.0
YEAR_FLOOR = 0.98


@pytest.fixture(scope="module")
def scores(corpus):
    from precision import score_all

    return score_all(ROOT / "tests" / "gold", corpus)


def test_gold_covers_at_least_15_files_of_every_kind():
    heads = [json.loads(p.read_text(encoding="utf-8").splitlines()[0]) for p in GOLD]
    assert len(heads) >= 15
    folders = {h["file"].split("/")[0] for h in heads}
    assert {"beijing-chaoyang", "shanghai-putuo", "jiangsu-budgets", "web-excerpts"} <= folders
    assert {"final_accounts", "budget", "performance_evaluation"} <= {h["doc_kind"] for h in heads}


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_a_gold_file_fits_its_document_and_names_catalog_codes(path, corpus):
    from yearwise.ingest import read

    head = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    gold = load_gold(path, read(corpus / head["file"]).text)  # every quote and anchor is in the text
    assert gold.facts
    codes = {i.code for i in load_catalog()}
    def valid(pattern: str) -> bool:  # a wildcard names a family; an exact code must be the catalog's
        return (any(c in pattern for c in "*?[") or pattern in codes or pattern.endswith((".over_budget", ".completion_rate"))
                or pattern.split(".")[0] in ("item", "output", "economy", "func", "econ"))

    for fact in gold.facts:
        assert any(valid(p) for p in fact.indicator), (path.name, fact.indicator)
        assert fact.measure in ("level", "change", "change_rate", "share")


def test_precision_on_the_gold_files_does_not_drop(scores):
    from precision import totals

    t = totals(scores)
    assert t["precision"] >= PRECISION_FLOOR, t
    assert t["department"] >= DEPARTMENT_FLOOR, t
    assert t["year"] >= YEAR_FLOOR, t
