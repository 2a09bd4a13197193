"""Report families as a registry: kind, detection words, naming adjustments, ranking weight, default queries.

The built-in families are ingest/data/families.toml; a user's come from TOML files of the same shape named in
YEARWISE_FAMILIES (os.pathsep-separated), read the same way: a family with an existing kind replaces it, a new
one is added after the built-in ones. Adding a report family is a data change only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from yearwise.ingest.rules import DATA, RuleError, read_toml

UNKNOWN = "unknown"
KIND = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class FamilyNaming:
    """How a family changes naming: totals renamed, the family of 基本支出, words that add nothing, outputs."""

    renames: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    child_family: str | None = None
    plain_words: frozenset[str] = frozenset()
    output_items: bool = False


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of report."""

    kind: str
    title: str
    detection: tuple[str, ...]
    title_words: tuple[str, ...]
    rank: int
    scope: str  # department | region
    queries: tuple[str, ...]
    naming: FamilyNaming
    source: str  # the file that defined it

    def codes(self) -> dict[str, str]:
        """Catalog codes the family names, each with where."""
        where = f"family {self.kind}: naming.renames"
        return {c: where for pair in self.naming.renames.items() for c in pair}


def _family(raw: dict, path: Path) -> Family:
    kind = raw.get("kind")
    if not isinstance(kind, str) or not KIND.fullmatch(kind) or kind == UNKNOWN:
        raise RuleError(f"{path}: family kind {kind!r}: needs a name of lower-case letters, digits and _")
    where = f"{path}: family {kind}"
    unknown_keys = set(raw) - {"kind", "title", "detection", "title_words", "rank", "scope", "queries", "naming"}
    if unknown_keys:
        raise RuleError(f"{where}: unknown keys {sorted(unknown_keys)}")
    lists = {k: raw.get(k, []) for k in ("detection", "title_words", "queries")}
    if not all(isinstance(v, list) and all(isinstance(w, str) and w for w in v) for v in lists.values()):
        raise RuleError(f"{where}: detection, title_words and queries must be lists of words")
    rank = raw.get("rank", 3)
    if not isinstance(rank, int) or isinstance(rank, bool) or rank < 0:
        raise RuleError(f"{where}: rank must be a whole number >= 0")
    scope = raw.get("scope", "department")
    if scope not in ("department", "region"):
        raise RuleError(f"{where}: scope must be department or region")
    n = raw.get("naming", {})
    if not isinstance(n, dict) or set(n) - {"renames", "child_family", "plain_words", "output_items"}:
        raise RuleError(f"{where}: naming takes renames, child_family, plain_words, output_items")
    renames = n.get("renames", {})
    if not isinstance(renames, dict) or not all(isinstance(v, str) for v in renames.values()):
        raise RuleError(f"{where}: naming.renames must map codes to codes")
    naming = FamilyNaming(MappingProxyType(dict(renames)), n.get("child_family"),
                          frozenset(n.get("plain_words", [])), bool(n.get("output_items", False)))
    return Family(kind, raw.get("title", kind), tuple(lists["detection"]),
                  tuple(lists["title_words"] or lists["detection"]), rank, scope, tuple(lists["queries"]), naming,
                  str(path))


def read_families(path: Path) -> list[Family]:
    """The [[family]] entries of one TOML file, each checked."""
    raw = read_toml(path)
    entries = raw.get("family", [])
    if not isinstance(entries, list) or set(raw) - {"family"}:
        raise RuleError(f"{path}: a families file holds [[family]] entries only")
    return [_family(e, path) for e in entries]


@lru_cache(maxsize=4)
def _registry(extra: tuple[str, ...]) -> tuple[Family, ...]:
    families: dict[str, Family] = {}
    for path in (DATA / "families.toml", *map(Path, extra)):
        for f in read_families(path):
            families[f.kind] = f  # a user's family of an existing kind replaces it, in its place
    return tuple(families.values())


def families() -> tuple[Family, ...]:
    """The registered families: the built-in ones, then those of the files named in YEARWISE_FAMILIES."""
    return _registry(tuple(p for p in os.environ.get("YEARWISE_FAMILIES", "").split(os.pathsep) if p))


def family(kind: str) -> Family | None:
    """The family of a doc_kind (None for unknown)."""
    return next((f for f in families() if f.kind == kind), None)


def doc_kinds() -> tuple[str, ...]:
    """Every kind a report can have: the registered ones, then unknown."""
    return (*(f.kind for f in families()), UNKNOWN)


def region_kinds() -> tuple[str, ...]:
    """Kinds whose every figure is about the region."""
    return tuple(f.kind for f in families() if f.scope == "region")


def kind_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(kind, detection words) in the order they are tried."""
    return tuple((f.kind, f.detection) for f in families() if f.detection)


def title_words() -> tuple[str, ...]:
    """Every word that ends a report's title."""
    return tuple(dict.fromkeys(w for f in families() for w in f.title_words))


def rank_sql(column: str = "doc_kind") -> str:
    """A SQL CASE giving each kind its rank (unknown kinds after all): the family part of pick_rank."""
    fams = families()
    last = max((f.rank for f in fams), default=0) + 1
    whens = " ".join(f"WHEN '{f.kind}' THEN {f.rank}" for f in fams)
    return f"CASE {column} {whens} ELSE {last} END"
