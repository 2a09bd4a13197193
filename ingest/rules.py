"""The extraction's rules as data: the TOML files under ingest/data/, loaded into frozen objects and checked.

`wording()` is ingest/data/wording.toml (change words with their signs, comparison words, periods, region and
self markers, the patterns of ingest/phrases.py); `naming()` is naming.toml (aspects, families, spellings);
report families are in ingest/families.py. A rule file that is malformed, or names an indicator code the
catalog lacks (`check_codes`), raises RuleError naming the file and the rule.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

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

    def fill(where: str, pattern) -> re.Pattern:
        if not isinstance(pattern, str):
            raise RuleError(f"{path}: {where}: a pattern must be a string")
        return _compile(f"{path}: {where}", re.sub(r"\{([a-z_]+)\}", lambda m: lists.get(m.group(1), m.group()),
                                                   pattern))

    periods = []
    for i, p in enumerate(raw.get("periods", [])):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            raise RuleError(f"{path}: periods[{i}]: needs a pattern and a name")
        periods.append(Period(fill(f"periods[{i}]", p.get("pattern")), p["name"]))
    patterns = {name: fill(f"patterns.{name}", p) for name, p in _table(raw, "patterns", path).items()}
    for name, items in words.items():
        patterns.setdefault(name, _compile(f"{path}: words.{name}", alternation(items)))
    return Wording(MappingProxyType(changes), MappingProxyType(dict(comparisons)), MappingProxyType(words),
                   MappingProxyType(dict(_table(raw, "whole_labels", path))), tuple(periods),
                   MappingProxyType(patterns))


def check_codes(named: Mapping[str, str], catalog, path) -> None:
    """RuleError unless every catalog code a rule file names (code -> where) is in the catalog."""
    missing = sorted(f"{where}: {code}" for code, where in named.items() if catalog.get(code) is None)
    if missing:
        raise RuleError(f"{path}: indicator codes the catalog lacks: " + "; ".join(missing))


@dataclass(frozen=True, slots=True)
class NamingRules:
    """naming.toml: aspects and families keyed by catalog code."""

    family_children: Mapping[str, str]  # spending.basic -> basic
    subject_families: Mapping[str, str]  # budget.total -> budget
    refined_by_subject: frozenset[str]
    aspects: Mapping[str, str | None]  # code -> aspect (None: the subject's own level)
    aspect_words: Mapping[str, tuple[str, ...]]
    spent_as: Mapping[str, str]

    def codes(self) -> dict[str, str]:
        """Catalog codes this file names, each with where."""
        out = {}
        for name in ("family_children", "subject_families", "aspects", "aspect_words", "spent_as"):
            for code in getattr(self, name):
                out[code] = name
        out.update({code: "spent_as (value)" for code in self.spent_as.values()})
        out.update({code: "refined_by_subject" for code in self.refined_by_subject})
        return out


def _strings(path: Path, key: str, table: dict) -> dict[str, str]:
    if not all(isinstance(v, str) for v in table.values()):
        raise RuleError(f"{path}: [{key}]: every value must be a string")
    return dict(table)


@lru_cache(maxsize=2)
def naming(path: Path = DATA / "naming.toml") -> NamingRules:
    """naming.toml, checked for shape (the codes are checked against the catalog by `check_codes`)."""
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
    from yearwise.ingest.refine import count_rules, follow_rules
    from yearwise.ingest.standard_tables import load_tables

    families()
    check_rules(load_catalog())
    load_tables()
    count_rules()
    follow_rules()
    load_checks()
