"""Who and when a report is about: department, fiscal year and kind, read from its title lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# report kinds by the words of a title; the first that matches wins (a 绩效自评表 of a 预算 project is an evaluation)
KIND_WORDS = (
    ("performance_evaluation", ("绩效评价", "绩效自评", "绩效报告", "绩效目标")),
    ("final_accounts", ("决算",)),
    ("budget", ("预算",)),
)
TITLE_KINDS = "决算|预算|绩效评价|绩效自评|绩效报告"
YEAR = r"(20\d\d|19\d\d)\s*年度?"
# '上海市普陀区财政局2024年度部门决算', '北京市公园管理中心2016年部门预算情况的说明', '省法院2017年度部门预算公开'
TITLE = re.compile(
    rf"(?P<dept>[\u4e00-\u9fff()（）、]{{2,40}}?)\s*(?:关于)?\s*{YEAR}\s*[\u4e00-\u9fff ]{{0,8}}?(?:{TITLE_KINDS})"
)
# '2023年北京市朝阳区财政局部门决算': the year first, then the department
YEAR_FIRST = re.compile(
    rf"^{YEAR}\s*(?P<dept>[\u4e00-\u9fff()（）]{{2,40}}?)\s*(?:部门|单位)(?:整体)?[\u4e00-\u9fff]{{0,4}}?(?:{TITLE_KINDS})"
)
HEADLESS = re.compile(rf"^{YEAR}\s*[\u4e00-\u9fff ]{{0,8}}?(?:{TITLE_KINDS})")
# a department's name ends with the word for its kind of body
ORG_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公厅|办公室|厅|院|中心|部|会|所|站|馆|园|校|队|处|署|社|团|幼儿园|法院|检察院|政府|街道|镇|乡|学校|医院)$"
)
NOT_DEPT = re.compile(r"^(?:部门|单位|本部门|本单位|我部门|第[一二三四五六七八九十]+部分|目录|关于)")
LEAD_JUNK = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|关于)\s*")


@dataclass(frozen=True, slots=True)
class ReportMeta:
    department: str | None
    year: int | None
    doc_kind: str


def detect(text: str, head_chars: int = 3000) -> ReportMeta:
    """Department, year and kind from the first lines of `text` (a view: simplified characters)."""
    head = text[:head_chars]
    lines = [ln.strip(" |\t") for ln in head.split("\n")]
    department = year = None
    for i, line in enumerate(lines):
        yf = YEAR_FIRST.match(line)
        if yf and (d := _clean(yf.group("dept"))):
            department, year = d, int(yf.group(1))
            break
        m = TITLE.search(line)
        if not m and i + 1 < len(lines) and re.search(r"(?:年度?|部门)$", line):
            m = TITLE.search(line + lines[i + 1])  # a title wrapped before its last word ('…2018年度部门\n预算公开')
        if m:
            year = int(m.group(2)) if (dept := _clean(m.group("dept"))) or year is None else year
            if dept:
                department = dept
                break
        elif (h := HEADLESS.match(line)):  # a title without the department: it stands on the line(s) above
            year = int(h.group(1))
            before = [ln for ln in lines[max(0, i - 2) : i] if ln]
            for k in range(len(before)):
                joined = "".join(before[k:])
                if ORG_SUFFIX.search(joined) and len(joined) <= 40 and (department := _clean(joined)):
                    break
            if department:
                break
    if year is None:
        years = Counter(int(y) for y in re.findall(r"(20\d\d)\s*年", head))
        year = years.most_common(1)[0][0] if years else None
    # the kind is what the first line naming a kind says (a title precedes any table of contents)
    kind = next((k for ln in lines if (k := _kind(ln))), None)
    if department is None:
        department = _department_anywhere(text)
    return ReportMeta(department, year, kind or "unknown")


def _kind(s: str) -> str | None:
    for kind, words in KIND_WORDS:
        if any(w in s for w in words):
            return kind
    return None


def _clean(dept: str) -> str | None:
    dept = LEAD_JUNK.sub("", dept.strip())
    dept = re.sub(r"(?:\(本级\)|本级)$", "", dept)
    if len(dept) < 2 or NOT_DEPT.match(dept) or not ORG_SUFFIX.search(dept):
        return None
    return dept


# where a report names itself outside a title: a form's 主管部门/单位名称 cell, '(以下简称…)'
NAMED = (
    re.compile(r"(?:主管部门|单位名称|部门名称|预算单位)\s*\|?\s*[:：]?\s*(?:\d+-)?(?P<dept>[\u4e00-\u9fff()]{2,40})"),
    re.compile(r"(?:^|\n)\s*(?:编制)?部\s*门\s*[:：]\s*(?P<dept>[\u4e00-\u9fff()]{2,40})"),
    re.compile(r"(?P<dept>[\u4e00-\u9fff]{2,40})\s*\(以下简称"),
)


def _department_anywhere(text: str) -> str | None:
    """Fall back to the most frequent 'X局2024年度…' phrase anywhere, then to self-naming phrases."""
    found = Counter(d for m in TITLE.finditer(text) if (d := _clean(m.group("dept"))))
    if not found:
        head = text[:5000]
        found = Counter(d for rx in NAMED for m in rx.finditer(head) if (d := _clean(m.group("dept"))))
    return found.most_common(1)[0][0] if found else None
