"""Prose that names a 功能分类 subject by its printed path takes the subject's code, as the tables' rows do.

'一般公共服务(类)党委办公厅(室)及相关机构事务(款)行政运行(项)支出 8,072.29 万元' and, in a 决算's 情况说明,
'12、城乡社区支出(类)城乡社区管理事务(款)行政运行(项)。主要用于:…年初预算为1,115.48万元,支出决算为1,092.80万元'
state the figures the report's tables print on the row 2013101 / 2120101. The walk names them by their words
(item.党委办公厅(室)及相关机构事务行政运行支出, item.城乡社区管理事务行政运行.final); here they become func.2013101 and
func.2120101 (an aspect other than the final figure kept: func.2120101.initial_budget), so one quantity has one name
across the prose and the tables, across departments and years.

A 类 is found by its name in ingest/data/subjects.csv (the Ministry of Finance's names by year); a 款 or 项 by the
name a table of the same document prints beside its code under that 类 (the classification is revised from year to
year, and the report's own tables are its edition). Nothing is guessed: a path whose names do not all resolve to one
code each, or whose last name is not the one the fact was named by, keeps its words.
"""

from __future__ import annotations

import re
from dataclasses import replace

from yearwise.ingest.subjects import function_class_in_year, subject

# a name and its level mark: 一般公共服务支出(类), 党委办公厅(室)及相关机构事务(款), 行政运行(项)
MARK = re.compile(r"([\u4e00-\u9fff()]{2,40}?)\((类|款|项)\)")
# how far before a figure its path may be printed: a 情况说明 item's heading line and its 主要用于 sentence, or a
# 类 stated at the head of a paragraph listing its 款 and 项
WINDOW = 1500
NEAR = 300  # the most characters between the mark that names a figure and the figure's end
ASPECT_AS_PLAIN = {"final", ""}


def _plain(name: str) -> str:
    """A printed name compared without spaces, a level mark and a closing 支出 (社会保障和就业(类) is 社会保障和就业支出,
    检察(款) is 检察)."""
    return re.sub(r"(?:支出)+$", "", re.sub(r"\s+|\((?:类|款|项)\)", "", name))


# 类 names too general to stand for their class without its mark: 其他支出 is any other spending
GENERIC_CLASSES = frozenset({"其他"})


def table_subjects(tables, year: int | None) -> dict[str, str]:
    """code -> printed name of every 功能分类 row the document's tables print with its code (the first printing)."""
    from yearwise.ingest.table_facts import codes_above_their_rows

    out: dict[str, str] = {}
    for table in tables:
        for row in codes_above_their_rows(table, year).rows:
            sub = subject(row.code, year) if row.code else None
            if sub is not None and sub.system == "功能分类" and row.label:
                out.setdefault(row.code, row.label)
    return out


def resolve(names: tuple[str, str | None, str | None], year: int | None, printed: dict[str, str]) -> str | None:
    """The code of a path of printed names (类, 款 or None, 项 or None) among `printed` (code -> name as _plain
    gives it); None unless each level given resolves to exactly one code (a 项 without its 款 is looked up under the
    类)."""
    lei, kuan, xiang = names
    code = _class_code(lei, year)
    if code is None:
        return None
    if kuan is not None:
        kuans = [c for c, n in printed.items() if len(c) == 5 and c.startswith(code) and n == _plain(kuan)]
        if len(kuans) == 1:
            code = kuans[0]
        elif xiang is None:
            return None
        # a 款 misprinted (住房保障支出(款) for 住房改革支出): the 项 is looked up under its 类
    if xiang is None:
        return code
    xiangs = [c for c, n in printed.items() if len(c) == 7 and c.startswith(code) and n == _plain(xiang)]
    if not xiangs and kuan is None:
        # '人大事务行政运行(项)': the 款's name glued to a 项 every 款 has, no (款) mark between them
        xiangs = [c for c, n in printed.items() if len(c) == 7 and c.startswith(code)
                  and printed.get(c[:5]) and _plain(xiang) == printed[c[:5]] + n]
    return xiangs[0] if len(xiangs) == 1 else None


def _class_code(name: str, year: int | None) -> str | None:
    """The 类 a printed name ends with ('其中公共安全' -> 204): the longest ending that is a 类 name of the year."""
    for i in range(0, max(1, len(name) - 1)):
        code = function_class_in_year(name[i:], year)
        if code is not None:
            return code
    return None


# a line that is a 类's name alone, a heading over its 款 and 项 ('一般公共服务' / '1. 人大事务行政运行(项)支出…')
CLASS_LINE = re.compile(r"(?m)^[ \t]*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])?[ \t]*"
                        r"([\u4e00-\u9fff]{2,20})[ \t:：]*$")


def _heading_class(window: str, before: int, year: int | None) -> tuple[str, int] | None:
    """The last line before `before` that is a 类 name of the year alone: (name, where)."""
    found = None
    for m in CLASS_LINE.finditer(window, 0, before):
        if function_class_in_year(m.group(1), year) is not None:
            found = (m.group(1), m.start())
    return found


