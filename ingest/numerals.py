"""Chinese numerals as one vocabulary (ingest/data/numerals.toml): digits, places, and the heading markers made of them.

The number parser (numbers.py) reads amounts with DIGITS, PLACES and BIG_PLACES; the outline, the text view, the
metadata and the PDF reader find headings with the markers below, all written with the same ordinal characters.
"""

from __future__ import annotations

from types import MappingProxyType

from yearwise.ingest.rules import DATA, RuleError, read_toml

FILE = DATA / "numerals.toml"


def _values(raw: dict, key: str) -> MappingProxyType:
    table = raw.get(key)
    if not isinstance(table, dict) or not table or not all(
            len(c) == 1 and isinstance(v, int) and not isinstance(v, bool) and v >= 0 for c, v in table.items()):
        raise RuleError(f"{FILE}: [{key}] must map single characters to whole numbers")
    return MappingProxyType(dict(table))


_RAW = read_toml(FILE)
DIGITS = _values(_RAW, "digits")  # 一 1, 两 2, 壹 1, 〇 0 …
PLACES = _values(_RAW, "places")  # 十 10, 百 100, 千 1000 (and their 大写 forms)
BIG_PLACES = _values(_RAW, "big_places")  # 万 10^4, 亿 10^8
ORDINAL = _RAW.get("headings", {}).get("ordinal", "")
if not isinstance(ORDINAL, str) or not ORDINAL or any(c not in DIGITS and c not in PLACES for c in ORDINAL):
    raise RuleError(f"{FILE}: headings.ordinal must be a string of digits and places")

# a numeral opens with a digit or a ten (十五); any digit or place continues it
FIRST = "".join(DIGITS) + "".join(c for c, v in PLACES.items() if v == 10)
ALL = "".join(DIGITS) + "".join(PLACES) + "".join(BIG_PLACES)

# heading markers, by outline level: 第二部分/第三章 (1), 十二、 (2), (三) (3); Arabic ones (4, 5) are the outline's
PART = rf"第[{ORDINAL}\d]+(?:部分|章)"
LISTED = rf"[{ORDINAL}]+、"
BRACKETED = rf"[(（][{ORDINAL}]+[)）]"
