"""Rules as data: the TOML files under ingest/data are checked at load, name only catalog codes, and give one
vocabulary per thing; report families are a registry a user extends with a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yearwise.cli import app
from yearwise.ingest import numbers, phrases
from yearwise.ingest.catalog import load_catalog
from yearwise.ingest.families import families, read_families
from yearwise.ingest.rules import DATA, RuleError, check_codes, check_rules, naming, wording

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def test_every_code_a_rule_names_is_in_the_catalog():
    catalog = load_catalog()
    named = {**wording().codes(), **naming().codes()}
    for f in families():
        named.update(f.codes())
    assert len(named) >= 15
    missing = [f"{where}: {code}" for code, where in named.items() if catalog.get(code) is None]
    assert missing == []
    check_rules(catalog)  # what extraction runs before a report


def test_a_rule_naming_an_unknown_code_is_refused(tmp_path):
    bad = tmp_path / "naming.toml"
    bad.write_text((DATA / "naming.toml").read_text(encoding="utf-8")
                   + '\n[refined_by_subject]\ncodes = ["budget.no_such_code"]\n', encoding="utf-8")
    with pytest.raises(RuleError):  # TOML itself refuses a table defined twice
        naming(bad)
    bad.write_text((DATA / "naming.toml").read_text(encoding="utf-8").replace(
        '"spending.other" = "other"', '"spending.nonexistent" = "other"'), encoding="utf-8")
    with pytest.raises(RuleError, match=r"naming.toml: indicator codes the catalog lacks: family_children: "
                                        r"spending.nonexistent"):
        check_codes(naming(bad).codes(), load_catalog(), bad)


@pytest.mark.parametrize("change, error", [
    ('"增加" = { sign = 2 }', "change_words.增加"),
    ('"增加" = { sign = 1, rat = true }', "change_words.增加"),
])
def test_a_malformed_wording_file_names_the_file_and_the_rule(tmp_path, change, error):
    bad = tmp_path / "wording.toml"
    bad.write_text((DATA / "wording.toml").read_text(encoding="utf-8").replace(
        '"增加" = { sign = 1, verb = true }', change), encoding="utf-8")
    with pytest.raises(RuleError, match=error) as e:
        wording(bad)
    assert str(bad) in str(e.value)


def test_a_pattern_that_does_not_compile_is_refused(tmp_path):
    bad = tmp_path / "wording.toml"
    bad.write_text((DATA / "wording.toml").read_text(encoding="utf-8").replace(
        "class_mark = '\\((?:类|款|项)\\)'", "class_mark = '\\((?:类|款|项))'"), encoding="utf-8")
    with pytest.raises(RuleError, match="patterns.class_mark"):
        wording(bad)


def test_one_vocabulary_of_change_words():
    """The number parser and the extractor read the same change words, signs and rate words."""
    words = wording().change_words
    assert numbers.RATE_WORDS == phrases.RATE_VERBS == {w for w, c in words.items() if c.rate}
    assert numbers.DIRECTIONS == {w: c.sign for w, c in words.items()}
    for w in ("提高", "增减率", "增速", "涨幅", "增长率"):  # once only in one of two disagreeing lists
        assert w in numbers.RATE_WORDS
    assert numbers.parse_change("提高 5。").unit == "%"
    assert numbers.parse_change("增速为12.5").value == 12.5
    assert phrases.sign("节约") == -1 and phrases.sign("小于") == -1 and phrases.sign("增减额") == 1
    # every verb of the extractor is a change word with a sign
    assert all(phrases.PATTERNS["change_tail"].search(f"支出{w}") for w, c in words.items() if c.verb)


def test_a_families_file_is_checked(tmp_path):
    bad = tmp_path / "families.toml"
    bad.write_text('[[family]]\nkind = "Audit report"\n', encoding="utf-8")
    with pytest.raises(RuleError, match="kind"):
        read_families(bad)
    bad.write_text('[[family]]\nkind = "audit"\nrank = -1\n', encoding="utf-8")
    with pytest.raises(RuleError, match="rank"):
        read_families(bad)


def test_every_family_names_canned_queries_that_exist():
    from yearwise.queries import list_queries

    names = {q.name for q in list_queries()}
    for f in families():
        assert set(f.queries) <= names, f.kind


AUDIT = """\
[[family]]
kind = "audit"
title = "审计工作报告"
detection = ["审计工作报告"]
rank = 1
queries = ["coverage"]
[family.naming]
renames = { "spending.total" = "budget.total" }
"""


def test_a_report_family_is_added_with_a_data_file_only(tmp_path):
    """A user's family file (YEARWISE_FAMILIES) makes a new doc_kind: detected by its words, its naming
    adjustment applied, ranked in pick_rank, accepted by --kind."""
    (tmp_path / "audit.toml").write_text(AUDIT, encoding="utf-8")
    report = tmp_path / "示例区审计局2023年度审计工作报告.txt"
    report.write_text("示例区审计局2023年度审计工作报告\n一、总体情况\n2023年度本部门支出总计1,234.50万元。\n",
                      encoding="utf-8")
    script = textwrap.dedent(f"""
        import json
        from yearwise.ingest import extract
        from yearwise.ingest.model import DOC_KINDS
        from yearwise.warehouse.schema import macros
        r = extract({str(report)!r})
        print(json.dumps({{"kind": r.doc_kind, "department": r.department, "kinds": list(DOC_KINDS),
                          "facts": [(f.indicator, str(f.value)) for f in r.facts], "macro": macros()[0]}}))
    """)
    env = {**os.environ, "YEARWISE_FAMILIES": str(tmp_path / "audit.toml")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    assert got["kind"] == "audit" and "audit" in got["kinds"]
    assert got["department"] == "示例区审计局"
    assert ["budget.total", "1234.50"] in got["facts"]  # the family's rename: its 支出总计 is the budget
    assert "WHEN 'audit' THEN 1" in got["macro"]
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={k: v for k, v in os.environ.items() if k != "YEARWISE_FAMILIES"})
    assert json.loads(plain.stdout)["kind"] != "audit"


def test_the_built_in_families_are_registered_like_a_users():
    assert [f.kind for f in families()][:3] == ["performance_evaluation", "final_accounts", "budget"]
    assert all(Path(f.source).name == "families.toml" for f in families())


# ---------------------------------------------------------------- a broken rule file: one line, never a traceback

def _broken_copy(tmp_path, name: str) -> Path:
    """A copy of the bundled rule file `name` that ends in a TOML syntax error (an unclosed [[table])."""
    bad = tmp_path / name
    bad.write_text((DATA / name).read_text(encoding="utf-8") + "\n[[broken\n", encoding="utf-8")
    return bad


@pytest.mark.parametrize("name, load", [("wording.toml", wording), ("naming.toml", naming),
                                        ("families.toml", read_families)])
def test_a_malformed_rule_file_is_one_error_naming_the_file_and_the_cause(tmp_path, name, load):
    bad = _broken_copy(tmp_path, name)
    with pytest.raises(RuleError) as e:
        load(bad)
    message = str(e.value)
    assert message.startswith(f"{bad}: ") and "line" in message and "\n" not in message


def _naming_copy(tmp_path, old: str, new: str) -> Path:
    """A copy of naming.toml with `old` (found exactly once) replaced by `new`."""
    text = (DATA / "naming.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    bad = tmp_path / "naming.toml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    return bad


def _one_line_error(load, bad: Path, match: str) -> None:
    with pytest.raises(RuleError, match=match) as e:
        load(bad)
    assert str(e.value).startswith(f"{bad}: ") and "\n" not in str(e.value)


def test_a_count_rule_of_the_wrong_shape_is_named(tmp_path):
    _one_line_error(naming, _naming_copy(tmp_path, 'units = ["人", "名"]', 'units = "人"'),
                    r"naming.toml: count #1: `units` must be a list")
    _one_line_error(naming, _naming_copy(tmp_path, 'becomes = "staff.admin_actual"', ''), r"follows #1: `becomes`")


@pytest.mark.parametrize("old, new, where", [
    ('after = "staff.admin_quota"', 'after = "staff.no_such_quota"', "follows #1: staff.no_such_quota"),
    ('"revenue.total", "budget.total",', '"revenue.total", "budget.no_such_total",', "refine.totals: budget.no_such_total"),
    ('code = "org.budget_units"', 'code = "org.no_such_units"', "count #4: org.no_such_units"),
])
def test_a_count_follow_or_total_the_catalog_lacks_is_refused(tmp_path, old, new, where):
    """Every catalog code in naming.toml's count rules, follow rules and refine totals is checked like the rest."""
    bad = _naming_copy(tmp_path, old, new)
    _one_line_error(lambda p: check_codes(naming(p).codes(), load_catalog(), p), bad,
                    rf"naming.toml: indicator codes the catalog lacks: {where}$")


@pytest.mark.parametrize("old, new, match", [
    ("part_mark = '其中|包括|含有|主要有'", "part_mark = '其中|(包括|含有|主要有'", r"refine.patterns.part_mark: missing \)"),
    ("    '|[0-9A-Z]{12,}(?:/[\\d-]+)?',", "    '|[0-9A-Z]{12,}(?:/[\\d-]+?',", r"refine.patterns.not_values: "),
    ("etc_tail = '等$'", "etc_tail = 3", r"refine.patterns.etc_tail: a pattern must be a string"),
    ("etc_tail = '等$'", "", r"\[refine\]: missing rule etc_tail$"),
    ("etc_tail = '等$'", "etc_tail = '等$'\nlead_words = '之'", r"\[refine\]: unknown rule lead_words$"),
    ('listed_units = ["个", "家"]', 'listed_units = "个"', r"refine: `listed_units` must be a list of words"),
    ("(?:{object_verbs})", "(?:{object_verb})", r"refine.patterns.verb_object: no word list named \{object_verb\}$"),
    ('listed_units = ["个", "家"]', "", r"\[refine\]: missing rule listed_units$"),
])
def test_a_broken_refine_rule_is_one_line_naming_the_file_and_the_rule(tmp_path, old, new, match):
    """naming.toml's [refine] rules (ingest/refine.py's words and patterns): a pattern that does not compile, a
    missing or unknown rule, a word list of the wrong shape is refused when the file is loaded."""
    _one_line_error(naming, _naming_copy(tmp_path, old, new), match)


def test_one_vocabulary_of_verbs_with_an_object():
    """The extractor's change_before_object and refine's verb_object read the verbs of wording.toml's object_verbs
    list: one list, filled into both patterns."""
    verbs = wording().words["object_verbs"]
    assert {"增加", "减少", "调增", "调减"} <= set(verbs)
    alternation = wording().lists["object_verbs"]
    assert alternation in wording().patterns["change_before_object"].pattern
    assert alternation in naming().refine.verb_object.pattern
    for verb in verbs:
        assert naming().refine.verb_object.match(f"基本支出{verb}人员经费").groups() == ("基本支出", "人员经费")


@pytest.mark.parametrize("variable, name", [("YEARWISE_FAMILIES", "families.toml"), ("YEARWISE_TABLES", "tables.toml"),
                                            ("YEARWISE_CHECKS", "checks.toml"), ("YEARWISE_CATALOG", "indicators.csv")])
def test_a_malformed_user_rule_file_is_one_line_of_the_cli(tmp_path, monkeypatch, variable, name):
    """A user's own rule file (the environment override) that is broken stops `extract` with one line naming it,
    before any report, not a traceback and not the same failure once per file."""
    if name.endswith(".csv"):
        bad = tmp_path / name
        bad.write_bytes((DATA / name).read_bytes()[:200] + b"\xff\xfe broken")
    else:
        bad = _broken_copy(tmp_path, name)
    monkeypatch.setenv(variable, str(bad))
    r = CliRunner().invoke(app, ["extract", str(SAMPLE)])
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: "), r.stderr


def test_a_broken_families_file_is_one_line_even_before_the_modules_load(tmp_path):
    """The CLI in its own process: the report kinds are read on use, not while yearwise is imported."""
    bad = _broken_copy(tmp_path, "families.toml")
    env = {**os.environ, "YEARWISE_FAMILIES": str(bad)}
    p = subprocess.run([sys.executable, "-m", "yearwise.cli", "extract", str(SAMPLE)], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.splitlines() == [f"error: {bad}: not valid TOML: Expected ']]' at the end of an array declaration "
                                     f"(at line {len(bad.read_text(encoding='utf-8').splitlines())}, column 9)"]


def test_one_vocabulary_of_chinese_numerals():
    """The number parser, the outline, the text view, the metadata and the PDF reader read Chinese digits and heading
    markers from ingest/data/numerals.toml alone."""
    from yearwise.ingest import metadata, numerals, outline, view
    from yearwise.ingest.readers import pdf

    assert numbers.numeral_value("一亿五千万") == 150_000_000 and numbers.numeral_value("贰佰零伍") == 205
    assert set(numerals.ORDINAL) <= set(numerals.DIGITS) | set(numerals.PLACES)
    for line, level, n in (("第一百零一部分 附件", 1, 101), ("二十一、其他", 2, 21), ("(两)说明", 3, 2)):
        assert outline.heading_level(line) == level and outline.ordinal(line) == n, line
        assert view.HEADING_START.match(line) and pdf._HEADING.match(line), line
    assert metadata.LEAD_JUNK.sub("", "十二、示例局") == "示例局"
    # refine's list numbers before a total ((三)其他资金收入) are written with the same ordinal characters
    assert f"[(（][{numerals.ORDINAL}" in naming().refine.generic_qualifier.pattern
    assert naming().refine.generic_qualifier.sub("", "(一百零一)其他资金") == "其他资金"


def test_the_parser_version_changes_with_the_naming_rules(tmp_path, monkeypatch):
    """naming.toml, the count and refine rules included, is hashed into parser_version, so a report extracted
    before a change to it is extracted again."""
    import shutil

    from yearwise.ingest import version

    copy = tmp_path / "ingest"
    shutil.copytree(version.INGEST, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(version, "INGEST", copy)
    monkeypatch.delenv("YEARWISE_CATALOG", raising=False)
    monkeypatch.delenv("YEARWISE_FAMILIES", raising=False)
    before = version.parser_version()
    naming_file = copy / "data" / "naming.toml"
    naming_file.write_text(naming_file.read_text(encoding="utf-8").replace('listed_units = ["个", "家"]',
                                                                          'listed_units = ["个", "家", "所"]'),
                           encoding="utf-8")
    version._own_key.cache_clear()  # a new process: one process hashes the files as it first found them
    assert version.parser_version() != before
