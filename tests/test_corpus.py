"""Extraction on the real corpus in ../shared/corpus (skipped where a clone has no ../shared)."""

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yearwise.ingest import extract
from yearwise.ingest.model import IngestError

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # evaluation lives there

from scoring import find_file, label_files, read_labels, score  # noqa: E402

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this clone")
SUFFIXES = {".txt", ".pdf", ".html", ".htm", ".docx"}


def corpus_files():
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in SUFFIXES and "labels" not in p.name)


def _extract_or_refusal(path):
    try:
        return extract(path)
    except IngestError as e:  # a template is refused, with its reason
        return e


@pytest.fixture(scope="module")
def reports():
    return {p: r for p in corpus_files() if not isinstance(r := _extract_or_refusal(p), IngestError)}


@pytest.fixture(scope="module")
def refused():
    return {p: r for p in corpus_files() if isinstance(r := _extract_or_refusal(p), IngestError)}


def test_provenance_holds_for_every_fact_of_every_file(reports):
    assert len(reports) >= 30
    checked = 0
    for path, report in reports.items():
        text = report.document.text
        for f in report.facts:
            assert text[f.start:f.end] == f.quote, (path.name, f)
            assert f.raw_value in f.quote, (path.name, f)
            assert f.measure in ("level", "change", "change_rate", "share")
            checked += 1
    assert checked > 1000


def test_a_pdf_fact_names_the_page_its_quote_is_on(reports):
    pdfs = [r for r in reports.values() if r.document.page_starts]
    assert pdfs
    for report in pdfs:
        starts = (*report.document.page_starts, len(report.document.text) + 1)
        for f in report.facts:
            assert 1 <= f.page <= report.document.pages
            assert starts[f.page - 1] <= f.start < starts[f.page], (report.source, f)
    assert all(f.page is None for r in reports.values() if not r.document.page_starts for f in r.facts)


def test_the_template_and_only_the_template_is_refused_as_one(refused):
    assert [p.parent.name for p in refused] == ["templates"]
    assert "a template, not a report: placeholder '上海市 XX 局" in str(next(iter(refused.values())))


@pytest.mark.parametrize("folder", ["beijing-chaoyang", "shanghai-putuo", "web-excerpts", "jiangsu-budgets"])
def test_recall_against_labels(reports, folder):
    for labels_path in label_files(CORPUS / folder):
        labels = read_labels(labels_path)
        facts = {name: reports[find_file(CORPUS / folder, name)].facts for name in {lb["file"] for lb in labels}}
        result = score(labels, facts)
        assert result.recall >= 0.90, (labels_path.name, result.found, result.total, result.missed[:10])


def test_shanghai_finance_bureau(reports):
    path = CORPUS / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf"
    report = reports[path]
    assert report.department == "上海市普陀区财政局" and report.year == 2024
    assert report.doc_kind == "final_accounts"

    def has(code, measure, value, **extra):
        return any(f.indicator == code and f.measure == measure and f.value == Decimal(value)
                   and all(getattr(f, k) == v for k, v in extra.items()) for f in report.facts)

    assert has("accounts.total", "level", "2995.39")
    assert has("accounts.total", "change", "-56.95", compared_to=2023)
    assert has("accounts.total", "change_rate", "-1.87", compared_to=2023)
    for code, value in [("revenue.total", "2946.25"), ("spending.basic", "2336.91"), ("spending.project", "603.14"),
                        ("spending.personnel", "2152.26"), ("spending.public", "184.65")]:
        assert has(code, "level", value), code
    assert has("performance.avg_score", "level", "99.43")
