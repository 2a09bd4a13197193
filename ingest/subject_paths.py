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

# the words before a level mark: Chinese characters and the brackets inside names (党委办公厅(室)…)
_NAME = r"[\u4e00-\u9fff()]{2,40}?"
PATH = re.compile(rf"([\u4e00-\u9fff]{{2,20}})\(类\)(?:支出)?(?:({_NAME})\(款\)(?:({_NAME})\(项\))?)?")
# how far before a figure its path may be printed: the heading line of a 情况说明 item and its 主要用于 sentence
WINDOW = 400
ASPECT_AS_PLAIN = {"final", ""}


def _plain(name: str) -> str:
    """A printed name compared without spaces and a closing 支出 (社会保障和就业(类) is 社会保障和就业支出)."""
    return re.sub(r"支出$", "", re.sub(r"\s+", "", name))


def table_subjects(tables, year: int | None) -> dict[str, str]:
    """code -> printed name of every 功能分类 row the document's tables print with its code."""
    from yearwise.ingest.table_facts import codes_above_their_rows

    out: dict[str, str] = {}
    for table in tables:
        for row in codes_above_their_rows(table, year).rows:
            sub = subject(row.code, year) if row.code else None
            if sub is not None and sub.system == "功能分类" and row.label:
                out.setdefault(row.code, _plain(row.label))
    return out


def resolve(names: tuple[str, ...], year: int | None, printed: dict[str, str]) -> str | None:
    """The code of a path of printed names (类[, 款[, 项]]); None unless each level resolves to exactly one code."""
    lei = function_class_in_year(names[0], year)
    if lei is None:
        return None
    if len(names) == 1:
        return lei
    kuans = [c for c, n in printed.items() if len(c) == 5 and c.startswith(lei) and n == _plain(names[1])]
    if len(names) == 2:
        return kuans[0] if len(kuans) == 1 else None
    under = kuans[0] if len(kuans) == 1 else lei  # a 款 misprinted (住房保障支出(款) for 住房改革支出): the 项 under its 类
    xiangs = [c for c, n in printed.items() if len(c) == 7 and c.startswith(under) and n == _plain(names[2])]
    return xiangs[0] if len(xiangs) == 1 else None


def _item_words(indicator: str) -> tuple[str, str]:
    """('城乡社区管理事务行政运行', 'final') of item.城乡社区管理事务行政运行.final; the aspect '' when none."""
    words = indicator[len("item."):]
    head, _, aspect = words.rpartition(".")
    return (head, aspect) if head and re.fullmatch(r"[a-z_]+", aspect) else (words, "")


def name_subject_paths(facts, text: str, tables, year: int | None):
    """The facts with each prose item that a printed 类/款/项 path names renamed func.<code>[.<aspect>]."""
    printed = table_subjects(tables, year)
    out = []
    for f in facts:
        if f.table or not f.indicator.startswith("item."):
            out.append(f)
            continue
        words, aspect = _item_words(f.indicator)
        code = None
        window = text[max(0, f.start - WINDOW):f.end]  # a quote may begin inside the path ('房保障(类)支出…')
        for m in reversed(list(PATH.finditer(window))):
            names = tuple(n for n in m.groups() if n)
            # the fact was named by the path's last name (with its 款 before a generic 项, with 支出 after it)
            if not _plain(words).endswith(_plain(names[-1])):
                continue
            code = resolve(names, year, printed)
            break
        if code is None:
            out.append(f)
            continue
        indicator = f"func.{code}" + ("" if aspect in ASPECT_AS_PLAIN else f".{aspect}")
        out.append(replace(f, indicator=indicator, rule=f.rule + ".subject"))
    return out
