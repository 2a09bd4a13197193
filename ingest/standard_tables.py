"""Standard tables as data (ingest/data/tables.toml): which printed title is which table, and column keys.

The same table is titled differently across regions and years (表一 / 附表1 / 2019年…, 部门 / 单位), so a table is
recognised by the words of its title, never by an exact string. Column header paths are normalised to keys so
that the same column of the same standard table has the same key everywhere.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from yearwise.ingest.rules import RuleError, read_toml

BUNDLED = Path(__file__).parent / "data" / "tables.toml"
KINDS = ("final_accounts", "budget", "performance_evaluation")

# what a title carries beside its name: numbering (表一, 附表3, 表1-2), the year, brackets, quotes, spaces
TITLE_NOISE = re.compile(
    r"^(?:附件\s*\d*[:：]?\s*)?(?:附?表\s*[\d一二三四五六七八九十]+(?:[-－—]\d+)?\s*[:：.、]?)|"
    r"(?:19|20)\d\d\s*年度?|[(（][^)）]*[)）]|[\s\"“”'‘’《》:：、]|续表")


# column words that say which figure of an item a column holds (budget or outturn), whichever way they are nested
MEASURES = frozenset({"年初预算数", "调整预算数", "决算数", "预算数"})


class TablesFileError(RuleError):
    """A tables file that does not parse or names a catalog code the catalog lacks; str() is one line."""


@dataclass(frozen=True, slots=True)
class StandardTable:
    """One standard table: how its title is recognised and how its rows without a code are named."""

    code: str
    name: str
    kind: str
    rank: int
    match: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()
    total: str | None = None
    catalog_rows: bool = False
    names: tuple[tuple[str, str], ...] = ()
    title_totals: tuple[tuple[str, str], ...] = ()  # a word of the printed title -> the total it makes, first wins

    def for_title(self, title: str) -> StandardTable:
        """This table with the total its printed title names: one standard table titled by two funds
        (财政拨款基本支出预算表 / 一般公共预算基本支出预算表) totals each fund's own figure."""
        folded = fold_title(title)
        code = next((c for w, c in self.title_totals if w in folded), None)
        return replace(self, total=code) if code else self

    def name_of(self, key: str) -> str | None:
        return dict(self.names).get(key)


@dataclass(frozen=True, slots=True)
class TableRules:
    """Every standard table, the column key of each printed header word, and the words a key drops."""

    tables: tuple[StandardTable, ...]
    column_keys: tuple[tuple[str, str], ...]  # folded spelling -> key
    drop: frozenset[str]
    parents: frozenset[str] = frozenset()  # words dropped when a column sits under them (本年支出/基本支出 -> 基本支出)

    def get(self, code: str) -> StandardTable | None:
        return next((t for t in self.tables if t.code == code), None)

    def recognise(self, title: str) -> StandardTable | None:
        """The standard table a printed title names, by its words; None for a table of another kind."""
        folded = fold_title(title)
        if not folded:
            return None
        best, score = None, 0
        for t in self.tables:
            if any(w in folded for w in t.exclude):
                continue
            for words in t.match:
                if all(w in folded for w in words):
                    s = sum(len(w) for w in words)
                    if s > score:
                        best, score = t, s
        return best

    def column_key(self, path: str, siblings: tuple[str, ...] = ()) -> str:
        """The normalised key of a column path: each part by its key, generic words dropped, '' for none left.

        `siblings` are the table's other column paths: a generic last word (决算数) stays when another column
        under the same parent differs in it (三公 tables print 预算数 and 决算数 side by side).
        """
        keys = dict(self.column_keys)
        parts = _parts(path, keys)
        out = [keys.get(p, p) for p in parts]
        if out and parts[-1] in self.drop:
            others = {sp[-1] for sp in (_parts(s, keys) for s in siblings if s != path)
                      if len(sp) > 1 and sp[:-1] == parts[:-1]}
            if not (others - {parts[-1]}) or len(parts) == 1:
                out = out[:-1]
        out = [o for i, o in enumerate(out) if (o not in self.drop and o not in self.parents) or i == len(out) - 1]
        return "/".join(out)


def _parts(path: str, keys: dict[str, str]) -> list[str]:
    """A column path's folded parts, stacked words rejoined, a measure printed over its items put last."""
    parts = _rejoin([_fold(p) for p in path.split("/") if p], keys)
    if len(parts) > 1 and keys.get(parts[0]) in MEASURES:
        # 预算数 / 决算数 printed over the items (预算数/因公出国(境)费) say what the item's figure is, as where
        # they are printed under them (因公出国(境)费/预算数): one key, the measure last
        parts = parts[1:] + parts[:1]
    return parts


