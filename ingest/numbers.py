"""Chinese report numbers: find and normalise the quantities that 部门决算/预算/绩效 reports state.

Everything here is pure (no I/O after import) and Decimal-based, never float.

- `parse_quantity(text)`: the whole (whitespace-stripped) string is one quantity ('26,667.28万元',
  '约5亿元', '三千万元', '两百'); anything else, trailing punctuation included, gives None.
- `scan(text)`: every quantity in a sentence, in order, non-overlapping, with spans into `text`;
  built to run on whole report sentences, so it skips years, dates, month ranges, document numbers,
  list markers, codes, phone numbers and PDF page footers ('— 8 —'), and takes Chinese numerals only
  when a unit follows them. Bare Arabic numbers are returned with kind 'bare' (or `default_unit`).
- `direction(word)`: +1 / -1 / 0 for a change word (增加, 下降, 持平 ...), from the `DIRECTIONS` table.
- `parse_change(text)`: the signed change a phrase states ('同比下降4.9%' -> -4.9 %).

Units come from ingest/data/units.csv (raw_unit, unit, kind, factor), loaded once at import into one
compiled candidate regex (longest raw unit first; multi-character units may be letter-spaced or
wrapped, '268 万 元', '307.82\n万元'). Decisions worth knowing:

- money -> 万元 (元 × 0.0001, 千元 × 0.1, 亿元 × 10000, 万亿元 × 10^8); percent -> percent number
  ('‰' / 10, '百分之五十' -> 50 %); '个百分点' -> kind 'points', unit '个百分点'.
- counts keep their base unit and take the multiplier into the value: 万人 -> 人 × 10000,
  亿人次 -> 人次 × 10^8 (not '人次' × 10000, which would understate it), 万平方米 -> 平方米 × 10000,
  千米 -> 公里, 個 -> 个; a bare 万 / 亿 after a number multiplies it and leaves kind 'bare'.
  Foreign currency (美元) is kind 'count': kind 'money' always means RMB in 万元.
- a number that inherits a unit from the next one ('4125.49,4143.91万元') gets that raw_unit too,
  while its span covers only the number; ranges ('2-3 次', '3-6岁') inherit the same way.
- `parse_change` on a no-change word ('持平', '无增减') returns value 0, unit '', kind 'bare', with
  raw_value and span set to the word itself.
- full-width digits, '．', '，', '％', '－' and '−' are read as their NFKC forms without rewriting the
  text, so spans index the caller's string and raw_value/raw_unit are exactly as written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from yearwise.ingest import numerals
from yearwise.ingest.rules import wording

__all__ = ["Quantity", "parse_quantity", "scan", "direction", "parse_change", "cn_to_int", "numeral_value",
           "UNITS", "DIRECTIONS", "RATE_WORDS"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number with its unit, normalised, plus what was written and where."""

    value: Decimal  # normalised: money in 万元, percent as percent number, counts in base unit
    unit: str  # '万元', '%', '个百分点', a count unit ('个', '人' ...) or '' when bare
    kind: str  # 'money' | 'percent' | 'points' | 'count' | 'bare'
    raw_value: str  # number as written ('26,667.28', '三千', '-5.2')
    raw_unit: str  # unit as written ('亿元', '万 元', '%', '')
    approximate: bool  # 余/多/超/近/约/逾/超过/将近/大约/左右 present
    start: int  # span in the scanned string: qualifier + number + unit
    end: int


# ---------------------------------------------------------------------------------------------
# unit table

_DATA = Path(__file__).with_name("data") / "units.csv"


