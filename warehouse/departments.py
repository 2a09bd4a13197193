"""Department names: one canonical spelling per department, every spelling seen kept as an alias.

Reports name the same bureau differently across years (traditional characters, 和/与/及, 管委会 for
管理委员会, stray spaces); folding them keeps a department's years on one time series.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from yearwise.warehouse.schema import first_row

# (pattern, replacement) applied in order to the simplified, space-free name. Small on purpose:
# add a row when two spellings of one body are found in the wild.
ALIAS_FOLDS: tuple[tuple[str, str], ...] = (
    # 规划与自然资源局 / 规划及自然资源局 -> 规划和自然资源局: a conjunction between two nouns of the name
    # (not the 以 of 以及, and only between Chinese characters)
    (r"(?<=[\u4e00-\u9fff])(?<!以)[与及](?=[\u4e00-\u9fff])", "和"),
    # 中国共产党江苏省委员会办公厅 / 中共江苏省委办公厅 -> 江苏省委办公厅: the party's organs are named both ways
    (r"^中国共产党", "中共"),
    (r"^中共(.{2,12}?[省市区县])委员会(?=.)", r"中共\1委"),
    (r"^中共(?=.{2,12}?[省市区县]委.)", ""),
    # 江苏省人民代表大会常务委员会办公厅 / 江苏省人大常委会办公厅 / 江苏省人大办公厅: the standing committee's office
    # is the 人大's only 办公厅, and both are written short as often as in full
    (r"人民代表大会常务委员会", "人大常委会"),
    (r"(?<=[省市区县])人大办公厅$", "人大常委会办公厅"),
    # 中国人民政治协商会议江苏省委员会办公厅 / 江苏省政协办公厅
    (r"^中国人民政治协商会议(.{2,12}?[省市区县])委员会", r"\1政协"),
    (r"管委会$", "管理委员会"),
    (r"管委会(?=[\u4e00-\u9fff])", "管理委员会"),
)

# the kind of body, from the end of its name (longest first)
KINDS: tuple[tuple[str, str], ...] = (
    ("管理委员会", "committee"), ("委员会", "committee"), ("办公室", "office"), ("人民政府", "government"),
    ("中心", "centre"), ("局", "bureau"), ("厅", "department"), ("委", "committee"), ("院", "institute"),
    ("处", "office"), ("所", "institute"), ("站", "station"), ("队", "team"), ("会", "association"),
    ("部", "department"), ("馆", "venue"), ("校", "school"), ("学", "school"),
)

_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_AUTONOMOUS = ("内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
               "香港特别行政区", "澳门特别行政区")
_PROVINCE = r"(?:[\u4e00-\u9fff]{2,3}省|" + "|".join(_AUTONOMOUS) + ")"
_CITY = r"(?:[\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟))"
_COUNTY = r"(?:[\u4e00-\u9fff]{1,4}?(?:新区|区|县|自治县|旗|市))"
_REGION = re.compile(
    "^(?:"
    f"(?:{'|'.join(_MUNICIPALITIES)}){_COUNTY}?"
    f"|{_PROVINCE}(?:{_CITY}{_COUNTY}?)?"
    f"|{_CITY}{_COUNTY}?"
    ")"
)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplify(name: str) -> str:
    """NFKC, traditional -> simplified, all whitespace removed."""
    s = unicodedata.normalize("NFKC", name)
    s = "".join(s.split())
    return _t2s().convert(s)


@lru_cache(maxsize=4096)
def canonical_department(name: str) -> str:
    """The canonical spelling of a department name: simplified, space-free, with ALIAS_FOLDS applied."""
    s = simplify(name)
    for pattern, repl in ALIAS_FOLDS:
        s = re.sub(pattern, repl, s)
    return s


def region_of(name: str) -> str | None:
    """The region a department name starts with ('上海市普陀区', '北京市朝阳区', '江苏省'), else None."""
    s = simplify(name)
    m = _REGION.match(s)
    if not m or m.end() >= len(s):
        return None
    return m.group()


def kind_of(name: str) -> str | None:
    """The kind of body (bureau, committee, office ...) from the end of the name, else None."""
    s = canonical_department(name)
    for suffix, kind in KINDS:
        if s.endswith(suffix):
            return kind
    return None


def department_id(con, name: str | None, *, region: str | None = None) -> int | None:
    """The id of the department `name` denotes, creating it and recording `name` as an alias if new.

    Looks up the spelling itself, then its canonical form, in department_alias; call inside the load transaction.
    """
    if not name or not name.strip():
        return None
    canonical = canonical_department(name)
    row = first_row(con,
        "SELECT department_id FROM department_alias WHERE alias IN (?, ?) "
        "ORDER BY alias = ? DESC LIMIT 1", [name, canonical, name])
    if row is None:
        row = first_row(con, "SELECT department_id FROM department WHERE name = ?", [canonical])
    if row is None:
        row = first_row(con,
            "INSERT INTO department (name, region, kind) VALUES (?, ?, ?) RETURNING department_id",
            [canonical, region or region_of(canonical), kind_of(canonical)])
    elif region:
        con.execute("UPDATE department SET region = ? WHERE department_id = ? AND region IS NULL", [region, row[0]])
    dep = row[0]
    con.execute("INSERT INTO department_alias (alias, department_id) VALUES (?, ?), (?, ?) "
                "ON CONFLICT (alias) DO NOTHING", [name, dep, canonical, dep])
    return dep


def add_alias(con, alias: str, department: str) -> int:
    """Record `alias` as another name of `department` (merging names the folds cannot know are one body)."""
    dep = department_id(con, department)
    if dep is None:
        raise ValueError(f"not a department name: {department!r}")
    con.execute("INSERT INTO department_alias (alias, department_id) VALUES (?, ?) "
                "ON CONFLICT (alias) DO UPDATE SET department_id = excluded.department_id", [alias, dep])
    return dep


_PROVINCE_START = re.compile(f"^(?:{'|'.join(_MUNICIPALITIES)}|{_PROVINCE})")


def province_of(region: str | None) -> str | None:
    """The provincial-level division a region starts with ('上海市普陀区' -> '上海市', '江苏省南京市' -> '江苏省'),
    else None (a bare city or district does not say its province)."""
    m = _PROVINCE_START.match(region or "")
    return m.group() if m else None