def path_of(words: str, window: str, year: int | None = None) -> tuple[str, str | None, str | None] | None:
    """The printed path (类, 款, 项) naming an item whose words are `words`, from the level marks in the text before
    its figure: the last mark whose name the words end with, the 款 and 类 stated above it. None without a 类."""
    marks = [(m.group(2), m.group(1), m.start(), m.end()) for m in MARK.finditer(window)]
    plain = _plain(words)
    for k in range(len(marks) - 1, -1, -1):
        level, name, start, end = marks[k]
        if len(window) - end > NEAR:
            return None  # the item's own mark is on its line or the sentence before the figure, never further
        if not plain.endswith(_plain(name)):
            continue
        before = marks[:k]
        lei = next(((n, s) for lv, n, s, _ in reversed(before) if lv == "类"), None)
        if level == "类":
            return (name, None, None)
        heading = _heading_class(window, start, year)
        if heading is not None and (lei is None or heading[1] > lei[1]):
            lei = heading
        if lei is None:
            return None
        if level == "款":
            return (lei[0], name, None)
        # a 项: its 款 printed right before it, or stated above it under the same 类 and named in its words
        kuan = next(((n, s, e) for lv, n, s, e in reversed(before) if lv == "款" and s > lei[1]), None)
        if kuan is not None and (kuan[2] == start or _plain(kuan[0]) in plain):
            return (lei[0], kuan[0], name)
        return (lei[0], None, name)
    return None


def _item_words(indicator: str) -> tuple[str, str]:
    """('城乡社区管理事务行政运行', 'final') of item.城乡社区管理事务行政运行.final; the aspect '' when none."""
    words = indicator[len("item."):]
    head, _, aspect = words.rpartition(".")
    return (head, aspect) if head and re.fullmatch(r"[a-z_]+", aspect) else (words, "")


def _renamed(f, code: str, words: str, aspect: str, label: str):
    """Fact f, the item `words` (with `aspect`), as func.<code> (an aspect other than the final figure kept) named
    `label` (an aspect's words after it) by rule <rule>.subject."""
    plain_figure = aspect in ASPECT_AS_PLAIN
    rest = f.indicator_name[len(words):] if f.indicator_name.startswith(words) else ""
    return replace(f, indicator=f"func.{code}" + ("" if plain_figure else f".{aspect}"),
                   indicator_name=label if plain_figure else label + rest, rule=f.rule + ".subject")


def name_subject_paths(facts, text: str, tables, year: int | None):
    """The facts with each prose item that a printed 类/款/项 path names renamed func.<code>[.<aspect>]."""
    printed = table_subjects(tables, year)
    plain = {c: _plain(n) for c, n in printed.items()}
    out = []
    for f in facts:
        if f.table or not f.indicator.startswith("item."):
            out.append(f)
            continue
        words, aspect = _item_words(f.indicator)
        window = text[max(0, f.start - WINDOW):f.end]  # a quote may begin inside the path ('房保障(类)支出…')
        path = path_of(words, window, year)
        if path is None and _plain(words) not in GENERIC_CLASSES and function_class_in_year(words, year):
            # the item is a 类 by its whole name, printed without its mark ('1.一般公共服务支出 10528.33 万元')
            path = (words, None, None)
        code = resolve(path, year, plain) if path else None
        if path is None or code is None:
            out.append(f)
            continue
        # named as the tables name the row (the 类 as the data file names it that year): the name a code is
        # registered under must not depend on which report is loaded first
        sub = subject(code, year)
        label = printed.get(code) or (sub.name if sub and sub.name else next((n for n in reversed(path) if n), words))
        out.append(_renamed(f, code, words, aspect, label))
    return out


LEVEL_MARK = re.compile(r"\((?:款|项)\)")


def name_by_companion_tables(facts, printed: dict[str, str]):
    """The facts with each prose item named by a 款/项 line ('住房改革支出(款)提租补贴(项)支出 2548.3 万元') renamed
    func.<code>[.<aspect>] where the words are exactly the names another document of the same department and year
    prints beside that code (a narrative 文件 whose tables are a separate 表格 file): 款 + 项 (住房改革支出 + 提租补贴
    -> 2210202), or a 项 or 款 alone when one code has that name. Only items some fact of the report quotes with a
    (款)/(项) mark; nothing else is guessed."""
    if not printed:
        return list(facts)
    marked = {w for f in facts if not f.table and f.indicator.startswith("item.")
              for w in [_item_words(f.indicator)[0]] if LEVEL_MARK.search(f.quote or "") or LEVEL_MARK.search(w)}
    if not marked:
        return list(facts)
    plain = {c: _plain(n) for c, n in printed.items()}
    by_words: dict[str, set[str]] = {}
    for code, name in plain.items():
        by_words.setdefault(name, set()).add(code)
        if len(code) == 7 and plain.get(code[:5]):
            # the 款 as printed before its mark, with or without its 支出 (住房改革支出(款)提租补贴(项)), and the 类
            # before it where the line prints the whole path (社会保障和就业支出(类)行政事业单位离退休(款)…(项))
            for kuan in {plain[code[:5]], re.sub(r"\s+", "", printed[code[:5]])}:
                by_words.setdefault(kuan + name, set()).add(code)
                if plain.get(code[:3]):
                    for lei in {plain[code[:3]], re.sub(r"\s+", "", printed[code[:3]])}:
                        by_words.setdefault(lei + kuan + name, set()).add(code)
    out = []
    for f in facts:
        words, aspect = _item_words(f.indicator) if f.indicator.startswith("item.") and not f.table else ("", "")
        codes = by_words.get(_plain(words), set()) if words in marked else set()
        if len(codes) != 1:
            out.append(f)
            continue
        (code,) = codes
        out.append(_renamed(f, code, words, aspect, printed[code]))
    return out
