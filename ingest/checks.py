"""The checks file (`ingest/data/checks.toml`): identities and bounds as typed rules, validated against the catalog.

Pure: the warehouse evaluates these rules over its facts (yearwise.warehouse.checks); ingest only reads and
validates them, and offers the two helpers a check needs from a document: the printed precision of a figure and
whether a change is stated as a comparable-basis restatement (上年可比数, 同口径).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from pathlib import Path

from yearwise.ingest.rules import RuleError, read_toml

BUNDLED = Path(__file__).parent / "data" / "checks.toml"
DESCRIPTIVE_PREFIXES = ("item.",)
TABLE_SUM_KINDS = ("children", "classes", "columns")  # see yearwise.ingest.table_checks  # codes named after a report's own words, allowed beside catalog codes


class ChecksFileError(RuleError):
    """A checks file that does not parse or names a code the catalog lacks; str() is one line."""


@dataclass(frozen=True, slots=True)
class Identity:
    """whole = sum(parts) + sum(the optional parts the report states)."""

    name: str
    what: str
    whole: str
    parts: tuple[str, ...]
    optional: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Range:
    """A stated value of `indicator` outside [min, max] is doubtful."""

    name: str
    what: str
    indicator: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class Jump:
    """A level of one of `indicators` changing more than `factor` times year on year is doubtful."""

    name: str
    what: str
    indicators: tuple[str, ...]
    factor: Decimal


@dataclass(frozen=True, slots=True)
class Execution:
    """A stated execution rate against spending / budget of the same report."""

    name: str
    what: str
    rate: str
    spending: str
    budget: str


@dataclass(frozen=True, slots=True)
class Ratio:
    """numerator / denominator of one report outside [min, max] makes the denominator (too high) or the
    numerator (too low) doubtful: an execution of 342434% is a budget that is not the department's."""

    name: str
    what: str
    numerator: str
    denominator: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class CheckRules:
    """Every rule of the checks file(s); `other` keeps sections another stage owns (e.g. table arithmetic)."""

    identities: tuple[Identity, ...]
    ranges: tuple[Range, ...]
    jumps: tuple[Jump, ...]
    executions: tuple[Execution, ...]
    restatement_words: tuple[str, ...]
    ratios: tuple[Ratio, ...] = ()
    twice: tuple[str, ...] = ()  # figures checked for being stated twice with different values
    other: tuple[tuple[str, Any], ...] = ()  # as the TOML holds them: the owning stage validates its section
    # a table column whose header says it holds restated figures (上年数(可比口径), 调整后上年数): regexes
    restatement_columns: tuple[re.Pattern, ...] = ()
    # a report-level statement that last year's figures were restated (上年数据已按新口径调整): regexes
    restatement_statements: tuple[re.Pattern, ...] = ()

    def codes(self) -> set[str]:
        """Every indicator code the rules name."""
        out: set[str] = set()
        for i in self.identities:
            out |= {i.whole, *i.parts, *i.optional}
        out |= {r.indicator for r in self.ranges}
        for j in self.jumps:
            out |= set(j.indicators)
        for e in self.executions:
            out |= {e.rate, e.spending, e.budget}
        for r in self.ratios:
            out |= {r.numerator, r.denominator}
        return out | set(self.twice)


def _str(entry: dict, key: str, where: str) -> str:
    v = entry.get(key)
    if not isinstance(v, str) or not v.strip():
        raise ChecksFileError(f"{where}: `{key}` must be a non-empty string")
    return v.strip()


def _strs(entry: dict, key: str, where: str, required: bool = True) -> tuple[str, ...]:
    v = entry.get(key, [] if not required else None)
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v) or (required and not v):
        raise ChecksFileError(f"{where}: `{key}` must be a list of codes")
    return tuple(x.strip() for x in v)


