"""The indicator catalog: codes, Chinese names and synonyms, read from a CSV a user can extend.

The bundled table is `ingest/data/indicators.csv`; extra rows come from the CSV files named in the
environment variable YEARWISE_CATALOG (os.pathsep-separated). A later row with the same code
replaces the earlier one, so a user can rename or add synonyms without touching code.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BUNDLED = Path(__file__).parent / "data" / "indicators.csv"
UNITS = {"money": "万元", "percent": "%", "score": "分", "count": ""}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One catalog row."""

    code: str
    name: str
    synonyms: tuple[str, ...]
    unit_kind: str  # money | percent | score | count
    category: str
    additive: bool

    @property
    def unit(self) -> str:
        return UNITS.get(self.unit_kind, "")


class Catalog:
    """Indicators by code, and a matcher from a report's wording to an indicator."""

    def __init__(self, indicators: list[Indicator]):
        self.by_code = {i.code: i for i in indicators}
        self._by_synonym: dict[str, Indicator] = {}
        for ind in self.by_code.values():
            for s in (ind.name, *ind.synonyms):
                self._by_synonym.setdefault(fold(s), ind)
        alternatives = sorted(self._by_synonym, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives)))

    def __iter__(self):
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def get(self, code: str) -> Indicator | None:
        return self.by_code.get(code)

    def matches(self, label: str) -> list[tuple[int, int, Indicator]]:
        """Every synonym found in `label`, left to right, longest first at each place."""
        folded = fold(label)
        return [(m.start(), m.end(), self._by_synonym[m.group()]) for m in self._pattern.finditer(folded)]

    def exact(self, label: str) -> Indicator | None:
        """The indicator one of whose names is the whole label (a table row: 本年收入合计), else None."""
        return self._by_synonym.get(fold(label))

    def match(self, label: str, unit_kind: str | None = None) -> Indicator | None:
        """The indicator whose synonym ends last in `label` (the words nearest the number).

        With `unit_kind`, only indicators measured in that kind qualify (a count of 项目支出 is not money).
        """
        best = None
        for _, end, ind in self.matches(label):
            if unit_kind and not compatible(ind.unit_kind, unit_kind):
                continue
            if best is None or end >= best[0]:
                best = (end, ind)
        return best[1] if best else None


def compatible(indicator_kind: str, quantity_kind: str) -> bool:
    """Whether a quantity of `quantity_kind` (money, percent, count, bare, points) can measure the indicator."""
    if quantity_kind == "bare":
        return True
    if indicator_kind == "score":
        return quantity_kind in ("count", "score")
    return indicator_kind == quantity_kind


_FOLD = str.maketrans("", "", '"“” 、')


def fold(s: str) -> str:
    """Match without caring for quotes, spaces and the 、 of 收、支总计 that the reports sprinkle in names."""
    return s.translate(_FOLD)


def _read(path: Path) -> list[Indicator]:
    """The rows of a catalog CSV; RuleError (one line naming the file) when it cannot be read as one."""
    from yearwise.ingest.rules import RuleError

    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if not {"code", "name"} <= set(reader.fieldnames or ()):
                raise RuleError(f"{path}: a catalog CSV needs a header row with the columns code and name")
            rows = [row for row in reader if (row.get("code") or "").strip()]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        cause = e.strerror if isinstance(e, OSError) and e.strerror else e
        raise RuleError(" ".join(f"{path}: {cause}".split())) from None
    nameless = [row["code"] for row in rows if not (row.get("name") or "").strip()]
    if nameless:
        raise RuleError(f"{path}: rows without a name: {', '.join(nameless[:5])}")
    return [
        Indicator(
            code=row["code"].strip(),
            name=row["name"].strip(),
            synonyms=tuple(s.strip() for s in (row.get("synonyms") or "").split("|") if s.strip()),
            unit_kind=(row.get("unit_kind") or "money").strip(),
            category=(row.get("category") or row["code"].split(".")[0]).strip(),
            additive=(row.get("additive") or "").strip().lower() in ("true", "1", "yes"),
        )
        for row in rows
    ]


@lru_cache(maxsize=4)
def _load(extra: tuple[str, ...]) -> Catalog:
    rows = _read(BUNDLED)
    for p in extra:
        rows += _read(Path(p))
    return Catalog(rows)


def load_catalog() -> Catalog:
    """The bundled catalog plus any user CSVs named in YEARWISE_CATALOG."""
    extra = tuple(p for p in os.environ.get("YEARWISE_CATALOG", "").split(os.pathsep) if p)
    return _load(extra)


def indicator_name(code: str) -> str:
    """The Chinese name of a code; descriptive codes (`output.支持项目`) name themselves."""
    ind = load_catalog().get(code)
    if ind:
        return ind.name
    return code.split(".", 1)[-1]
