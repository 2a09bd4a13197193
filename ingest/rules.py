"""The extraction's rules as data: the TOML files under ingest/data/, loaded into frozen objects and checked.

`wording()` is ingest/data/wording.toml (change words with their signs, comparison words, periods, region and
self markers, the patterns of ingest/phrases.py); `naming()` is naming.toml (aspects, families, spellings, the
count rules and the reading rules of ingest/refine.py); report families are in ingest/families.py. A rule file that is malformed, or names an indicator code the
catalog lacks (`check_codes`), raises RuleError naming the file and the rule.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA = Path(__file__).parent / "data"


class RuleError(ValueError):
    """A rule file that cannot be used; str() names the file and the rule."""


@dataclass(frozen=True, slots=True)
class ChangeWord:
    """A word that states a change: its sign, whether a bare number after it is a rate, whether it is a verb."""

    word: str
    sign: int  # +1 up, -1 down, 0 no change
    rate: bool = False
    verb: bool = False


@dataclass(frozen=True, slots=True)
class Period:
    pattern: re.Pattern
    name: str  # FY-narrower period name; {a}/{b} are the pattern's groups


@dataclass(frozen=True, slots=True)
class Wording:
    """wording.toml: the vocabularies and patterns of report wording."""

    change_words: Mapping[str, ChangeWord]
    comparison_words: Mapping[str, int]
    words: Mapping[str, tuple[str, ...]]
    whole_labels: Mapping[str, str]  # label -> catalog code
    periods: tuple[Period, ...]
    patterns: Mapping[str, re.Pattern]
    lists: Mapping[str, str]  # {name} in a pattern -> the alternation of that word list


    def sign(self, word: str) -> int | None:
        """+1 / -1 / 0 for a change or comparison word, None for another word."""
        if word in self.change_words:
            return self.change_words[word].sign
        return self.comparison_words.get(word)

    def codes(self) -> dict[str, str]:
        """Catalog codes this file names, each with where."""
        return {code: f"whole_labels.{label}" for label, code in self.whole_labels.items()}


def read_toml(path: Path | str) -> dict:
    """A TOML rule file as a dict: every rule file is read here. RuleError, one line naming the file and the cause,
    when it cannot be read, is not UTF-8 or is not valid TOML."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        cause = e.strerror if isinstance(e, OSError) and e.strerror else e
        what = "not valid TOML: " if isinstance(e, tomllib.TOMLDecodeError) else ""
        raise RuleError(" ".join(f"{path}: {what}{cause}".split())) from None


def alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 增减额 is tried before 增)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _compile(where: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise RuleError(f"{where}: {e}") from None


def _fill(path: Path, where: str, pattern, lists: Mapping[str, str]) -> re.Pattern:
    """A rule file's pattern compiled, each {name} of a word list replaced by its alternation; a list of strings
    is one pattern written in pieces. RuleError naming the file and the rule when it is no pattern."""
    if isinstance(pattern, list) and pattern and all(isinstance(p, str) for p in pattern):
        pattern = "".join(pattern)
    if not isinstance(pattern, str):
        raise RuleError(f"{path}: {where}: a pattern must be a string (or a list of strings)")
    unknown = sorted({m for m in re.findall(r"\{([a-z_]+)\}", pattern) if m not in lists})
    if unknown:  # a misspelt list name would otherwise be matched as the literal text {name}
        raise RuleError(f"{path}: {where}: no word list named " + ", ".join(f"{{{m}}}" for m in unknown))
    return _compile(f"{path}: {where}", re.sub(r"\{([a-z_]+)\}", lambda m: lists[m.group(1)], pattern))


def _table(raw: dict, key: str, path: Path) -> dict:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise RuleError(f"{path}: [{key}] must be a table")
    return value


@lru_cache(maxsize=2)
def wording(path: Path = DATA / "wording.toml") -> Wording:
    """wording.toml, checked: signs are -1/0/+1, lists are lists of words, every pattern compiles."""
    raw = read_toml(path)
    changes = {}
    for word, spec in _table(raw, "change_words", path).items():
        if not isinstance(spec, dict) or spec.get("sign") not in (-1, 0, 1) or set(spec) - {"sign", "rate", "verb"}:
            raise RuleError(f"{path}: change_words.{word}: needs sign = -1, 0 or 1 (and may say rate, verb)")
        changes[word] = ChangeWord(word, spec["sign"], bool(spec.get("rate")), bool(spec.get("verb")))
    comparisons = _table(raw, "comparison_words", path)
    if any(v not in (-1, 1) for v in comparisons.values()):
        raise RuleError(f"{path}: comparison_words: every sign must be -1 or 1")
    words = {}
    for name, items in _table(raw, "words", path).items():
        if not isinstance(items, list) or not all(isinstance(w, str) and w for w in items):
            raise RuleError(f"{path}: words.{name}: must be a list of words")
        words[name] = tuple(items)
    lists = {"change_verbs": alternation(w for w, c in changes.items() if c.verb),
             "comparison_verbs": alternation(comparisons), **{k: alternation(v) for k, v in words.items()}}

    periods = []
    for i, p in enumerate(raw.get("periods", [])):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            raise RuleError(f"{path}: periods[{i}]: needs a pattern and a name")
        periods.append(Period(_fill(path, f"periods[{i}]", p.get("pattern"), lists), p["name"]))
    patterns = {name: _fill(path, f"patterns.{name}", p, lists) for name, p in _table(raw, "patterns", path).items()}
    for name, items in words.items():
        patterns.setdefault(name, _compile(f"{path}: words.{name}", alternation(items)))
    return Wording(MappingProxyType(changes), MappingProxyType(dict(comparisons)), MappingProxyType(words),
                   MappingProxyType(dict(_table(raw, "whole_labels", path))), tuple(periods),
                   MappingProxyType(patterns), MappingProxyType(lists))


def check_codes(named: Mapping[str, str], catalog, path) -> None:
    """RuleError unless every catalog code a rule file names (code -> where) is in the catalog."""
    missing = sorted(f"{where}: {code}" for code, where in named.items() if catalog.get(code) is None)
    if missing:
        raise RuleError(f"{path}: indicator codes the catalog lacks: " + "; ".join(missing))


@dataclass(frozen=True, slots=True)
class CountRule:
    """naming.toml [[count]]: counts in `units` whose label holds one of `words` belong to `family`; `code` names
    the whole."""

    family: str
    units: tuple[str, ...]
    words: tuple[str, ...]
    code: str
    whole: tuple[str, ...]  # labels that state the whole count (the code); any other label is a part or a kind


@dataclass(frozen=True, slots=True)
class RefineRules:
    """naming.toml [refine] (word lists) and [refine.patterns]: the reading rules of ingest/refine.py, every one
    required, so a name missing from the file is an error at load rather than at the first report that needs it."""

    # [refine]
    money_families: tuple[str, ...]
    descriptive_families: tuple[str, ...]
    own_subject_skips: tuple[str, ...]
    class_line_skips: tuple[str, ...]
    econ_line_skips: tuple[str, ...]
    recounted_families: tuple[str, ...]
    listed_units: tuple[str, ...]
    equipment_units: tuple[str, ...]
    generic_words: frozenset[str]
    vague_labels: frozenset[str]
    totals: tuple[str, ...]  # catalog codes
    # [refine.patterns]
    sentence_end: re.Pattern
    heading_end: re.Pattern
    part_mark: re.Pattern
    part_opens: re.Pattern
    another_year: re.Pattern
    clause_break: re.Pattern
    lead: re.Pattern
    tail: re.Pattern
    wrap: re.Pattern
    noun_after: re.Pattern
    not_values: re.Pattern
    weight_before: re.Pattern
    weight_after: re.Pattern
    label_break: re.Pattern
    year_lead: re.Pattern
    comparison_in_label: re.Pattern
    money_after: re.Pattern
    approximate_lead: re.Pattern
    clause_end: re.Pattern
    own_clause_break: re.Pattern
    after_figure: re.Pattern
    verb_object: re.Pattern
    reason_lead: re.Pattern
    etc_tail: re.Pattern
    object_name: re.Pattern
    subject_name: re.Pattern
    year_words: re.Pattern
    both_ways: re.Pattern
    change_verb_tail: re.Pattern
    budget_tail: re.Pattern
    not_a_subject: re.Pattern
    class_line: re.Pattern
    class_name_lead: re.Pattern
    class_context: re.Pattern
    section_heading: re.Pattern
    count_amount: re.Pattern
    project_self: re.Pattern
    equipment_count: re.Pattern
    head_noun: re.Pattern
    blank_level: re.Pattern
    title_lead: re.Pattern
    subject_frame: re.Pattern
    generic_qualifier: re.Pattern
    count_gap: re.Pattern
    listed_before: re.Pattern
    labelled_part: re.Pattern
    coded_row: re.Pattern
    scope_clause: re.Pattern
    scope_winner: re.Pattern


@dataclass(frozen=True, slots=True)
class NamingRules:
    """naming.toml: aspects and families keyed by catalog code, the count rules, the reading rules of refine.py."""

    family_children: Mapping[str, str]  # spending.basic -> basic
    subject_families: Mapping[str, str]  # budget.total -> budget
    refined_by_subject: frozenset[str]
    aspects: Mapping[str, str | None]  # code -> aspect (None: the subject's own level)
    aspect_words: Mapping[str, tuple[str, ...]]
    spent_as: Mapping[str, str]
    counts: tuple[CountRule, ...]
    follows: Mapping[tuple[str, str], str]  # (code before, code) -> code: 实有人数 after 行政编制
    refine: RefineRules

    def codes(self) -> dict[str, str]:
        """Catalog codes this file names, each with where."""
        out = {}
        for name in ("family_children", "subject_families", "aspects", "aspect_words", "spent_as"):
            for code in getattr(self, name):
                out[code] = name
        out.update({code: "spent_as (value)" for code in self.spent_as.values()})
        out.update({code: "refined_by_subject" for code in self.refined_by_subject})
        out.update({rule.code: f"count #{n}" for n, rule in enumerate(self.counts, start=1)})
        for n, ((after, code), becomes) in enumerate(self.follows.items(), start=1):
            out.update({c: f"follows #{n}" for c in (after, code, becomes)})
        out.update({code: "refine.totals" for code in self.refine.totals})
        return out


def _strings(path: Path, key: str, table: dict) -> dict[str, str]:
    if not all(isinstance(v, str) for v in table.values()):
        raise RuleError(f"{path}: [{key}]: every value must be a string")
    return dict(table)


def _entries(path: Path, raw: dict, key: str) -> list[dict]:
    entries = raw.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise RuleError(f"{path}: `{key}` must be an array of tables ([[{key}]])")
    return entries


def _name(path: Path, where: str, row: dict, key: str) -> str:
    if not isinstance(row.get(key), str) or not row[key]:
        raise RuleError(f"{path}: {where}: `{key}` must be a non-empty string")
    return row[key]


def _words(path: Path, where: str, row: dict, key: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise RuleError(f"{path}: {where}: `{key}` must be a list of words")
    return tuple(value)


def _counts(path: Path, raw: dict) -> tuple[CountRule, ...]:
    rules = []
    for n, row in enumerate(_entries(path, raw, "count"), start=1):
        words = {k: _words(path, f"count #{n}", row, k) for k in ("units", "words", "whole")}
        rules.append(CountRule(_name(path, f"count #{n}", row, "family"), words["units"], words["words"],
                               _name(path, f"count #{n}", row, "code"), words["whole"]))
    return tuple(rules)


def _follows(path: Path, raw: dict) -> dict[tuple[str, str], str]:
    out = {}
    for n, row in enumerate(_entries(path, raw, "follows"), start=1):
        after, code, becomes = (_name(path, f"follows #{n}", row, k) for k in ("after", "code", "becomes"))
        out[(after, code)] = becomes
    return out


def _refine(path: Path, raw: dict) -> RefineRules:
    """[refine] and [refine.patterns], every field of RefineRules present and no other name."""
    table = dict(_table(raw, "refine", path))
    patterns = table.pop("patterns", {})
    if not isinstance(patterns, dict):
        raise RuleError(f"{path}: [refine.patterns] must be a table")
    wanted = {f.name: str(f.type) for f in fields(RefineRules)}  # "re.Pattern" or a word list's type
    unknown, missing = sorted({*table, *patterns} - set(wanted)), sorted(set(wanted) - {*table, *patterns})
    if unknown or missing:
        raise RuleError(f"{path}: [refine]: " + "; ".join(
            [f"unknown rule {w}" for w in unknown] + [f"missing rule {w}" for w in missing]))
    from yearwise.ingest.numerals import ORDINAL

    lists = {**wording().lists, "ordinal_characters": ORDINAL}
    values: dict[str, Any] = {}  # a pattern or a word list by field, as `wanted` says
    for name, kind in wanted.items():
        if kind == "re.Pattern":
            if name not in patterns:
                raise RuleError(f"{path}: refine.{name} is a pattern: it belongs in [refine.patterns]")
            values[name] = _fill(path, f"refine.patterns.{name}", patterns[name], lists)
        else:
            if name not in table:
                raise RuleError(f"{path}: refine.patterns.{name} is a word list: it belongs in [refine]")
            words = _words(path, "refine", table, name)
            values[name] = frozenset(words) if kind.startswith("frozenset") else words
    return RefineRules(**values)


@lru_cache(maxsize=2)
def naming(path: Path = DATA / "naming.toml") -> NamingRules:
    """naming.toml, checked for shape, every pattern compiled (the codes are checked against the catalog by
    `check_codes`)."""
    raw = read_toml(path)
    refined = _table(raw, "refined_by_subject", path).get("codes", [])
    words = _table(raw, "aspect_words", path)
    if not all(isinstance(v, list) for v in words.values()) or not isinstance(refined, list):
        raise RuleError(f"{path}: aspect_words and refined_by_subject.codes must be lists")
    return NamingRules(
        MappingProxyType(_strings(path, "family_children", _table(raw, "family_children", path))),
        MappingProxyType(_strings(path, "subject_families", _table(raw, "subject_families", path))),
        frozenset(refined),
        MappingProxyType({k: v or None for k, v in _strings(path, "aspects", _table(raw, "aspects", path)).items()}),
        MappingProxyType({k: tuple(v) for k, v in words.items()}),
        MappingProxyType(_strings(path, "spent_as", _table(raw, "spent_as", path))),
        _counts(path, raw),
        MappingProxyType(_follows(path, raw)),
        _refine(path, raw),
    )


@lru_cache(maxsize=4)
def check_rules(catalog) -> None:
    """RuleError unless every indicator code named by the rule files and the report families is in `catalog`
    (run once per catalog, before a report is extracted with it)."""
    from yearwise.ingest.families import families

    check_codes(wording().codes(), catalog, DATA / "wording.toml")
    check_codes(naming().codes(), catalog, DATA / "naming.toml")
    for f in families():
        check_codes(f.codes(), catalog, f.source)


def check_rule_files() -> None:
    """Load and check every rule file, the user's (YEARWISE_CATALOG, _FAMILIES, _TABLES, _CHECKS) included, so that
    a broken one is one RuleError before any work, not the same failure once for every report. Each loader keeps
    what it read (per file), so this costs nothing the second time."""
    from yearwise.ingest.catalog import load_catalog
    from yearwise.ingest.checks import load_checks
    from yearwise.ingest.families import families
    from yearwise.ingest.standard_tables import load_tables

    families()
    check_rules(load_catalog())
    load_tables()
    load_checks()