def _rejoin(parts: list[str], keys: dict[str, str]) -> list[str]:
    """A header word a grid cut into stacked cells ('公务用车' / '运行维护' / '费') as one part, where the joined
    words are a column's known spelling."""
    out, i = [], 0
    while i < len(parts):
        j = next((j for j in range(len(parts), i + 1, -1) if "".join(parts[i:j]) in keys), i + 1)
        out.append("".join(parts[i:j]))
        i = j
    return out


def _fold(s: str) -> str:
    return re.sub(r"[\s\"“”'‘’]", "", s).replace("（", "(").replace("）", ")")


def fold_title(title: str) -> str:
    return TITLE_NOISE.sub("", title or "")


def _parse(data: dict, source: str) -> tuple[list[StandardTable], dict[str, str], set[str], set[str]]:
    tables = []
    for n, e in enumerate(data.get("table", [])):
        where = f"{source}: table #{n + 1}"
        try:
            code, name, kind = e["code"], e["name"], e["kind"]
            match = tuple(tuple(alt) for alt in e["match"])
        except (KeyError, TypeError):
            raise TablesFileError(f"{where}: needs code, name, kind and match") from None
        if kind not in KINDS:
            raise TablesFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if not match or not all(alt and all(isinstance(w, str) and w for w in alt) for alt in match):
            raise TablesFileError(f"{where}: match must be a list of lists of words")
        tables.append(StandardTable(code, name, kind, int(e.get("rank", 9)), match, tuple(e.get("exclude", ())),
                                    e.get("total"), bool(e.get("catalog_rows", False)),
                                    tuple(sorted((e.get("names") or {}).items())),
                                    tuple((e.get("total_by_title") or {}).items())))
    keys = {}
    for key, spellings in (data.get("columns") or {}).items():
        for s in (key, *spellings):
            keys[_fold(s)] = key
    drop = {_fold(w) for w in (data.get("drop") or {}).get("words", [])}
    parents = {_fold(w) for w in (data.get("drop") or {}).get("parents", [])}
    return tables, keys, drop, parents


def validate(rules: TableRules, source: str = "tables.toml") -> None:
    """Every catalog code a table names exists; else TablesFileError."""
    from yearwise.ingest.catalog import load_catalog

    catalog = load_catalog()
    named = {t.total for t in rules.tables if t.total} | {c for t in rules.tables for _, c in (*t.names, *t.title_totals)}
    unknown = sorted(c for c in named if catalog.get(c) is None)
    if unknown:
        raise TablesFileError(f"{source}: codes not in the catalog: {', '.join(unknown)}")


@lru_cache(maxsize=4)
def _load(paths: tuple[str, ...]) -> TableRules:
    tables: dict[str, StandardTable] = {}
    keys: dict[str, str] = {}
    drop: set[str] = set()
    parents: set[str] = set()
    for p in paths:
        data = read_toml(p)
        try:
            ts, ks, ds, ps = _parse(data, Path(p).name)
        except (AttributeError, TypeError, ValueError) as e:  # a table where a list belongs, rank = "first"
            if isinstance(e, RuleError):
                raise
            raise TablesFileError(f"{p}: an entry of the wrong shape ({e})") from None
        tables.update((t.code, t) for t in ts)
        keys.update(ks)
        drop |= ds
        parents |= ps
    rules = TableRules(tuple(tables.values()), tuple(keys.items()), frozenset(drop), frozenset(parents))
    validate(rules, ", ".join(Path(p).name for p in paths))
    return rules


def load_tables() -> TableRules:
    """The bundled standard tables plus any TOML files named in YEARWISE_TABLES."""
    extra = tuple(p for p in os.environ.get("YEARWISE_TABLES", "").split(os.pathsep) if p)
    return _load((str(BUNDLED), *extra))


def rank_sql(column: str = "table") -> str:
    """A SQL CASE giving each standard table its rank (a printed title that is no standard table after all)."""
    tables = load_tables().tables
    last = max((t.rank for t in tables), default=0) + 1
    whens = " ".join(f"WHEN '{t.code}' THEN {t.rank}" for t in tables)
    return f"CASE {column} {whens} ELSE {last} END"