def _dec(entry: dict, key: str, where: str) -> Decimal:
    try:
        return Decimal(str(entry[key]))
    except (KeyError, InvalidOperation):
        raise ChecksFileError(f"{where}: `{key}` must be a number") from None


def _text(entry: dict, key: str, where: str) -> str:
    return entry.get(key, "")


def _optional(entry: dict, key: str, where: str) -> tuple[str, ...]:
    return _strs(entry, key, where, required=False)


# each kind of rule in the file ([[identity]] …): its class and how each of its fields is read, in the class's order
RULE_KINDS: dict[str, tuple[type, tuple[tuple[str, Callable[[dict, str, str], object]], ...]]] = {
    "identity": (Identity, (("name", _str), ("what", _text), ("whole", _str), ("parts", _strs),
                            ("optional", _optional))),
    "range": (Range, (("name", _str), ("what", _text), ("indicator", _str), ("min", _dec), ("max", _dec))),
    "jump": (Jump, (("name", _str), ("what", _text), ("indicators", _strs), ("factor", _dec))),
    "execution": (Execution, (("name", _str), ("what", _text), ("rate", _str), ("spending", _str),
                              ("budget", _str))),
    "ratio": (Ratio, (("name", _str), ("what", _text), ("numerator", _str), ("denominator", _str), ("min", _dec),
                      ("max", _dec))),
}


def parse(data: dict, source: str = "checks.toml") -> CheckRules:
    """Typed rules from a parsed checks file; ChecksFileError names the entry that is wrong."""
    found: dict[str, list] = {kind: [] for kind in RULE_KINDS}
    other = []
    for key, value in data.items():
        if key in RULE_KINDS or key == "table_sum":
            if not isinstance(value, list):
                raise ChecksFileError(f"{source}: `{key}` must be an array of tables ([[{key}]])")
        if key in RULE_KINDS:
            cls, fields = RULE_KINDS[key]
            for n, e in enumerate(value):
                where = f"{source}: {key} #{n + 1}"
                found[key].append(cls(*(read(e, name, where) for name, read in fields)))
        elif key == "table_sum":  # evaluated by yearwise.ingest.table_checks; its entries checked here
            for n, e in enumerate(value):
                where = f"{source}: table_sum #{n + 1}"
                _str(e, "name", where)
                if e.get("kind") not in TABLE_SUM_KINDS:
                    raise ChecksFileError(f"{where}: `kind` must be one of {', '.join(TABLE_SUM_KINDS)}")
                if e["kind"] == "columns":
                    _str(e, "whole", where)
                    _strs(e, "parts", where)
            other.append((key, value))
        elif key not in ("restatement", "twice"):
            other.append((key, value))
    words = data.get("restatement", {}).get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ChecksFileError(f"{source}: restatement.words must be a list of words")
    patterns = {}
    for key in ("columns", "statements"):
        listed = data.get("restatement", {}).get(key, [])
        if not isinstance(listed, list) or not all(isinstance(w, str) and w for w in listed):
            raise ChecksFileError(f"{source}: restatement.{key} must be a list of patterns")
        try:
            patterns[key] = tuple(re.compile(w) for w in listed)
        except re.error as e:
            raise ChecksFileError(f"{source}: restatement.{key}: not a pattern: {e}") from None
    twice = data.get("twice", {}).get("indicators", [])
    if not isinstance(twice, list) or not all(isinstance(w, str) and w for w in twice):
        raise ChecksFileError(f"{source}: twice.indicators must be a list of codes")
    rules = CheckRules(tuple(found["identity"]), tuple(found["range"]), tuple(found["jump"]),
                       tuple(found["execution"]), tuple(words), tuple(found["ratio"]), tuple(twice), tuple(other),
                       patterns["columns"], patterns["statements"])
    names = [*(i.name for i in rules.identities), *(r.name for r in rules.ranges), *(j.name for j in rules.jumps),
             *(e.name for e in rules.executions), *(r.name for r in rules.ratios)]
    names += [e["name"] for e in dict(rules.other).get("table_sum", [])]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ChecksFileError(f"{source}: check names used twice: {', '.join(sorted(dup))}")
    return rules


