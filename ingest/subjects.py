"""Classification codes (政府收支分类科目) as data (ingest/data/subjects.csv): system, level and 类 names by year.

A code's first digit says its system (2 功能分类, 3 部门经济分类, 5 政府经济分类, 1 收入), its length its level
(类 3 digits, 款 5, 项 7). Codes are the key that makes table rows comparable across departments and years.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BUNDLED = Path(__file__).parent / "data" / "subjects.csv"
LEVELS = {3: "类", 5: "款", 7: "项"}
# indicator prefix of each system: func.2080501, econ.30101 / econ.50101, income.103
PREFIX = {"功能分类": "func", "部门经济分类": "econ", "政府经济分类": "econ", "收入": "income"}
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# an ordinal before a printed name: 一、 / 1. / (一) / 其中：
ORDINAL = re.compile(r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[(（][一二三四五六七八九十\d]+[)）]、?)\s*")


@dataclass(frozen=True, slots=True)
class Subject:
    """One classification code: its system, level, and the 类 name the data file gives it (if any)."""

    code: str
    system: str
    level: str
    name: str = ""

    @property
    def indicator(self) -> str:
        return f"{PREFIX[self.system]}.{self.code}"

    @property
    def parent(self) -> str | None:
        return self.code[:-2] if len(self.code) > 3 else None


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    with open(BUNDLED, encoding="utf-8", newline="") as f:
        return tuple(r for r in csv.DictReader(line for line in f if not line.startswith("#")))


@lru_cache(maxsize=1)
def _systems() -> dict[str, str]:
    return {r["code"]: r["system"] for r in _rows() if len(r["code"]) == 1}


@lru_cache(maxsize=1)
def _names() -> dict[str, list[tuple[str, int | None, int | None]]]:
    """Every named code of the data file (类, and the 部门经济分类 款): its names with their years."""
    out: dict[str, list] = {}
    for r in _rows():
        if len(r["code"]) >= 3:
            out.setdefault(r["code"], []).append(
                (r["name"], int(r["from_year"]) if r["from_year"] else None, int(r["to_year"]) if r["to_year"] else None))
    return out


@lru_cache(maxsize=1)
def _class_names() -> dict[str, list[tuple[str, int | None, int | None]]]:
    return {code: names for code, names in _names().items() if len(code) == 3}


def _in_years(year: int | None, start: int | None, end: int | None) -> bool:
    return year is None or ((start is None or year >= start) and (end is None or year <= end))


def subject(code: str, year: int | None = None) -> Subject | None:
    """The subject of a printed code (`2080501`), or None when it is not a classification code."""
    if not CODE.match(code or ""):
        return None
    system = _systems().get(code[0])
    if system is None or (system != "功能分类" and len(code) == 7):
        return None
    names = _names().get(code, [])
    name = next((n for n, a, b in names if _in_years(year, a, b)), names[0][0] if names else "")
    return Subject(code, system, LEVELS[len(code)], name)


@lru_cache(maxsize=1)
def _by_class_name() -> dict[str, str]:
    return {name: code for code, names in _class_names().items() for name, _, _ in names
            if code[0] == "2"}


def function_class(label: str) -> str | None:
    """The 功能分类 类 code a printed label names (一、一般公共服务支出 -> 201), for rows printed without a code."""
    return _by_class_name().get(ORDINAL.sub("", label).strip())


def function_class_in_year(name: str, year: int | None) -> str | None:
    """The 功能分类 类 code a printed 类 name has in a year, with or without its closing 支出 (社会保障和就业 and
    社会保障和就业支出 -> 208; a class the Ministry of Finance renamed answers to its name of that year)."""
    plain = re.sub(r"支出$", "", re.sub(r"\s+", "", name))
    found = {code for code, names in _class_names().items() if code[0] == "2"
             for n, a, b in names if re.sub(r"支出$", "", n) == plain and _in_years(year, a, b)}
    return found.pop() if len(found) == 1 else None


_BRACKETS = str.maketrans("（）", "()")


def _plain(name: str) -> str:
    return re.sub(r"\s+", "", name).translate(_BRACKETS)


def economic_code(name: str, level: str, year: int | None, within: str | None = None) -> str | None:
    """The 部门经济分类 code a prose line's name and level mark print ('邮电费', 款, 2017 -> 30207; '商品和服务支出',
    类 -> 302; 住房公积金 款 is 30311 up to 2017, 30113 from 2018), among the children of `within` (a 类 code stated
    above the line) when given. None when no code, or more than one, has that name, or a 功能分类 类 has it too
    (其他支出)."""
    digits = {"类": 3, "款": 5}.get(level)
    plain = _plain(name)
    if digits is None or not plain:
        return None
    if level == "类" and any(_plain(n) in (plain, plain + "支出") for names in (_class_names().get(c, []) for c in
                                                                              _by_class_name().values())
                            for n, _, _ in names):
        return None
    found = set()
    for want in (plain, re.sub("支出$", "", plain)):  # 对个人和家庭的补助支出(类) is 303 对个人和家庭的补助
        for code, names in _names().items():
            if code[0] == "3" and len(code) == digits and (within is None or code.startswith(within)) \
                    and any(_plain(n) == want and _in_years(year, a, b) for n, a, b in names):
                found.add(code)
        if found:
            break
    return found.pop() if len(found) == 1 else None


def all_subjects() -> list[tuple[str, str, str, str, int | None, int | None]]:
    """(code, system, level, name, from_year, to_year) of every row of the data file: the warehouse's seed."""
    out = []
    for r in _rows():
        if len(r["code"]) < 3:
            continue
        out.append((r["code"], r["system"], r["level"], r["name"], int(r["from_year"]) if r["from_year"] else None,
                    int(r["to_year"]) if r["to_year"] else None))
    return out


def system_sql(column: str = "code") -> str:
    """A SQL CASE giving a code's system by its first digit, from the data file (the warehouse's subject view)."""
    whens = " ".join(f"WHEN '{d}' THEN '{system}'" for d, system in sorted(_systems().items()))
    return f"CASE left({column}, 1) {whens} END"


def level_sql(column: str = "code") -> str:
    """A SQL CASE giving a code's level (类/款/项) by its length."""
    whens = " ".join(f"WHEN {n} THEN '{level}'" for n, level in LEVELS.items())
    return f"CASE length({column}) {whens} END"
