"""The checks file (`ingest/data/checks.toml`): identities and bounds as typed rules, validated against the catalog.

Pure: the warehouse evaluates these rules over its facts (yearwise.warehouse.checks); ingest only reads and
validates them, and offers the two helpers a check needs from a document: the printed precision of a figure and
whether a change is stated as a comparable-basis restatement (上年可比数, 同口径).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

BUNDLED = Path(__file__).parent / "data" / "checks.toml"
DESCRIPTIVE_PREFIXES = ("item.",)
TABLE_SUM_KINDS = ("children", "classes", "columns")  # see yearwise.ingest.table_checks  # codes named after a report's own words, allowed beside catalog codes


class ChecksFileError(ValueError):
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
    other: tuple[tuple[str, object], ...] = ()
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


def parse(data: dict, source: str = "checks.toml") -> CheckRules:
    """Typed rules from a parsed checks file; ChecksFileError names the entry that is wrong."""
    ids, ranges, jumps, execs, ratios, other = [], [], [], [], [], []
    for key, value in data.items():
        entries = value if isinstance(value, list) else None
        if key == "identity":
            for n, e in enumerate(entries or []):
                w = f"{source}: identity #{n + 1}"
                ids.append(Identity(_str(e, "name", w), e.get("what", ""), _str(e, "whole", w), _strs(e, "parts", w),
                                    _strs(e, "optional", w, required=False)))
        elif key == "range":
            for n, e in enumerate(entries or []):
                w = f"{source}: range #{n + 1}"
                ranges.append(Range(_str(e, "name", w), e.get("what", ""), _str(e, "indicator", w),
                                    _dec(e, "min", w), _dec(e, "max", w)))
        elif key == "jump":
            for n, e in enumerate(entries or []):
                w = f"{source}: jump #{n + 1}"
                jumps.append(Jump(_str(e, "name", w), e.get("what", ""), _strs(e, "indicators", w),
                                  _dec(e, "factor", w)))
        elif key == "execution":
            for n, e in enumerate(entries or []):
                w = f"{source}: execution #{n + 1}"
                execs.append(Execution(_str(e, "name", w), e.get("what", ""), _str(e, "rate", w),
                                       _str(e, "spending", w), _str(e, "budget", w)))
        elif key == "ratio":
            for n, e in enumerate(entries or []):
                w = f"{source}: ratio #{n + 1}"
                ratios.append(Ratio(_str(e, "name", w), e.get("what", ""), _str(e, "numerator", w),
                                    _str(e, "denominator", w), _dec(e, "min", w), _dec(e, "max", w)))
        elif key in ("restatement", "twice"):
            continue
        elif key == "table_sum":
            for n, e in enumerate(entries or []):
                w = f"{source}: table_sum #{n + 1}"
                _str(e, "name", w)
                if e.get("kind") not in TABLE_SUM_KINDS:
                    raise ChecksFileError(f"{w}: `kind` must be one of {', '.join(TABLE_SUM_KINDS)}")
                if e["kind"] == "columns":
                    _str(e, "whole", w)
                    _strs(e, "parts", w)
            other.append((key, value))
        else:
            other.append((key, value))
        if key in ("identity", "range", "jump", "execution", "ratio", "table_sum") and entries is None:
            raise ChecksFileError(f"{source}: `{key}` must be an array of tables ([[{key}]])")
    words = data.get("restatement", {}).get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ChecksFileError(f"{source}: restatement.words must be a list of words")
    patterns = {}
    for key in ("columns", "statements"):
        found = data.get("restatement", {}).get(key, [])
        if not isinstance(found, list) or not all(isinstance(w, str) and w for w in found):
            raise ChecksFileError(f"{source}: restatement.{key} must be a list of patterns")
        try:
            patterns[key] = tuple(re.compile(w) for w in found)
        except re.error as e:
            raise ChecksFileError(f"{source}: restatement.{key}: not a pattern: {e}") from None
    twice = data.get("twice", {}).get("indicators", [])
    if not isinstance(twice, list) or not all(isinstance(w, str) and w for w in twice):
        raise ChecksFileError(f"{source}: twice.indicators must be a list of codes")
    rules = CheckRules(tuple(ids), tuple(ranges), tuple(jumps), tuple(execs), tuple(words), tuple(ratios),
                       tuple(twice), tuple(other), patterns["columns"], patterns["statements"])
    names = [r.name for r in (*rules.identities, *rules.ranges, *rules.jumps, *rules.executions, *rules.ratios)]
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
            with open(p, "rb") as f:
                data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise ChecksFileError(f"{p}: not valid TOML: {e}") from None
        except OSError as e:
            raise ChecksFileError(f"{p}: cannot be read: {e.strerror or e}") from None
        validate(parse(data, p), p)  # a wrong rule is named with the file that holds it
        for key, value in data.items():  # arrays of rules accumulate; a later [restatement] replaces
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    rules = parse(merged, ", ".join(Path(p).name for p in paths))
    validate(rules, ", ".join(Path(p).name for p in paths))
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
    decimals = -printed.as_tuple().exponent if printed.as_tuple().exponent < 0 else 0
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