def validate(rules: CheckRules, source: str = "checks.toml") -> None:
    """Every code the rules name is in the catalog or descriptive (`item.…`); else ChecksFileError."""
    from yearwise.ingest.catalog import load_catalog

    catalog = load_catalog()
    unknown = sorted(c for c in rules.codes() if catalog.get(c) is None and not c.startswith(DESCRIPTIVE_PREFIXES))
    if unknown:
        raise ChecksFileError(f"{source}: codes not in the catalog: {', '.join(unknown)}")


@lru_cache(maxsize=4)
def _load(paths: tuple[str, ...]) -> CheckRules:
    merged: dict = {}
    for p in paths:
        try:
            data = read_toml(p)
        except RuleError as e:
            raise ChecksFileError(str(e)) from None
        try:
            validate(parse(data, p), p)  # a wrong rule is named with the file that holds it
        except (AttributeError, TypeError) as e:
            raise ChecksFileError(f"{p}: an entry of the wrong shape ({e})") from None
        for key, value in data.items():  # arrays of rules accumulate; a later [restatement] replaces
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    source = ", ".join(Path(p).name for p in paths)
    try:
        rules = parse(merged, source)
    except (AttributeError, TypeError) as e:  # a table where a list belongs, a number where a table does
        raise ChecksFileError(f"{source}: an entry of the wrong shape ({e})") from None
    validate(rules, source)
    return rules


def load_checks() -> CheckRules:
    """The bundled checks plus any TOML files named in YEARWISE_CHECKS (os.pathsep-separated)."""
    extra = tuple(p for p in os.environ.get("YEARWISE_CHECKS", "").split(os.pathsep) if p)
    return _load((str(BUNDLED), *extra))


def half_unit(raw_value: str | None, value: Decimal, *, cents: bool = False) -> Decimal:
    """Half a unit of the last printed digit of a figure, in the unit of `value` (26,667.28 -> 0.005).

    The raw text may be in another unit than the normalised value (1.5 亿元 is 15000 万元): the scale is taken
    from value / raw. A figure with no raw text is taken as printed with two decimals. With `cents` (an amount
    written in 万元 itself) a whole number is exact to two decimals: budgets print 110 万元 for 110.00 万元.
    """
    raw = (raw_value or "").replace(",", "").replace("，", "").strip().lstrip("+-−")
    try:
        printed = Decimal(raw)
    except InvalidOperation:
        return Decimal("0.005")
    exponent = printed.as_tuple().exponent  # an int for a finite number ('n', 'N', 'F' for NaN and infinity)
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if cents and decimals == 0 and printed != 0 and abs(Decimal(value) / printed) == 1:
        decimals = 2
    half = Decimal(5) / Decimal(10) ** (decimals + 1)
    if printed != 0 and value != 0:
        scale = abs(Decimal(value) / printed)
        half *= scale
    return half


def restated_column(path: str, rules: CheckRules | None = None) -> bool:
    """Whether a table column's header says it holds restated figures (上年数(可比口径), 调整后上年数)."""
    rules = rules or load_checks()
    return any(p.search(path) for p in rules.restatement_columns)


def restatement_statement(text: str, rules: CheckRules | None = None) -> str | None:
    """The words of a report-level statement that last year's figures were restated on this year's basis
    (口径调整…上年数据已按调整后口径重新计算), if the text makes one."""
    rules = rules or load_checks()
    for p in rules.restatement_statements:
        m = p.search(text)
        if m:
            return m.group(0)
    return None


def mentions_restatement(text: str, words: tuple[str, ...] | None = None) -> bool:
    """Whether `text` (the sentence of a change and the reason after it) names a comparable-basis restatement."""
    words = load_checks().restatement_words if words is None else words
    return any(w in text for w in words)