def _load_units(path: Path) -> dict[str, tuple[str, str, Decimal]]:
    """raw_unit -> (unit, kind, factor), from the CSV table."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["raw_unit"]: (r["unit"], r["kind"], Decimal(r["factor"])) for r in csv.DictReader(fh)}


UNITS: dict[str, tuple[str, str, Decimal]] = _load_units(_DATA)

# a raw unit followed by one of these characters is the start of a word, not a unit
# ('项目支出', '人员经费', '部分', '十分', '元宇宙', '条件'); data, consulted while building the regex
_NOT_BEFORE = {
    "人": "员民大", "项": "目", "部": "分门署位长委级", "分": "之钟析别类配享局行工管解布期批段成子数值支散",
    "元": "宇素旦", "所": "属有在以得谓需", "场": "景地馆所面", "台": "账阶式", "条": "例件款",
    "处": "理置于在罚长室", "批": "复准示", "名": "称单义额次列", "家": "庭长属具", "座": "谈",
    "天": "然津", "个": "性体别人", "次": "序", "起": "草始步来点", "件": "数",
    "例": "如外", "份": "额", "张": "家", "倍": "增",
}


# a page footer ('— 8 —') the PDF text layer put inside a unit or between number and unit
_FOOTER = r"[—─–]\s*\d{1,3}\s*[—─–]"
_JOIN = rf"\s*(?:{_FOOTER}\s*)?"


def _unit_regex(raw: str) -> str:
    """One unit alternative: characters may be separated by whitespace or a footer; guarded by _NOT_BEFORE."""
    body = _JOIN.join(re.escape(c) for c in raw)
    bad = _NOT_BEFORE.get(raw[-1]) if len(raw) == 1 else None
    return body + (f"(?![{bad}])" if bad else "")


_UNIT_ALT = "|".join(_unit_regex(u) for u in sorted(UNITS, key=len, reverse=True))

# ---------------------------------------------------------------------------------------------
# Chinese numerals

# the digits and places are ingest/data/numerals.toml's (ingest/numerals.py), shared with the heading markers
_CN_DIGITS = numerals.DIGITS
_CN_SMALL = numerals.PLACES
_CN_BIG = numerals.BIG_PLACES
_CN_FIRST = numerals.FIRST
_CN_ALL = numerals.ALL
_CN_ZEROS = "".join(c for c, v in _CN_DIGITS.items() if v == 0)


# the longest numeral read as one: longer than any real amount (八千四百八十五亿三千二百一十六万五千四百三十二 is 22)
CN_MAX_LEN = 64
_PLACES = {**_CN_SMALL, **_CN_BIG}
_ARABIC_RUN = re.compile(r"\d+(?:[.．]\d+)?")


def numeral_value(s: str) -> Decimal | None:
    """Value of a numeral of Chinese digits and places, with Arabic numbers in place of digits allowed.

    '一亿五千万' 150000000, '1亿2千万' 120000000, '3.5万亿' 3.5e12, '两千零五十' 2050, '一百五' 150,
    '二〇二三' 2023 (positional), '1万2千' 12000. A place multiplies the number before it (1 when none);
    万 and 亿 also multiply every part of a lower place since the last larger one, so 万亿 is 10^12 and
    一亿五千万 is 1亿 + 5000万, never (1亿 + 5000) 万. None for anything else.
    """
    if not s:
        return None
    if not any(c in _PLACES for c in s):
        if all(c in _CN_DIGITS for c in s):
            return Decimal("".join(str(_CN_DIGITS[c]) for c in s))  # positional: 二〇二三
        return None
    parts: list[list] = []  # [value, place] in order, each place larger parts first
    digit: Decimal | None = None
    digit_cn = after_zero = False
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        m = _ARABIC_RUN.match(s, i) if "0" <= c <= "9" else None
        if m:
            if digit is not None and not (digit == 0 and digit_cn):
                return None  # two numbers in a row: '3五'
            after_zero = after_zero or digit is not None  # '1亿零500万'
            digit, digit_cn = Decimal(m.group().replace("．", ".")), False
            i = m.end()
            continue
        if c in _CN_DIGITS:
            if digit is not None and not (digit == 0 and digit_cn):
                return None  # '五五' inside a place numeral
            after_zero = after_zero or (digit == 0 and digit_cn) or (c in _CN_ZEROS)
            digit, digit_cn = Decimal(_CN_DIGITS[c]), True
            if c in _CN_ZEROS:
                after_zero = True
        elif c in _CN_SMALL:
            parts.append([(Decimal(1) if digit is None else digit) * _CN_SMALL[c], _CN_SMALL[c]])
            digit, after_zero = None, False
        elif c in _CN_BIG:
            u = _CN_BIG[c]
            v = digit or Decimal(0)
            while parts and parts[-1][1] < u:
                v += parts.pop()[0]
            if v == 0 and digit is None:
                v = Decimal(1)  # '万' alone after a larger place ('亿万') or at the start
            parts.append([v * u, u])
            digit, after_zero = None, False
        else:
            return None
        i += 1
    total = sum((v for v, _ in parts), Decimal(0))
    if digit is not None:
        last = parts[-1][1] if parts else 0
        # '一百五' is 150, '两万五' 25000, '1亿2' 1.2亿: a lone trailing digit counts in the next lower place;
        # after 零 ('一百零五') or when a number was written out ('1万2000') it is a plain number
        if last >= 10 and not after_zero and digit == digit.to_integral_value() and 0 < digit < 10:
            digit *= last // 10
        total += digit
    return total


def cn_to_int(s: str) -> int | None:
    """Value of a Chinese numeral ('一百零五' 105, '两百' 200, '三千万' 30000000, '二〇二三' 2023); None otherwise."""
    if not s or any("0" <= c <= "9" for c in s):
        return None
    v = numeral_value(s)
    return int(v) if v is not None else None


# ---------------------------------------------------------------------------------------------
# the candidate regex: one compiled pattern, skip-zones first, then quantities

# qualifiers before a number; the look-behinds keep words such as 节约 (saved), 最近 (recent) and
# 赶超 (catch up) from marking the number approximate
_QUAL_BEFORE = "大约|将近|超过|(?<![节制签预公条契合履违守])约|(?<![最附就亲])近|(?<![赶高])超|逾"
_NUM = r"\d+(?:[,，]\d{3}(?!\d))*(?:[.．]\d+)?"
# Arabic numbers between places: '1亿2千万', '1亿2000万', '3万5千'; a place must be followed by more digits, so
# '1亿元', '2千万元' and '1.2亿元' stay a number and a unit; '3千人', '5百名' (a small place before no unit
# that starts with it: 千米, 千克, 千瓦, 千元, 百万元 stay units)
_PLACE = "".join(_CN_SMALL) + "".join(_CN_BIG)
_MIX = (rf"\d+(?:[.．]\d+)?(?:(?:[{_PLACE}]+[{_CN_ZEROS}]?(?:\d+(?:[.．]\d+)?|[一二两三四五六七八九]))+[{_PLACE}]*"
        r"|[十百千拾佰仟](?![米克瓦元万萬亿億十百千拾佰仟\d]))")
_LATIN = "A-Za-zＡ-Ｚａ-ｚ_"
_Q = (
    rf"(?:(?P<pre>{_QUAL_BEFORE})\s*)?"
    r"(?P<pct>百分之)?"
    rf"(?<![\d{_LATIN}.．])"
    rf"(?:(?P<sign>[-−－])?(?P<num>{_MIX}|{_NUM})(?![\d{_LATIN}]|[.．]\d)|(?P<cn>[{_CN_FIRST}][{_CN_ALL}]{{0,{CN_MAX_LEN - 1}}}))"
    r"(?P<mid>余|多)?"
    # '1万余人': 万/亿, then 余/多, then the unit
    rf"(?:{_JOIN}(?:(?P<mult>[万萬亿億])(?P<mid2>余|多)(?P<unit2>{_UNIT_ALT})|(?P<unit>{_UNIT_ALT})))?"
    r"(?P<post>\s*左右)?"
)
_YEAR = r"(?:1[89]|20)\d\d"
_SKIP = (
    # document numbers: 〔2019〕47号, [2009]13号, (2023)2号, （2023）
    rf"[〔\[(（【［]\s*{_YEAR}\s*[〕\])）】］](?:\s*第?\s*\d+\s*号)?"
    # year ranges 2019-2023, dates 2023-09-13, 2023/9/13, 2023.9.13, year-month 2023-09
    rf"|(?<![\d.]){_YEAR}\s*[-~～至—–]+\s*{_YEAR}(?!\d)"
    rf"|(?<![\d.]){_YEAR}(?P<dsep>[-/.])\d{{1,2}}(?P=dsep)\d{{1,2}}(?!\d)"
    rf"|(?<![\d.]){_YEAR}[-/](?:0?[1-9]|1[0-2])(?![\d.%])"
    # month/day ranges: 1-8月, 1至8月, 1-15日
    r"|(?<![\d.])\d{1,2}\s*[-~～至—–]\s*\d{1,2}\s*[月日号]"
    # page footers from PDF text layers: '— 8 —', '─ 9 ─', '- 12 -'
    r"|[—─–]\s*\d{1,3}\s*[—─–]|(?<![\d.])-\s+\d{1,3}\s+-(?!\s*\d)"
    # phone numbers and clock times
    r"|(?<![\d.])0\d{2,3}-\d{7,8}(?!\d)|(?<![\d.])[48]00-?\d{3}-?\d{4}(?!\d)"
    r"|(?<![\d.])1[3-9]\d{9}(?!\d)|(?<![\d.])\d{1,2}:\d\d(?!\d)"
)
# scan() never takes a bare Chinese numeral, so its pattern only stops at one that a unit follows:
# without this look-ahead every 一 of 一般/统一 became a candidate and scan ran at a third of the speed
_CN_WITH_UNIT = rf"(?=[{_CN_ALL}]{{0,{CN_MAX_LEN - 2}}}(?:余|多)?{_JOIN}(?:[万萬亿億](?:余|多)?)?(?:{_UNIT_ALT}))"
_CN_BRANCH = f"(?P<cn>[{_CN_FIRST}][{_CN_ALL}]{{0,{CN_MAX_LEN - 1}}})"
assert _CN_BRANCH in _Q
# every candidate starts with one of these characters; testing it first skips the costly alternation
# at all other positions (9x faster over a report)
_FIRST_CHARS = rf"[\d〔\[(（【［—─–\-−－大将超近约逾百{_CN_FIRST}]"
_CANDIDATES = re.compile(
    f"(?={_FIRST_CHARS})(?:(?P<skip>{_SKIP})|"
    + _Q.replace(_CN_BRANCH, f"(?P<cn>[{_CN_FIRST}]{_CN_WITH_UNIT}[{_CN_ALL}]{{0,{CN_MAX_LEN - 1}}})", 1)
    + ")"
)
_ONE = re.compile(_Q)

_NUMFOLD = str.maketrans({"，": "", ",": "", "．": ".", "−": "-", "－": "-"})
_UNITFOLD = str.maketrans({"％": "%", "﹪": "%", " ": "", "\t": "", "\n": "", "\r": "", "\u3000": ""})
_FOOTER_RE = re.compile(_FOOTER)
_AFTER_DATE = re.compile(r"\s*(?:[年月日号時时]|周年)")
_CLAUSE_START = set("\n\r。；;：:，,|!?！？")
_LIST_SEP = re.compile(r"\s*[,，、和及~～至\-]\s*")
_PHONE_WORDS = ("电话", "传真", "热线", "联系", "手机", "Tel", "TEL", "tel")
# a Chinese numeral after these is an ordinal, a weekday or a slogan's name ('第一', '“两个覆盖”')
_CN_BEFORE_BAD = ("第", "周", "初", "星期", "礼拜", "“", '"', "「", "『", "《", "‘")
# fixed words where a numeral + unit-character is not a quantity ('十分重要', '一批项目', '一次性')
_FIXED = re.compile(
    "十分|一次性|一批|一些|一部分|千家万户|万家灯火|一件事|一起|一张图|一张网|一张蓝图|一条龙|一站式|"
    "一个中心|一般|一是|统一|一体化|进一步|唯一|万一|一次办|一处理|一天天|一场景|一台账|一分钱|"
    "一名单|三公|八项规定"
)
# units a Chinese numeral does not count with: '公诉一处、二处' names divisions
_CN_UNIT_BAD = frozenset({"处", "處"})
# '十三届全国人大二次会议', '一次会议': an ordinal session, not a count
_CN_ORDINAL_AFTER = re.compile(r"次\s*(?:会议|全会|全体会议|党代会|代表大会)")
_PERCENT = UNITS["%"]


def _scale(d: Decimal, factor: Decimal) -> Decimal:
    """d × factor, written plainly ('1.18' × 10000 -> 11800, not 11800.00 or 1.18E+4)."""
    v = d * factor
    if v == v.to_integral_value():
        return v.quantize(Decimal(1))
    return v.normalize()


def _default(default_unit: str | None) -> tuple[str, str, Decimal] | None:
    """The (unit, kind, factor) a bare number takes from `default_unit` (unknown names count as-is)."""
    if default_unit is None:
        return None
    info = UNITS.get(default_unit)
    return info if info is not None else (default_unit, "count", Decimal(1))


def _lookup(raw_unit: str) -> tuple[str, str, Decimal]:
    """(unit, kind, factor) of a unit as written: spaces, full-width % and page footers removed."""
    key = raw_unit.translate(_UNITFOLD)
    return UNITS.get(key) or UNITS[_FOOTER_RE.sub("", key)]


def _build(text: str, m: re.Match, allow_bare_cn: bool) -> list | None:
    """A raw candidate [start, end, raw_value, number, raw_unit, (unit, kind, factor) | None, approx, marker]."""
    num = m.group("num")
    raw_unit = m.group("unit")
    pct = m.group("pct")
    if num is not None:
        raw_value = num if m.group("sign") is None else m.group("sign") + num
        if any(c in _PLACES for c in num):  # '1亿2千万'
            d = numeral_value(num.translate(_NUMFOLD))
            if d is None:
                return None
            if m.group("sign") is not None:
                d = -d
        else:
            d = Decimal(raw_value.translate(_NUMFOLD))
    else:
        raw_value = m.group("cn")
        if (raw_unit is not None and raw_value[-1] in "万亿萬億" and len(raw_value) > 1 and m.group("mid") is None
                and not any(c in _CN_BIG for c in raw_value[:-1])):
            joined = raw_value[-1] + raw_unit  # '三千万'+'元' reads as '三千'+'万元' (not '一亿五千'+'万元')
            if joined in UNITS:
                raw_value, raw_unit = raw_value[:-1], joined
        d = numeral_value(raw_value)
        if d is None:
            return None
    if pct is not None:
        info = _PERCENT
        raw_unit = pct
    elif raw_unit is not None:
        info = _lookup(raw_unit)
    elif m.group("unit2") is not None:
        unit, kind, factor = _lookup(m.group("unit2"))
        info = (unit, kind, factor * UNITS[m.group("mult")][2])
        raw_unit = text[m.start("mult") : m.end("unit2")]
    else:
        info = None
        raw_unit = ""
    if num is None and not allow_bare_cn and (info is None or info[1] == "bare"):
        return None
    approx = (m.group("pre") is not None or m.group("mid") is not None or m.group("post") is not None
              or m.group("mid2") is not None)
    return [m.start(), m.end(), raw_value, d, raw_unit, info, approx, False]


def _quantity(c: list) -> Quantity:
    """The frozen Quantity of a raw candidate."""
    info = c[5]
    if info is None:
        return Quantity(c[3], "", "bare", c[2], c[4], c[6], c[0], c[1])
    unit, kind, factor = info
    value = c[3] if factor == 1 else _scale(c[3], factor)
    return Quantity(value, unit, kind, c[2], c[4], c[6], c[0], c[1])


def parse_quantity(text: str, default_unit: str | None = None) -> Quantity | None:
    """The one quantity the whole (stripped) string states, or None; bare Chinese numerals allowed."""
    hi = len(text.rstrip())
    lo = hi - len(text[:hi].lstrip())
    m = _ONE.fullmatch(text, lo, hi)
    if m is None:
        return None
    c = _build(text, m, True)
    if c is None:
        return None
    if c[5] is None:
        c[5] = _default(default_unit)
    elif c[5][1] == "bare" and (unit := _default(default_unit)) is not None:
        u, k, f = unit
        c[5] = (u, k, c[5][2] * f)
    return _quantity(c)


def _prev_char(text: str, i: int) -> str:
    """The character before position i, skipping spaces and tabs ('' at the start)."""
    i -= 1
    while i >= 0 and text[i] in " \t\u3000":
        i -= 1
    return text[i] if i >= 0 else ""


def scan(text: str, default_unit: str | None = None) -> list[Quantity]:
    """Every quantity in `text`, in order, non-overlapping; skips years, dates, codes and list markers."""
    found: list[list] = []
    n = len(text)
    for m in _CANDIDATES.finditer(text):
        if m.start("skip") >= 0:
            continue
        c = _build(text, m, False)
        if c is None:
            continue
        ns = m.start("num") if m.start("num") >= 0 else m.start("cn")
        if m.start("sign") >= 0:
            ns = m.start("sign")
        if m.start("sign") >= 0 and found and found[-1][1] == ns:
            # '5%-10%', '5万元-10万元': the dash right after a quantity joins a range, it is no sign
            c[0], c[2], c[3] = max(c[0], ns + 1), c[2][1:], -c[3]
            ns += 1
        before = _prev_char(text, ns)
        if before == "第":
            continue
        if c[5] is None:
            if m.group("mid") is None and m.group("pre") is None:
                e = m.end()
                nxt = text[e] if e < n else ""
                if _AFTER_DATE.match(text, e) and m.group("num") and m.group("num").isdigit():
                    continue  # 2023年, 2023 年度, 6月, 47号 (a decimal before 年末 is a value: '49.14 年末结转')
                if nxt and nxt in ")）" and before and before in "(（":
                    continue  # (1)
                if nxt and nxt in ".．、)）" and (before == "" or before in _CLAUSE_START):
                    if nxt != "、":
                        continue  # 1. 1．  1)
                    c[7] = True  # 1、 : a list marker unless it inherits a unit ('1、2万元')
                raw = c[2]
                if len(raw) >= 7 and raw.isdigit():
                    if raw[0] == "0" or (len(raw) == 11 and raw[0] == "1") or any(
                        w in text[max(0, ns - 8) : ns] for w in _PHONE_WORDS
                    ):
                        continue
        elif m.start("cn") >= 0:
            s = m.start("cn")
            if text.endswith(_CN_BEFORE_BAD, 0, s):
                continue
            if s and text[s - 1] in _CN_ALL and (text[s - 1] != "一" or (s > 1 and text[s - 2] in _CN_ALL)):
                continue  # the tail of a numeral longer than CN_MAX_LEN (统一三千万元 still reads 三千万元)
            bad = c[5] is not None and (
                c[5][0] in _CN_UNIT_BAD
                or (c[5][0] == "次" and c[2] != "两" and _CN_ORDINAL_AFTER.match(text, m.end() - 1))
            )
            for f in _FIXED.finditer(text, max(0, s - 3), min(n, m.end() + 3)):
                if f.start() < m.end() and f.end() > s:
                    bad = True
                    break
            if bad:
                continue
        found.append(c)
    # list-unit inheritance, right to left: 'A、B万元', 'A,B%', '3-6岁'
    for i in range(len(found) - 2, -1, -1):
        c = found[i]
        if c[5] is None:
            nx = found[i + 1]
            if nx[5] is not None and nx[5][1] != "bare" and nx[4] and _LIST_SEP.fullmatch(text, c[1], nx[0]):
                c[5] = nx[5]
                c[4] = nx[4]
                c[7] = False
    dflt = _default(default_unit)
    out = []
    for c in found:
        if c[7]:
            continue
        if c[5] is None:
            c[5] = dflt
        out.append(_quantity(c))
    return out


# ---------------------------------------------------------------------------------------------
# changes

# change words and their signs, and the rate words among them, from ingest/data/wording.toml (one vocabulary
# with the extractor's change verbs)
DIRECTIONS: dict[str, int] = {w: c.sign for w, c in wording().change_words.items()}
# words that state a rate: a unit-less number after them is a percent ('增长 13.95。')
RATE_WORDS = frozenset(w for w, c in wording().change_words.items() if c.rate)

_DIR_RE = re.compile(
    "(?P<w>" + "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(DIRECTIONS, key=len, reverse=True)) + ")"
    r"(?:[（(][^）)\n]{1,8}[）)])?"  # template residue: '下降（增长）27.78%' reads the first word
    r"\s*(?:了\s*)?"
    r"(?P<be>[为為]\s*)?"  # '增幅为13%' (kept only after rate nouns: '增加为' states a new level)
)
_WS = str.maketrans("", "", " \t\r\n\u3000")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_PAGE_NUMBER_GAP = re.compile(r"[ \t]*[\r\n]+\s*")


def direction(word: str) -> int | None:
    """+1 / -1 / 0 for a change word ('增加', '下降', '持平'); '增加（减少）' reads the first word; else None."""
    w = _PAREN.sub("", word.translate(_WS))
    if w.endswith("了"):
        w = w[:-1]
    return DIRECTIONS.get(w)


def parse_change(text: str) -> Quantity | None:
    """The signed change a phrase states: the first change word followed by a number (or 持平/无增减 -> 0)."""
    for m in _DIR_RE.finditer(text):
        word = m.group("w").translate(_WS)
        sign = DIRECTIONS[word]
        if m.group("be") and word[-1] not in "幅率速":
            continue
        if sign == 0:
            q = _ONE.match(text, m.end())
            if q is None or q.start() != m.end():
                return Quantity(Decimal(0), "", "bare", m.group("w"), "", False, m.start("w"), m.end("w"))
        q = _ONE.match(text, m.end())
        if q is None:
            continue
        c = _build(text, q, False)
        if c is None:
            continue
        if c[5] is None:
            # '增长4\n17.31%': a page number from the footer sits between the verb and the rate
            gap = _PAGE_NUMBER_GAP.match(text, q.end())
            nxt = _ONE.match(text, gap.end()) if gap else None
            if nxt is not None and nxt.group("unit"):
                c2 = _build(text, nxt, False)
                if c2 is not None and c2[5] is not None:
                    c = c2
        if c[5] is None and word in RATE_WORDS:
            c[5] = _PERCENT  # the % was forgotten
        qty = _quantity(c)
        v = qty.value
        if sign < 0:
            v = -abs(v)
        elif sign == 0:
            v = Decimal(0)
        if v is not qty.value:
            qty = Quantity(v, qty.unit, qty.kind, qty.raw_value, qty.raw_unit, qty.approximate, qty.start, qty.end)
        return qty
    return None
